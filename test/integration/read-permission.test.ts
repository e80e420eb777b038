import { expect } from 'chai';
import { WebSocket } from 'ws';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { getJson, postJson, startTestGateway } from '../helpers/gateway.js';
import { produceWithKcat } from '../helpers/kcat.js';
import { newKey, sha256Hex, writeKeysFile } from '../helpers/keys-file.js';
import { openSse } from '../helpers/sse.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const submission = { code: 'print(42)', language: 'python' };

/** A WebSocket with an API key whose messages are collected. */
async function socket(url: string, key: string): Promise<{ ws: WebSocket; messages: any[] }> {
  const ws = new WebSocket(url, { headers: { 'x-api-key': key } });
  const messages: any[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, messages };
}

// Issue 26, finding 5 (reading has its own permission) and issue 20, "Whose submission is it".
describe('reading takes its own permission (two clients, keys on, real broker)', function () {
  this.timeout(120_000);
  const statusTopic = uniqueTopic('read-status');
  const orders = uniqueTopic('read-orders');
  const alice = newKey();
  const bob = newKey();
  const ops = newKey();
  let gw: RunningGateway;
  let keysFile: string;

  before(async () => {
    gw = await startTestGateway({
      STATUS_TOPIC: statusTopic,
      AUTH_KEYS_FILE: (keysFile = writeKeysFile([
        // alice writes orders and submits code, and may read neither topic.
        { name: 'alice', key_sha256: sha256Hex(alice), topics: ['code-execution', orders] },
        // bob submits code too; he may read orders, and the status topic's glob does not reach a reserved topic.
        { name: 'bob', key_sha256: sha256Hex(bob), topics: ['code-execution'], read_topics: [orders, 'read-status*'] },
        // ops writes nothing and reads the status topic (every submission) by its exact name.
        { name: 'ops', key_sha256: sha256Hex(ops), topics: [], read_topics: [statusTopic] },
      ])),
    });
    expect((await postJson(`${gw.url}/produce`, { topic: orders, message: 1 }, { 'x-api-key': alice })).status).to.equal(200);
  });
  after(() => gw?.shutdown());

  it('a tail needs read_topics: writing a topic (code-execution included) does not grant reading it', async () => {
    for (const topic of [orders, 'code-execution']) {
      const refused = await getJson(`${gw.url}/topics/${topic}/events`, { 'x-api-key': alice });
      expect(refused.status, topic).to.equal(403);
      expect(refused.body, topic).to.include({ code: 'TOPIC_FORBIDDEN', reason: 'key' });
      expect(refused.body.detail, topic).to.contain('read_topics');
    }
    const tail = await openSse(`${gw.url}/topics/${orders}/events?from=earliest`, { 'x-api-key': bob });
    expect(tail.status).to.equal(200);
    expect(await tail.next()).to.have.property('topic', orders);
    tail.close();
  });

  it('reserved topics stay reserved: a read glob does not reach the status topic, its exact name does', async () => {
    const glob = await getJson(`${gw.url}/topics/${statusTopic}/events`, { 'x-api-key': bob });
    expect(glob.status).to.equal(403);
    expect(glob.body).to.include({ code: 'TOPIC_FORBIDDEN', reason: 'reserved' });
    const exact = await openSse(`${gw.url}/topics/${statusTopic}/events`, { 'x-api-key': ops });
    expect(exact.status).to.equal(200);
    exact.close();
  });

  it("a client reads only its own submissions: another client's id is 404 (lookup and SSE), not 403", async () => {
    const { body } = await postJson(`${gw.url}/submit-code`, submission, { 'x-api-key': alice });
    const id = body.request_id as string;
    const own = await getJson(`${gw.url}/submissions/${id}`, { 'x-api-key': alice });
    expect(own.status).to.equal(200);
    expect(own.body).to.include({ request_id: id, status: 'queued' });
    expect(own.body).not.to.have.property('owner');

    const other = await getJson(`${gw.url}/submissions/${id}`, { 'x-api-key': bob });
    expect(other.status).to.equal(404);
    const unknown = await getJson(`${gw.url}/submissions/never-${Date.now()}`, { 'x-api-key': bob });
    // Exactly what an unknown id answers: nothing says the id exists.
    expect(Object.keys(other.body).sort()).to.deep.equal(Object.keys(unknown.body).sort());
    expect(other.body).to.include({ code: 'SUBMISSION_NOT_FOUND', detail: unknown.body.detail });
    const sse = await openSse(`${gw.url}/submissions/${id}/events`, { 'x-api-key': bob });
    expect(sse.status).to.equal(404);
    expect(sse.body).to.include({ code: 'SUBMISSION_NOT_FOUND' });

    // The status topic's reader sees every submission.
    expect((await getJson(`${gw.url}/submissions/${id}`, { 'x-api-key': ops })).status).to.equal(200);

    // Another replica learns whose it is from the topic (the queued record's kgate-client header).
    const replica = await startTestGateway({ STATUS_TOPIC: statusTopic, AUTH_KEYS_FILE: keysFile });
    try {
      expect((await getJson(`${replica.url}/submissions/${id}`, { 'x-api-key': alice })).status).to.equal(200);
      expect((await getJson(`${replica.url}/submissions/${id}`, { 'x-api-key': bob })).status).to.equal(404);
    } finally {
      await replica.shutdown();
    }
  });

  it("over WebSocket, another client's submission stays silent; its owner gets every event", async () => {
    const { body } = await postJson(`${gw.url}/submit-code`, submission, { 'x-api-key': alice });
    const id = body.request_id as string;
    const wsUrl = `${gw.url.replace('http', 'ws')}/ws?request_id=${id}`;
    const mine = await socket(wsUrl, alice);
    const theirs = await socket(wsUrl, bob);
    const watcher = await socket(wsUrl, ops);
    try {
      await produceWithKcat(statusTopic, [{ key: id, value: { request_id: id, status: 'PASSED', updated_at: new Date().toISOString() } }]);
      const deadline = Date.now() + 10_000;
      while ((mine.messages.length < 2 || watcher.messages.length < 2) && Date.now() < deadline) await sleep(50);
      expect(mine.messages.map((m) => m.status)).to.deep.equal(['queued', 'PASSED']);
      expect(watcher.messages.map((m) => m.status)).to.deep.equal(['queued', 'PASSED']);
      await sleep(300);
      expect(theirs.messages).to.deep.equal([]);
    } finally {
      for (const s of [mine, theirs, watcher]) s.ws.terminate();
    }
  });
});
