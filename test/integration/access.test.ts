import { expect } from 'chai';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';
import { newKey, sha256Hex, writeKeysFile } from '../helpers/keys-file.js';

describe('API keys and topic permissions', () => {
  const ordersKey = newKey();
  const workerKey = newKey();
  const prefix = uniqueTopic('acc');
  const orders = `${prefix}.orders`;
  const status = `${prefix}-status`;
  const deadLetter = `${prefix}-dlq`;
  let keysFile: string;
  let gw: RunningGateway;

  const entries = (withOrders = true) => [
    ...(withOrders ? [{ name: 'orders-service', key_sha256: sha256Hex(ordersKey), topics: [`${prefix}.*`, `${prefix}-*`] }] : []),
    { name: 'status-worker', key_sha256: sha256Hex(workerKey), topics: [status] },
  ];

  before(async () => {
    keysFile = writeKeysFile(entries());
    gw = await startTestGateway({ AUTH_KEYS_FILE: keysFile, STATUS_TOPIC: status, DEAD_LETTER_TOPIC: deadLetter });
  });
  after(() => gw?.shutdown());

  const produce = (body: unknown, headers: Record<string, string> = {}) => postJson(`${gw.url}/produce`, body, headers);

  it('no key: 401 AUTH_REQUIRED with WWW-Authenticate', async () => {
    const res = await produce({ topic: orders, message: { a: 1 } });
    expect(res.status).to.equal(401);
    expect(res.body.code).to.equal('AUTH_REQUIRED');
    expect(res.headers.get('www-authenticate')).to.contain('Bearer');
  });

  it('an unknown key: 401 INVALID_API_KEY, in either header', async () => {
    for (const headers of [{ authorization: 'Bearer not-a-key' }, { 'x-api-key': 'not-a-key' }]) {
      const res = await produce({ topic: orders, message: { a: 1 } }, headers);
      expect(res.status).to.equal(401);
      expect(res.body.code).to.equal('INVALID_API_KEY');
      expect(res.headers.get('www-authenticate')).to.contain('Bearer');
    }
  });

  it('a good key writes, and the record names the client in kgate-client (read back with kcat)', async () => {
    const res = await produce({ topic: orders, message: { n: 1 } }, { authorization: `Bearer ${ordersKey}` });
    expect(res.status).to.equal(200);
    const viaHeader = await produce({ topic: orders, message: { n: 2 } }, { 'x-api-key': ordersKey });
    expect(viaHeader.status).to.equal(200);
    const records = await readTopic(orders);
    expect(records.map((r) => r.headers['kgate-client'])).to.deep.equal(['orders-service', 'orders-service']);
    expect(JSON.stringify(records)).not.to.contain(ordersKey);
  });

  it('a client still may not set kgate-* headers itself', async () => {
    const res = await produce({ topic: orders, message: 1, headers: { 'kgate-client': 'someone-else' } }, { 'x-api-key': ordersKey });
    expect(res.status).to.equal(400);
    expect(res.body.code).to.equal('INVALID_HEADERS');
  });

  it('a topic outside the key: 403 TOPIC_FORBIDDEN', async () => {
    const res = await produce({ topic: uniqueTopic('elsewhere'), message: 1 }, { 'x-api-key': ordersKey });
    expect(res.status).to.equal(403);
    expect(res.body).to.include({ code: 'TOPIC_FORBIDDEN', reason: 'key', field: 'topic' });
  });

  it('a mixed batch: 207, the allowed items are written, the forbidden one is refused alone', async () => {
    const topic = `${prefix}.batch`;
    const res = await postJson(
      `${gw.url}/produce/batch`,
      [{ topic, message: { i: 0 } }, { topic: 'not-mine', message: { i: 1 } }, { topic, message: { i: 2 } }],
      { 'x-api-key': ordersKey },
    );
    expect(res.status).to.equal(207);
    expect(res.body.messages_sent).to.equal(2);
    expect(res.body.results[1]).to.include({ success: false, code: 'TOPIC_FORBIDDEN' });
    expect((await readTopic(topic)).map((r) => JSON.parse(r.payload).i).sort()).to.deep.equal([0, 2]);
  });

  it('reserved topics: refused even when a glob matches, written when the entry names them', async () => {
    for (const topic of [status, deadLetter]) {
      const res = await produce({ topic, message: { status: 'completed' } }, { 'x-api-key': ordersKey });
      expect(res.status, topic).to.equal(403);
      expect(res.body).to.include({ code: 'TOPIC_FORBIDDEN', reason: 'reserved' });
    }
    // Keyed: the status topic is compacted, and the broker refuses a keyless record there (422 RECORD_REJECTED).
    const named = await produce({ topic: status, key: 'r-1', message: { status: 'running' } }, { 'x-api-key': workerKey });
    expect(named.status).to.equal(200);
    const keyless = await produce({ topic: status, message: { status: 'running' } }, { 'x-api-key': workerKey });
    expect(keyless.status).to.equal(422);
    expect(keyless.body).to.include({ code: 'RECORD_REJECTED' });
    const dlq = await produce({ topic: deadLetter, message: 1 }, { 'x-api-key': workerKey });
    expect(dlq.status).to.equal(403);
  });

  it('/submit-code goes through the same permissions: the code-execution topic must be among the key\'s topics', async () => {
    const res = await postJson(`${gw.url}/submit-code`, { code: 'print(1)', language: 'python' }, { 'x-api-key': ordersKey });
    expect(res.status).to.equal(403);
    expect(res.body).to.include({ code: 'TOPIC_FORBIDDEN', reason: 'key' });
  });

  it('probes stay open; / says authentication is on; /metrics is open by default', async () => {
    for (const path of ['/health', '/ready', '/metrics']) expect((await fetch(`${gw.url}${path}`)).status, path).to.equal(200);
    const root = await fetch(`${gw.url}/`);
    expect(((await root.json()) as any).authentication).to.equal('api-keys');
    expect((await fetch(`${gw.url}/schemas`)).status).to.equal(401);
  });

  it('a revoked key stops working after reload (the function SIGHUP calls); a broken file keeps the old keys', async () => {
    expect((await produce({ topic: orders, message: 1 }, { 'x-api-key': ordersKey })).status).to.equal(200);
    writeKeysFile('[{"name": "broken"', keysFile);
    expect(gw.reloadKeys()).to.equal(false);
    expect((await produce({ topic: orders, message: 1 }, { 'x-api-key': ordersKey })).status).to.equal(200);
    writeKeysFile(entries(false), keysFile);
    expect(gw.reloadKeys()).to.equal(true);
    const revoked = await produce({ topic: orders, message: 1 }, { 'x-api-key': ordersKey });
    expect(revoked.status).to.equal(401);
    expect(revoked.body.code).to.equal('INVALID_API_KEY');
    expect((await produce({ topic: status, key: 'r-2', message: 1 }, { 'x-api-key': workerKey })).status).to.equal(200);
  });
});

describe('authentication settings', () => {
  it('METRICS_REQUIRE_AUTH=true puts /metrics behind the keys', async () => {
    const key = newKey();
    const gw = await startTestGateway({
      AUTH_KEYS_FILE: writeKeysFile([{ name: 'prom', key_sha256: sha256Hex(key), topics: [] }]),
      METRICS_REQUIRE_AUTH: 'true',
    });
    try {
      expect((await fetch(`${gw.url}/metrics`)).status).to.equal(401);
      expect((await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${key}` } })).status).to.equal(200);
      expect((await fetch(`${gw.url}/health`)).status).to.equal(200);
    } finally {
      await gw.shutdown();
    }
  });

  it('a broken keys file stops start-up naming the entry and the problem', async () => {
    const file = writeKeysFile([{ name: 'ok', key_sha256: sha256Hex('x'), topics: [] }, { name: 'bad-one', key_sha256: 'nothex', topics: [] }]);
    let error: Error | undefined;
    try {
      const gw = await startTestGateway({ AUTH_KEYS_FILE: file });
      await gw.shutdown();
    } catch (err) {
      error = err as Error;
    }
    expect(error?.message).to.match(/entry 1 \(bad-one\): key_sha256/);
  });

  it('without a keys file (./run.sh defaults): open to every topic but the reserved ones, no kgate-client header', async () => {
    const status = uniqueTopic('open-status');
    const gw = await startTestGateway({ STATUS_TOPIC: status });
    try {
      const topic = uniqueTopic('open');
      expect((await postJson(`${gw.url}/produce`, { topic, message: 1 })).status).to.equal(200);
      expect((await readTopic(topic))[0]!.headers).not.to.have.property('kgate-client');
      const forged = await postJson(`${gw.url}/produce`, { topic: status, message: { status: 'completed' } });
      expect(forged.status).to.equal(403);
      expect(forged.body.reason).to.equal('reserved');
      expect(((await (await fetch(`${gw.url}/`)).json()) as any).authentication).to.equal('off');
    } finally {
      await gw.shutdown();
    }
  });
});
