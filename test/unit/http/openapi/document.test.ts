import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import { errorCodes } from '../../../../src/errors/codes.js';
import { buildOpenApiDocument } from '../../../../src/http/openapi/document.js';

const limits = { bodyBytes: 1024, batchItems: 7, keyBytes: 99, headersCount: 5, headerValueBytes: 100 };
const doc = buildOpenApiDocument({
  name: 'kgate',
  version: '1.2.3',
  limits,
  metrics: true,
  topics: true,
  codeExecution: { topic: 'code-execution', properties: { code: { type: 'string' }, language: { enum: ['go'] }, status: { type: 'string' } } },
});

type Json = Record<string, any>;
const operations = (): Array<[string, string, Json]> =>
  Object.entries(doc.paths ?? {}).flatMap(([p, item]) => Object.entries(item as Json).map(([m, op]) => [p, m, op as Json] as [string, string, Json]));

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(doc as unknown as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? [], JSON.stringify(result.errors)).to.deep.equal([]);
    expect(result.valid).to.equal(true);
    expect(doc.openapi).to.equal('3.1.0');
  });

  it('takes the error codes from the codes table, so the two cannot drift', () => {
    expect(doc.components?.schemas?.ErrorBody).to.have.nested.property('properties.code.enum').that.deep.equals(Object.keys(errorCodes));
  });

  it('lists under each error status only the codes of that status', () => {
    for (const [p, m, op] of operations()) {
      for (const [status, response] of Object.entries<Json>(op.responses)) {
        if (Number(status) < 400) continue;
        const schema = response.content['application/json'].schema;
        const errorSchema = schema.anyOf ? schema.anyOf[1] : schema;
        const codes: string[] = errorSchema.properties.code.enum;
        expect(codes, `${m} ${p} ${status}`).to.not.be.empty;
        for (const code of codes) expect(errorCodes[code as keyof typeof errorCodes].status, `${m} ${p} ${status} ${code}`).to.equal(Number(status));
      }
    }
  });

  it('gives every operation a unique id, a summary, X-Request-Id on every answer, and 500/503', () => {
    const ids = new Set<string>();
    for (const [p, m, op] of operations()) {
      expect(op.summary, `${m} ${p}`).to.be.a('string').and.not.be.empty;
      expect(ids.has(op.operationId), `duplicate ${op.operationId}`).to.equal(false);
      ids.add(op.operationId);
      expect(op.responses, `${m} ${p}`).to.include.keys('500', '503');
      for (const [status, response] of Object.entries<Json>(op.responses)) {
        expect(response.headers, `${m} ${p} ${status}`).to.have.property('X-Request-Id');
      }
      expect(op.responses['503'].headers, `${m} ${p} 503`).to.have.property('Retry-After');
    }
  });

  it('describes the limits of this gateway and only the client fields of the code-execution schema', () => {
    const batch = (doc.paths as Json)['/produce/batch'].post.requestBody.content['application/json'].schema;
    expect(batch.maxItems).to.equal(7);
    expect(batch.items.properties.key.maxLength).to.equal(99);
    const submit = (doc.paths as Json)['/submit-code'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(submit.properties)).to.deep.equal(['code', 'language']);
  });

  it('declares the auth schemes and the Idempotency-Key and Prefer headers for other features to reference', () => {
    expect(doc.components?.securitySchemes).to.have.all.keys('bearerApiKey', 'apiKeyHeader', 'hmacClient', 'hmacSignature');
    expect(doc.components?.parameters).to.include.keys('IdempotencyKey', 'PreferRespondAsync');
    expect((doc.components?.parameters as Json).IdempotencyKey.name).to.equal('Idempotency-Key');
  });
});
