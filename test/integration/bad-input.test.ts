import { expect } from 'chai';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';
import { newKey, sha256Hex, writeKeysFile } from '../helpers/keys-file.js';
import { streamNdjson } from '../helpers/ndjson.js';
import { signRequest } from '../../src/access/signature.js';

interface ErrorCase {
  name: string;
  path?: string;
  body: unknown;
  headers?: Record<string, string>;
  status: number;
  code: string;
  field?: string;
}

describe('bad input: a clear JSON error, never a crash', () => {
  let gw: RunningGateway;
  const topic = uniqueTopic('bad-input');
  before(async () => {
    gw = await startTestGateway({ BODY_LIMIT_BYTES: '2048', KEY_MAX_BYTES: '16', HEADERS_MAX_COUNT: '2' });
  });
  after(() => gw.shutdown());

  const cases: ErrorCase[] = [
    { name: 'invalid JSON', body: '{"topic": "t", "message": ', status: 400, code: 'INVALID_JSON' },
    { name: 'a JSON scalar instead of an object', body: '"just a string"', status: 400, code: 'INVALID_JSON' },
    { name: 'wrong content type', body: 'topic=t', headers: { 'content-type': 'text/plain' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    { name: 'a body over the limit', body: { topic, message: 'x'.repeat(4096) }, status: 413, code: 'BODY_TOO_LARGE' },
    { name: 'missing topic', body: { message: { a: 1 } }, status: 400, code: 'MISSING_FIELD', field: 'topic' },
    { name: 'missing message', body: { topic }, status: 400, code: 'MISSING_FIELD', field: 'message' },
    { name: 'a null message', body: { topic, message: null }, status: 400, code: 'MISSING_FIELD', field: 'message' },
    { name: 'a topic with illegal characters', body: { topic: 'a/b', message: 1 }, status: 400, code: 'INVALID_TOPIC', field: 'topic' },
    { name: 'a topic over 249 characters', body: { topic: 'a'.repeat(250), message: 1 }, status: 400, code: 'INVALID_TOPIC', field: 'topic' },
    { name: 'the topic ".."', body: { topic: '..', message: 1 }, status: 400, code: 'INVALID_TOPIC', field: 'topic' },
    { name: 'an internal topic', body: { topic: '__consumer_offsets', message: 1 }, status: 400, code: 'INVALID_TOPIC', field: 'topic' },
    { name: 'a topic that is not a string', body: { topic: 5, message: 1 }, status: 400, code: 'INVALID_TOPIC', field: 'topic' },
    { name: 'a key that is not a string', body: { topic, key: 42, message: 1 }, status: 400, code: 'INVALID_KEY', field: 'key' },
    { name: 'a key over the limit', body: { topic, key: 'k'.repeat(17), message: 1 }, status: 400, code: 'INVALID_KEY', field: 'key' },
    { name: 'a negative partition', body: { topic, partition: -1, message: 1 }, status: 400, code: 'INVALID_PARTITION', field: 'partition' },
    { name: 'a fractional partition', body: { topic, partition: 1.5, message: 1 }, status: 400, code: 'INVALID_PARTITION', field: 'partition' },
    { name: 'headers that are not an object', body: { topic, message: 1, headers: ['a'] }, status: 400, code: 'INVALID_HEADERS', field: 'headers' },
    { name: 'a header value that is not a string', body: { topic, message: 1, headers: { a: 1 } }, status: 400, code: 'INVALID_HEADERS', field: 'headers.a' },
    { name: 'too many headers', body: { topic, message: 1, headers: { a: '1', b: '2', c: '3' } }, status: 400, code: 'INVALID_HEADERS', field: 'headers' },
    { name: 'a reserved header name', body: { topic, message: 1, headers: { 'kgate-source': 'me' } }, status: 400, code: 'INVALID_HEADERS', field: 'headers.kgate-source' },
    { name: 'an unknown field', body: { topic, mesage: 1 }, status: 400, code: 'INVALID_FIELD', field: 'mesage' },
    { name: 'an array sent to /produce', body: [{ topic, message: 1 }], status: 400, code: 'INVALID_BODY' },
  ];

  for (const c of cases) {
    it(`${c.name} → ${c.status} ${c.code}`, async () => {
      const res = await postJson(`${gw.url}${c.path ?? '/produce'}`, c.body, c.headers);
      expect(res.status).to.equal(c.status);
      expect(res.headers.get('content-type')).to.match(/^application\/json/);
      expect(res.body).to.include({ success: false, code: c.code });
      expect(res.body.detail).to.be.a('string').and.not.match(/\bat .+:\d+:\d+/);
      expect(res.body).not.to.have.property('stack');
      if (c.field) expect(res.body.field).to.equal(c.field);
    });
  }

  it('a partition the topic does not have → 400 UNKNOWN_PARTITION, quickly', async () => {
    const first = await postJson(`${gw.url}/produce`, { topic, message: 1 });
    expect(first.status).to.equal(200);
    const started = Date.now();
    const res = await postJson(`${gw.url}/produce`, { topic, partition: 50, message: 1 });
    expect(res.status).to.equal(400);
    expect(res.body).to.include({ code: 'UNKNOWN_PARTITION', field: 'partition' });
    expect(Date.now() - started).to.be.below(2000);
  });

  it('a POST without a body → 400 INVALID_BODY', async () => {
    const res = await fetch(`${gw.url}/produce`, { method: 'POST' });
    expect(res.status).to.equal(400);
    expect(((await res.json()) as { code: string }).code).to.equal('INVALID_BODY');
  });

  it('unknown routes → 404 JSON; a wrong method → 405 with Allow', async () => {
    const missing = await fetch(`${gw.url}/nope`);
    expect(missing.status).to.equal(404);
    expect(await missing.json()).to.include({ code: 'NOT_FOUND' });
    const wrongMethod = await fetch(`${gw.url}/produce`);
    expect(wrongMethod.status).to.equal(405);
    expect(wrongMethod.headers.get('allow')).to.equal('POST');
  });

  // Found by schemathesis (unsupported_method): TRACE /schemas answered 404, as if the path did not exist.
  it('any other method on a GET route → 405 with Allow, not 404', async () => {
    for (const [method, path] of [['PATCH', '/schemas'], ['DELETE', '/schemas/code-execution/latest'], ['PUT', '/health']] as const) {
      const res = await fetch(`${gw.url}${path}`, { method });
      expect(res.status, `${method} ${path}`).to.equal(405);
      expect(res.headers.get('allow'), `${method} ${path}`).to.equal('GET, HEAD');
      expect(await res.json()).to.include({ code: 'METHOD_NOT_ALLOWED' });
    }
    expect((await fetch(`${gw.url}/nope`, { method: 'DELETE' })).status).to.equal(404);
  });

  // Found by the OpenAPI response check: the error body went out as application/schema+json.
  it('GET /schemas/{unknown topic} → 404 with a JSON error body typed application/json', async () => {
    const res = await fetch(`${gw.url}/schemas/no-such-topic`);
    expect(res.status).to.equal(404);
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
  });

  it('a "__proto__" key is carried as data and pollutes nothing', async () => {
    const pollTopic = uniqueTopic('proto');
    const res = await postJson(`${gw.url}/produce`, `{"topic":"${pollTopic}","message":{"__proto__":{"polluted":true},"a":1}}`);
    expect(res.status).to.equal(200);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    const [record] = await readTopic(pollTopic);
    expect(record!.payload).to.contain('"__proto__":{"polluted":true}');
  });

  it('a malformed URL is the client\'s error (4xx JSON), not a 500', async () => {
    const res = await fetch(`${gw.url}/schemas/%E0%A4%A`);
    expect(res.status).to.be.within(400, 499);
    expect(((await res.json()) as { success: boolean }).success).to.equal(false);
  });

  it('a header named "__proto__" is kept as data', async () => {
    const protoTopic = uniqueTopic('proto-header');
    const res = await postJson(`${gw.url}/produce`, `{"topic":"${protoTopic}","message":1,"headers":{"__proto__":"x"}}`);
    expect(res.status).to.equal(200);
    const [record] = await readTopic(protoTopic);
    expect(record!.headers['__proto__']).to.equal('x');
  });

  it('sends helmet security headers', async () => {
    const res = await fetch(`${gw.url}/health`);
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(res.headers.get('x-powered-by')).to.equal(null);
  });

  it('nothing invalid reached Kafka', async () => {
    const records = await readTopic(topic);
    expect(records).to.have.length(1);
  });
});

// Issue 26, finding 7: 1e400 was written as null, 9007199254740993 as …992, invalid UTF-8 with U+FFFD.
describe('values are written as sent or refused, never changed (keys on, real broker)', () => {
  const topic = uniqueTopic('exact');
  const alice = newKey();
  const secret = 'alice-shared-secret-0123456789';
  let gw: RunningGateway;
  before(async () => {
    gw = await startTestGateway({
      AUTH_KEYS_FILE: writeKeysFile([
        { name: 'alice', key_sha256: sha256Hex(alice), topics: [topic], hmac_secret: secret },
        { name: 'bob', key_sha256: sha256Hex(newKey()), topics: [topic] },
      ]),
    });
  });
  after(() => gw.shutdown());
  const post = (body: string | Buffer, headers: Record<string, string> = { 'x-api-key': alice }, path = '/produce') =>
    fetch(`${gw.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  for (const [what, message, code] of [
    ['1e400 (would be written as null)', '1e400', 'NUMBER_NOT_EXACT'],
    ['-1e400', '{"a":[-1e400]}', 'NUMBER_NOT_EXACT'],
    ['9007199254740993 (would be written as …992)', '9007199254740993', 'NUMBER_NOT_EXACT'],
    ['a decimal with more digits than a double holds', '0.12345678901234567890123', 'NUMBER_NOT_EXACT'],
    ['1e-400 (would be written as 0)', '1e-400', 'NUMBER_NOT_EXACT'],
  ] as const) {
    it(`${what} → 400 ${code}, nothing written`, async () => {
      const res = await post(`{"topic":"${topic}","message":${message}}`);
      expect(res.status).to.equal(400);
      expect(res.body).to.include({ success: false, code });
      expect(res.body.detail).to.contain(message.replace(/^\{"a":\[|\]\}$/g, '').slice(0, 20));
    });
  }

  it('invalid UTF-8 → 400 INVALID_UTF8, signed or not (the record would differ from the signed bytes)', async () => {
    const body = Buffer.concat([Buffer.from(`{"topic":"${topic}","message":"caf`), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    expect((await post(body)).body).to.include({ code: 'INVALID_UTF8' });
    const t = Math.floor(Date.now() / 1000);
    const signed = await post(body, { 'x-kgate-client': 'alice', 'x-kgate-signature': signRequest(secret, t, { method: 'POST', target: '/produce', body }) });
    expect(signed.status).to.equal(400);
    expect(signed.body).to.include({ code: 'INVALID_UTF8' });
  });

  it('numbers written back as the same decimal are written: 2^53-1, 0.1, -0.5, 1e300, 12345678901234.5; 2^60 is not (it would read …847000)', async () => {
    expect((await post(`{"topic":"${topic}","message":1152921504606846976}`)).body).to.include({ code: 'NUMBER_NOT_EXACT' });
    const message = '{"big":9007199254740991,"tenth":0.1,"neg":-0.5,"huge":1e300,"long":12345678901234.5}';
    const res = await post(`{"topic":"${topic}","key":"exact","message":${message}}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const record = (await readTopic(topic)).find((r) => r.key === 'exact')!;
    expect(record.payload).to.contain('"big":9007199254740991').and.contain('"tenth":0.1').and.contain('"huge":1e+300').and.contain('"long":12345678901234.5');
  });

  it('NDJSON: a line with an inexact number or invalid UTF-8 fails alone, the others are written', async () => {
    const lines = [`{"topic":"${topic}","key":"nd-ok","message":1}\n`, `{"topic":"${topic}","message":1e400}\n`, `{"topic":"${topic}","message":"\xff"}\n`];
    const raw = [Buffer.from(lines[0]!), Buffer.from(lines[1]!), Buffer.concat([Buffer.from(`{"topic":"${topic}","message":"`), Buffer.from([0xff]), Buffer.from('"}\n')])];
    const answer = await streamNdjson(gw.url, raw.map((b) => b.toString('latin1')), { headers: { 'x-api-key': alice }, encoding: 'latin1' });
    expect(answer.ok).to.equal(1);
    const byLine = Object.fromEntries(answer.results.map((r) => [r['line'], r['code'] ?? 'OK']));
    expect(byLine).to.deep.equal({ 1: 'OK', 2: 'NUMBER_NOT_EXACT', 3: 'INVALID_UTF8' });
  });

  it('nothing refused reached Kafka', async () => {
    const records = await readTopic(topic);
    expect(records.map((r) => r.key).sort()).to.deep.equal(['exact', 'nd-ok']);
  });
});
