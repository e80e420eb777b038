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
  submissions: true,
  topicTail: true,
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
        // 101: the WebSocket handshake's own answer (the ws library's), not the gateway's HTTP answer.
        if (status === '101') continue;
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
    expect(doc.components?.securitySchemes).to.have.all.keys('bearerApiKey', 'apiKeyHeader', 'bearerJwt', 'hmacClient', 'hmacSignature');
    expect(doc.components?.parameters).to.include.keys('IdempotencyKey', 'PreferRespondAsync');
    expect((doc.components?.parameters as Json).IdempotencyKey.name).to.equal('Idempotency-Key');
  });

  it('describes the produce answers the code sends: 202, 207, 422, 504, Idempotent-Replayed, a null offset; no 502', () => {
    const paths = doc.paths as Json;
    for (const p of ['/produce', '/produce/batch']) {
      const responses = paths[p].post.responses;
      expect(responses, p).to.include.keys('200', '202', '422', '503', '504');
      expect(responses, p).to.not.have.property('502');
      expect(responses['202'].headers, p).to.have.property('Preference-Applied');
      expect(responses['200'].headers, p).to.have.property('Idempotent-Replayed');
      expect(responses['503'].headers, p).to.not.have.property('Idempotent-Replayed');
      expect(responses['504'].headers, p).to.have.property('Retry-After');
      expect(responses['422'].content['application/json'].schema.properties.code.enum).to.have.members(['RECORD_REJECTED', 'IDEMPOTENCY_KEY_REUSED', 'VALUE_DOES_NOT_FIT_SCHEMA', 'UNKNOWN_SUBJECT', 'UNKNOWN_SCHEMA', 'VALUE_FORMAT_MISMATCH']);
    }
    for (const [p, m, op] of operations()) expect(op.responses, `${m} ${p}`).to.not.have.property('502');
    expect(paths['/produce/batch'].post.requestBody.content).to.have.property('application/x-ndjson');
    expect(paths['/produce/batch'].post.responses['200'].content).to.have.property('application/x-ndjson');
    expect(paths['/produce/batch'].post.responses['429'].content['application/json'].schema.properties.code.enum).to.deep.equal(['TOO_MANY_NDJSON_STREAMS']);
    expect((doc.components?.schemas as Json).Delivery.properties.offset.type).to.deep.equal(['integer', 'null']);
  });

  it('describes the status routes, the streams and /live when the status loop is there', () => {
    const paths = doc.paths as Json;
    expect(paths).to.include.keys('/submissions/{request_id}', '/submissions/{request_id}/events', '/topics/{topic}/events', '/ws', '/live');
    expect(paths['/submissions/{request_id}'].get.responses).to.include.keys('200', '400', '404', '503');
    expect(paths['/submissions/{request_id}/events'].get.responses['200'].content).to.have.property('text/event-stream');
    expect(paths['/topics/{topic}/events'].get.parameters.map((x: Json) => x.name)).to.include.members(['topic', 'from', 'key']);
    expect(paths['/ws'].get.responses).to.include.keys('101', '426');
    expect((doc.components?.schemas as Json).StatusEvent.required).to.deep.equal(['request_id', 'status', 'updated_at']);
  });
});
