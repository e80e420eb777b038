import { expect } from 'chai';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';
import { produceWithKcat } from '../helpers/kcat.js';
import { newKey, sha256Hex, writeKeysFile } from '../helpers/keys-file.js';
import { openSse, type SseClient } from '../helpers/sse.js';

describe('live topic tail GET /topics/{topic}/events (real broker)', function () {
  this.timeout(120_000);
  const topic = uniqueTopic('tail');
  let gw: RunningGateway;

  before(async () => {
    gw = await startTestGateway({ STATUS_TOPIC: uniqueTopic('status-tail'), TAIL_MAX_CONCURRENT: '2', TAIL_IDLE_TIMEOUT_S: '2' });
    // One partition, so offsets are predictable: 0, 1, 2.
    for (const n of [0, 1, 2]) {
      const res = await postJson(`${gw.url}/produce`, { topic, partition: 0, key: `k${n}`, message: { n }, headers: { h: `v${n}` } });
      expect(res.status).to.equal(200);
    }
  });
  after(async () => {
    await gw?.shutdown();
  });

  it('from=earliest replays what is there, as JSON records with partition, offset, key, headers', async () => {
    const tail = await openSse(`${gw.url}/topics/${topic}/events?from=earliest`);
    try {
      expect(tail.status).to.equal(200);
      const first = await tail.next();
      expect(first).to.include({ topic, partition: 0, offset: 0, key: 'k0', value_encoding: 'json' });
      expect(first.value).to.include({ n: 0 });
      expect(first.headers).to.deep.include({ key: 'h', value: 'v0' });
      expect(first.timestamp).to.be.a('string');
      expect((await tail.next()).offset).to.equal(1);
      expect((await tail.next()).offset).to.equal(2);
    } finally {
      tail.close();
    }
  });

  it('from=latest sends only what is written after it started; key= filters', async () => {
    const tail = await openSse(`${gw.url}/topics/${topic}/events?from=latest&key=wanted`);
    try {
      await produceWithKcat(topic, [
        { key: 'other', value: { n: 'x' } },
        { key: 'wanted', value: { n: 'y' } },
      ]);
      const got = await tail.next();
      expect(got).to.include({ key: 'wanted' });
      expect(got.value).to.deep.equal({ n: 'y' });
    } finally {
      tail.close();
    }
  });

  it('from=<offset> starts at that offset in every partition', async () => {
    const tail = await openSse(`${gw.url}/topics/${topic}/events?from=2`);
    try {
      expect(await tail.next()).to.include({ offset: 2, key: 'k2' });
    } finally {
      tail.close();
    }
  });

  it('caps concurrent tails (503 TOO_MANY_TAILS) and frees the slot when a client goes', async () => {
    const a = await openSse(`${gw.url}/topics/${topic}/events`);
    const b = await openSse(`${gw.url}/topics/${topic}/events`);
    expect([a.status, b.status]).to.deep.equal([200, 200]);
    const c = await openSse(`${gw.url}/topics/${topic}/events`);
    expect(c.status).to.equal(503);
    expect(c.body).to.include({ code: 'TOO_MANY_TAILS', limit: 2 });
    a.close();
    b.close();
    await new Promise((r) => setTimeout(r, 300));
    const d = await openSse(`${gw.url}/topics/${topic}/events`);
    expect(d.status).to.equal(200);
    d.close();
  });

  it('closes an idle tail after TAIL_IDLE_TIMEOUT_S', async () => {
    const tail = await openSse(`${gw.url}/topics/${topic}/events?from=latest`);
    expect(await tail.next(10_000)).to.equal(undefined);
    expect(tail.comments).to.include('idle timeout');
  });

  it('refuses a bad from (400 INVALID_OFFSET), a bad topic name (400) and an unknown topic (404)', async () => {
    let res = await fetch(`${gw.url}/topics/${topic}/events?from=-5`);
    expect(res.status).to.equal(400);
    expect(await res.json()).to.include({ code: 'INVALID_OFFSET' });
    res = await fetch(`${gw.url}/topics/${'x'.repeat(300)}/events`);
    expect(res.status).to.equal(400);
    expect(await res.json()).to.include({ code: 'INVALID_TOPIC' });
    res = await fetch(`${gw.url}/topics/no-such-topic-${Date.now()}/events`);
    expect(res.status).to.equal(404);
    expect(await res.json()).to.include({ code: 'UNKNOWN_TOPIC' });
  });
});

// Issue 26, finding 6: bob's 10 tails left alice 503 TOO_MANY_TAILS, and nothing bounded how fast he opened them.
describe('tail slots per client (two clients, keys on, real broker)', function () {
  this.timeout(120_000);
  const topic = uniqueTopic('tail-share');
  const alice = newKey();
  const bob = newKey();
  const keys = () =>
    writeKeysFile([
      { name: 'alice', key_sha256: sha256Hex(alice), topics: [topic], read_topics: [topic] },
      { name: 'bob', key_sha256: sha256Hex(bob), topics: [], read_topics: [topic] },
    ]);

  it("one client's tails stop at TAIL_MAX_PER_CLIENT (429), below the gateway's cap: another client still gets one", async () => {
    const gw = await startTestGateway({ STATUS_TOPIC: uniqueTopic('status-tail-share'), AUTH_KEYS_FILE: keys() });
    const open: SseClient[] = [];
    try {
      expect((await postJson(`${gw.url}/produce`, { topic, message: 1 }, { 'x-api-key': alice })).status).to.equal(200);
      for (let i = 0; i < 3; i++) {
        const tail = await openSse(`${gw.url}/topics/${topic}/events`, { 'x-api-key': bob });
        expect(tail.status, `tail ${i}`).to.equal(200);
        open.push(tail);
      }
      const refused = await openSse(`${gw.url}/topics/${topic}/events`, { 'x-api-key': bob });
      expect(refused.status).to.equal(429);
      expect(refused.body).to.include({ code: 'TOO_MANY_CLIENT_TAILS', limit: 3, retriable: true });
      const hers = await openSse(`${gw.url}/topics/${topic}/events`, { 'x-api-key': alice });
      expect(hers.status).to.equal(200);
      open.push(hers);
    } finally {
      for (const t of open) t.close();
      await gw.shutdown();
    }
  });

  it('opening tails is rate limited per client (TAIL_OPEN_PER_S, TAIL_OPEN_BURST): 429 RATE_LIMITED with Retry-After', async () => {
    const gw = await startTestGateway({
      STATUS_TOPIC: uniqueTopic('status-tail-rate'),
      AUTH_KEYS_FILE: keys(),
      TAIL_OPEN_PER_S: '0.01',
      TAIL_OPEN_BURST: '2',
    });
    try {
      expect((await postJson(`${gw.url}/produce`, { topic, message: 1 }, { 'x-api-key': alice })).status).to.equal(200);
      for (let i = 0; i < 2; i++) {
        const tail = await openSse(`${gw.url}/topics/${topic}/events`, { 'x-api-key': bob });
        expect(tail.status).to.equal(200);
        tail.close();
      }
      const limited = await openSse(`${gw.url}/topics/${topic}/events`, { 'x-api-key': bob });
      expect(limited.status).to.equal(429);
      expect(limited.body).to.include({ code: 'RATE_LIMITED', retriable: true });
      expect(Number(limited.headers.get('retry-after'))).to.be.at.least(1);
      const hers = await openSse(`${gw.url}/topics/${topic}/events`, { 'x-api-key': alice });
      expect(hers.status).to.equal(200);
      hers.close();
    } finally {
      await gw.shutdown();
    }
  });
});
