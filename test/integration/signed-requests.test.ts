import { expect } from 'chai';
import { signRequest } from '../../src/access/signature.js';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { startTestGateway } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';
import { writeKeysFile } from '../helpers/keys-file.js';

describe('HMAC-signed requests', () => {
  const secret = 'orders-shared-secret-0123456789';
  const prefix = uniqueTopic('signed');
  let gw: RunningGateway;

  before(async () => {
    gw = await startTestGateway({
      AUTH_KEYS_FILE: writeKeysFile([{ name: 'signer', hmac_secret: secret, topics: [`${prefix}*`] }]),
      HMAC_TOLERANCE_S: '300',
    });
  });
  after(() => gw?.shutdown());

  const now = () => Math.floor(Date.now() / 1000);
  async function send(body: string, headers: Record<string, string>, path = '/produce') {
    const res = await fetch(`${gw.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    return { status: res.status, body: (await res.json()) as any, headers: res.headers };
  }

  it('a good signature writes, and the record names the signing client', async () => {
    const topic = `${prefix}-good`;
    const body = JSON.stringify({ topic, message: { amount: 10 } });
    const res = await send(body, { 'x-kgate-client': 'signer', 'x-kgate-signature': signRequest(secret, now(), { method: 'POST', target: '/produce', body }) });
    expect(res.status).to.equal(200);
    const [record] = await readTopic(topic);
    expect(record!.headers['kgate-client']).to.equal('signer');
  });

  it('a signed batch: the signature covers the exact bytes, whitespace included', async () => {
    const topic = `${prefix}-batch`;
    const body = `[ {"topic": "${topic}", "message": 1},\n  {"topic": "${topic}", "message": 2} ]`;
    const res = await send(body, { 'x-kgate-client': 'signer', 'x-kgate-signature': signRequest(secret, now(), { method: 'POST', target: '/produce/batch', body }) }, '/produce/batch');
    expect(res.status).to.equal(200);
    expect(res.body.messages_sent).to.equal(2);
  });

  it('a body changed by one byte: 401 SIGNATURE_INVALID, nothing written', async () => {
    const topic = `${prefix}-altered`;
    const body = JSON.stringify({ topic, message: { amount: 10 } });
    const altered = body.replace('10', '90');
    const res = await send(altered, { 'x-kgate-client': 'signer', 'x-kgate-signature': signRequest(secret, now(), { method: 'POST', target: '/produce', body }) });
    expect(res.status).to.equal(401);
    expect(res.body.code).to.equal('SIGNATURE_INVALID');
    expect(res.headers.get('www-authenticate')).to.contain('KgateSignature');
    const check = await send(JSON.stringify({ topic, message: 0 }), { 'x-kgate-client': 'signer', 'x-kgate-signature': signRequest(secret, now(), { method: 'POST', target: '/produce', body: JSON.stringify({ topic, message: 0 }) }) });
    expect(check.status).to.equal(200);
    expect((await readTopic(topic)).map((r) => JSON.parse(r.payload))).to.deep.equal([0]);
  });

  it('a stale timestamp, and a replay of a once-good request outside the window: 401 SIGNATURE_EXPIRED', async () => {
    const body = JSON.stringify({ topic: `${prefix}-stale`, message: 1 });
    const stale = await send(body, { 'x-kgate-client': 'signer', 'x-kgate-signature': signRequest(secret, now() - 301, { method: 'POST', target: '/produce', body }) });
    expect(stale.status).to.equal(401);
    expect(stale.body.code).to.equal('SIGNATURE_EXPIRED');
    const future = await send(body, { 'x-kgate-client': 'signer', 'x-kgate-signature': signRequest(secret, now() + 3600, { method: 'POST', target: '/produce', body }) });
    expect(future.body.code).to.equal('SIGNATURE_EXPIRED');
  });

  it('a replay inside the window is accepted (the window bounds replays; idempotency keys dedupe them)', async () => {
    const body = JSON.stringify({ topic: `${prefix}-replay`, message: 1 });
    const headers = { 'x-kgate-client': 'signer', 'x-kgate-signature': signRequest(secret, now(), { method: 'POST', target: '/produce', body }) };
    expect((await send(body, headers)).status).to.equal(200);
    expect((await send(body, headers)).status).to.equal(200);
  });

  it('a malformed header, a missing client and an unknown client each have their own code', async () => {
    const body = JSON.stringify({ topic: `${prefix}-x`, message: 1 });
    const malformed = await send(body, { 'x-kgate-client': 'signer', 'x-kgate-signature': 'sha256=abc' });
    expect(malformed.body.code).to.equal('SIGNATURE_MALFORMED');
    const noClient = await send(body, { 'x-kgate-signature': signRequest(secret, now(), { method: 'POST', target: '/produce', body }) });
    expect(noClient.body.code).to.equal('SIGNATURE_MALFORMED');
    const unknown = await send(body, { 'x-kgate-client': 'nobody', 'x-kgate-signature': signRequest(secret, now(), { method: 'POST', target: '/produce', body }) });
    expect(unknown.status).to.equal(401);
    expect(unknown.body.code).to.equal('UNKNOWN_CLIENT');
  });

  it('a wrong secret: 401 SIGNATURE_INVALID; invalid JSON with a good signature reaches the parser (400)', async () => {
    const body = JSON.stringify({ topic: `${prefix}-x`, message: 1 });
    const wrong = await send(body, { 'x-kgate-client': 'signer', 'x-kgate-signature': signRequest('not-the-secret-at-all', now(), { method: 'POST', target: '/produce', body }) });
    expect(wrong.body.code).to.equal('SIGNATURE_INVALID');
    const broken = '{"topic": ';
    const invalid = await send(broken, { 'x-kgate-client': 'signer', 'x-kgate-signature': signRequest(secret, now(), { method: 'POST', target: '/produce', body: broken }) });
    expect(invalid.status).to.equal(400);
    expect(invalid.body.code).to.equal('INVALID_JSON');
    // The signature is checked over the raw bytes before parsing: broken JSON with a bad signature is a 401.
    const unsigned = await send(broken, { 'x-kgate-client': 'signer', 'x-kgate-signature': signRequest(secret, now(), { method: 'POST', target: '/produce', body: '{}' }) });
    expect(unsigned.status).to.equal(401);
    expect(unsigned.body.code).to.equal('SIGNATURE_INVALID');
  });

  it('a signed GET signs the empty body with its method and path', async () => {
    const res = await fetch(`${gw.url}/topics`, { headers: { 'x-kgate-client': 'signer', 'x-kgate-signature': signRequest(secret, now(), { method: 'GET', target: '/topics' }) } });
    expect(res.status).to.equal(200);
  });

  // Issue 26, finding 4: the signed string was "<t>.<body>", so one signature over an empty body opened every GET.
  it('a signature is bound to its method, path and query: captured once, it opens no other request', async () => {
    const headers = { 'x-kgate-client': 'signer', 'x-kgate-signature': signRequest(secret, now(), { method: 'GET', target: '/topics' }) };
    expect((await fetch(`${gw.url}/topics`, { headers })).status).to.equal(200);
    for (const target of ['/schemas', '/kafka-status', '/topics?x=1', `/topics/${prefix}-tail/events?from=earliest`]) {
      const res = await fetch(`${gw.url}${target}`, { headers });
      expect(res.status, target).to.equal(401);
      expect(((await res.json()) as any).code, target).to.equal('SIGNATURE_INVALID');
    }
    // A POST signature does not open the same body on another path either.
    const body = JSON.stringify([{ topic: `${prefix}-bound`, message: 1 }]);
    const forBatch = signRequest(secret, now(), { method: 'POST', target: '/produce/batch', body });
    expect((await send(body, { 'x-kgate-client': 'signer', 'x-kgate-signature': forBatch }, '/produce')).status).to.equal(401);
    expect((await send(body, { 'x-kgate-client': 'signer', 'x-kgate-signature': forBatch }, '/produce/batch')).status).to.equal(200);
  });
});
