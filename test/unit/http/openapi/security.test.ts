import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import { createAccess } from '../../../../src/access/access.js';
import { loadConfig } from '../../../../src/config/config.js';
import { createLogger } from '../../../../src/logging/logger.js';
import { buildOpenApiDocument } from '../../../../src/http/openapi/document.js';
import { SECURITY_REQUIREMENTS } from '../../../../src/http/openapi/security.js';
import { newKey, sha256Hex, writeKeysFile } from '../../../helpers/keys-file.js';

type Json = Record<string, any>;
const limits = { bodyBytes: 1024, batchItems: 7, keyBytes: 99, headersCount: 5, headerValueBytes: 100 };

/** The document of a gateway with these access settings, its summary from the real access room. */
function documentWith(env: Record<string, string>): Json {
  const config = loadConfig(env);
  const access = createAccess({ settings: config.access, deadLetterTopic: undefined, statusTopic: config.status.topic, log: createLogger('error', true), listTopics: async () => [] });
  const codeExecution = { topic: 'code-execution', properties: { code: { type: 'string' as const }, language: { type: 'string' as const } } };
  return buildOpenApiDocument({ name: 'kgate', version: '1', limits, metrics: true, topics: true, codeExecution, access: access.summary }) as Json;
}

const operations = (doc: Json): Array<[string, string, Json]> =>
  Object.entries<Json>(doc.paths).flatMap(([p, item]) => Object.entries<Json>(item).map(([m, op]) => [p, m, op] as [string, string, Json]));

const OPEN = ['/', '/health', '/ready', '/docs', '/openapi.json'];
const PROTECTED = ['/produce', '/produce/batch', '/submit-code', '/supported-languages', '/kafka-status', '/schemas', '/topics', '/topics/{topic}'];

describe('OpenAPI document: access control as this gateway is set up', () => {
  const keysFile = writeKeysFile([{ name: 'svc', key_sha256: sha256Hex(newKey()), topics: ['*'] }]);

  it('with keys: the protected operations list the three schemes, 401 with WWW-Authenticate and 429 with RateLimit-*', async () => {
    const doc = documentWith({ AUTH_KEYS_FILE: keysFile });
    expect((await new Validator().validate(doc as never)).valid).to.equal(true);
    for (const [p, m, op] of operations(doc)) {
      if (!PROTECTED.includes(p)) continue;
      expect(op.security, `${m} ${p}`).to.deep.equal(SECURITY_REQUIREMENTS);
      expect(op.responses['401'].headers, `${m} ${p}`).to.have.property('WWW-Authenticate');
      expect(op.responses['401'].content['application/json'].schema.properties.code.enum).to.include.members(['AUTH_REQUIRED', 'INVALID_API_KEY', 'SIGNATURE_INVALID']);
      expect(op.responses['429'].headers, `${m} ${p}`).to.include.keys('Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'RateLimit-Policy');
    }
    expect(doc.paths['/produce'].post.responses).to.have.property('403');
    expect(doc.paths['/topics/{topic}'].get.responses).to.have.property('403');
  });

  it('with JWT on: the bearer JWT scheme beside the key schemes (or alone), 401 with the token codes, 403 may carry WWW-Authenticate', async () => {
    const jwt = { AUTH_JWT_JWKS_URL: 'http://127.0.0.1:1/jwks', AUTH_JWT_AUDIENCE: 'kgate' };
    const both = documentWith({ AUTH_KEYS_FILE: keysFile, ...jwt });
    expect((await new Validator().validate(both as never)).valid).to.equal(true);
    expect(both.components.securitySchemes.bearerJwt).to.include({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    const produce = both.paths['/produce'].post;
    expect(produce.security).to.deep.equal([...SECURITY_REQUIREMENTS, { bearerJwt: [] }]);
    expect(produce.responses['401'].content['application/json'].schema.properties.code.enum).to.include.members(['INVALID_TOKEN', 'TOKEN_EXPIRED']);
    expect(produce.responses['403'].headers).to.have.property('WWW-Authenticate');
    expect(produce.responses['503'].content['application/json'].schema.properties.code.enum).to.include('AUTH_UNAVAILABLE');
    const only = documentWith(jwt);
    expect(only.paths['/produce'].post.security).to.deep.equal([{ bearerJwt: [] }]);
    expect(only.paths['/health'].get.security).to.deep.equal([]);
  });

  it('with keys: the probes, /, the document and its UI are open (security: []), and /metrics unless METRICS_REQUIRE_AUTH', () => {
    const doc = documentWith({ AUTH_KEYS_FILE: keysFile });
    for (const p of [...OPEN, '/metrics']) {
      expect(doc.paths[p].get.security, p).to.deep.equal([]);
      expect(doc.paths[p].get.responses, p).to.not.have.any.keys('401', '429');
    }
    const locked = documentWith({ AUTH_KEYS_FILE: keysFile, METRICS_REQUIRE_AUTH: 'true' });
    expect(locked.paths['/metrics'].get.security).to.deep.equal(SECURITY_REQUIREMENTS);
    expect(locked.paths['/metrics'].get.responses).to.have.property('401');
  });

  it('without keys (./run.sh): no security requirement, no 401, no 429 RATE_LIMITED (stream caps keep their own 429)', () => {
    const doc = documentWith({});
    for (const [p, m, op] of operations(doc)) {
      expect(op.security ?? [], `${m} ${p}`).to.deep.equal([]);
      expect(op.responses, `${m} ${p}`).to.not.have.any.keys('401');
      expect(op.responses['429']?.content['application/json'].schema.properties.code.enum ?? [], `${m} ${p}`).to.not.include('RATE_LIMITED');
    }
    expect(doc.info.description).to.contain('Authentication is off');
  });

  it('rate limits per address without keys: 429 on the protected operations only, and CORS in the description', () => {
    const doc = documentWith({ RATE_LIMIT_PER_S: '5', CORS_ORIGINS: 'https://a.example' });
    expect(doc.paths['/produce'].post.responses).to.have.property('429');
    expect(doc.paths['/produce'].post.responses).to.not.have.property('401');
    expect(doc.paths['/health'].get.responses).to.not.have.property('429');
    expect(doc.info.description).to.contain('https://a.example');
  });
});
