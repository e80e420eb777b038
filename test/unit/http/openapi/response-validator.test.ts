import { expect } from 'chai';
import { buildOpenApiDocument } from '../../../../src/http/openapi/document.js';
import type { AccessSummary } from '../../../../src/access/access.js';
import { OpenApiResponseValidator } from '../../../helpers/openapi-validator.js';

const ctx = {
  name: 'kgate',
  version: '1',
  limits: { bodyBytes: 1024, batchItems: 7, keyBytes: 99, headersCount: 5, headerValueBytes: 100 },
  metrics: true,
  topics: true,
};
const doc = buildOpenApiDocument(ctx);
const validator = new OpenApiResponseValidator(JSON.parse(JSON.stringify(doc)));
const json = { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'r-1' };
const check = (method: string, path: string, status: number, body: unknown, headers: Record<string, string> = json) =>
  validator.problems({ method, path, status, headers: new Headers(headers), body: typeof body === 'string' ? body : JSON.stringify(body) });

const delivered = { success: true, message: 'ok', topic: 't', partition: 0, offset: 5, timestamp: '2026-01-01T00:00:00.000Z', request_id: 'r-1' };

// The helper that checks every integration test's answers must itself catch what breaks the document.
describe('OpenAPI response validator (test helper)', () => {
  it('accepts answers the document allows', () => {
    expect(check('POST', '/produce', 200, delivered)).to.deep.equal([]);
    expect(check('POST', '/produce', 400, { success: false, code: 'INVALID_TOPIC', detail: 'x', retriable: false, field: 'topic' })).to.deep.equal([]);
    expect(check('GET', '/schemas/a%20b/1.0.0', 404, { success: false, code: 'NOT_FOUND', detail: 'x', retriable: false })).to.deep.equal([]);
    expect(check('GET', '/nope', 404, { success: false, code: 'NOT_FOUND', detail: 'x', retriable: false })).to.deep.equal([]);
    expect(check('GET', '/produce', 405, { success: false, code: 'METHOD_NOT_ALLOWED', detail: 'x', retriable: false })).to.deep.equal([]);
  });

  it('refuses a body that breaks the schema', () => {
    expect(check('POST', '/produce', 200, { ...delivered, offset: -1001 })[0]).to.match(/body breaks the document.*offset/);
  });

  it('refuses a status the operation does not list', () => {
    expect(check('POST', '/produce', 201, delivered)[0]).to.match(/status 201 is not documented/);
  });

  it('refuses an error code of another status', () => {
    expect(check('POST', '/produce', 400, { success: false, code: 'UNKNOWN_TOPIC', detail: 'x', retriable: false })).to.not.be.empty;
  });

  it('refuses a missing X-Request-Id, a wrong Content-Type, and an undocumented path answered 200', () => {
    expect(check('POST', '/produce', 200, delivered, { 'content-type': 'application/json' })[0]).to.match(/X-Request-Id is missing/);
    expect(check('POST', '/produce', 200, delivered, { ...json, 'content-type': 'text/plain' })[0]).to.match(/Content-Type/);
    expect(check('GET', '/secret', 200, { ok: true })[0]).to.match(/not in the document/);
  });

  it('requires Retry-After on a 503 error body', () => {
    const busy = { success: false, code: 'KAFKA_UNAVAILABLE', detail: 'x', retriable: true };
    expect(check('POST', '/produce', 503, busy)[0]).to.match(/Retry-After is missing/);
    expect(check('POST', '/produce', 503, busy, { ...json, 'retry-after': '1' })).to.deep.equal([]);
  });

  it('accepts a CORS preflight answered by the cors middleware, nothing else on OPTIONS but 404/405', () => {
    expect(check('OPTIONS', '/produce', 204, '', { 'access-control-allow-origin': 'https://a.example', 'x-request-id': 'r-1' })).to.deep.equal([]);
    expect(check('OPTIONS', '/produce', 204, '', { 'x-request-id': 'r-1' })[0]).to.match(/no OPTIONS operation/);
  });

  it('with authentication on: 401 with WWW-Authenticate on protected operations, and before routing on any path or method', () => {
    const access: AccessSummary = { auth: true, rateLimits: true, corsOrigins: [], isOpen: (p) => p === '/health' };
    const guarded = new OpenApiResponseValidator(JSON.parse(JSON.stringify(buildOpenApiDocument({ ...ctx, access }))));
    const refused = { success: false, code: 'AUTH_REQUIRED', detail: 'x', retriable: false };
    const guardedCheck = (method: string, path: string, status: number, headers: Record<string, string>) =>
      guarded.problems({ method, path, status, headers: new Headers(headers), body: JSON.stringify(refused) });
    expect(guardedCheck('POST', '/produce', 401, json)[0]).to.match(/WWW-Authenticate is missing/);
    expect(guardedCheck('POST', '/produce', 401, { ...json, 'www-authenticate': 'Bearer realm="kgate"' })).to.deep.equal([]);
    expect(guardedCheck('PUT', '/produce', 401, json)).to.deep.equal([]);
    expect(guardedCheck('GET', '/health', 401, json)[0]).to.match(/status 401 is not documented/);
    // Without authentication, 401 is never an answer.
    expect(check('PUT', '/produce', 401, refused)[0]).to.match(/must answer 404 or 405/);
  });
});
