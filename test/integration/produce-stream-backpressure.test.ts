import { expect } from 'chai';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';
import { streamNdjson } from '../helpers/ndjson.js';
import { newKey, sha256Hex, writeKeysFile } from '../helpers/keys-file.js';
import { SecondBroker } from '../helpers/second-broker.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('NDJSON stream back-pressure with a broker that stops answering', () => {
  const broker = new SecondBroker();
  const topic = uniqueTopic('stream-backpressure');
  let gw: RunningGateway;

  before(async function () {
    this.timeout(180_000);
    await broker.start();
    gw = await startTestGateway({ KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap, NDJSON_MAX_IN_FLIGHT: '20', KAFKA_MESSAGE_TIMEOUT_MS: '60000' });
    // The topic exists and has a leader before the broker freezes.
    expect((await postJson(`${gw.url}/produce`, { topic, message: { warm: true } })).status).to.equal(200);
  });
  after(async function () {
    this.timeout(120_000);
    broker.thaw();
    await gw?.shutdown();
    await broker.destroy();
  });

  it('stops reading the body while the window is full, then finishes every line once the broker is back', async function () {
    this.timeout(180_000);
    const total = 20_000; // ~21 MB
    const filler = 'z'.repeat(1000);
    function* lines(): Generator<string> {
      for (let i = 0; i < total; i++) yield `${JSON.stringify({ topic, key: `k${i % 4}`, message: { i, filler } })}\n`;
    }
    broker.freeze();
    let sent = 0;
    let maxInFlight = 0;
    const sampler = setInterval(() => (maxInFlight = Math.max(maxInFlight, gw.producer.inFlight)), 2);
    const answer = streamNdjson(gw.url, lines(), { keepResults: false, onProgress: (bytes) => (sent = bytes) });
    await sleep(3000);
    const sentWhileFrozen = sent;
    await sleep(2000);
    // Nothing more was read: the client is held back by TCP, and only socket buffers hold data.
    expect(sent - sentWhileFrozen).to.be.below(256 * 1024);
    expect(sentWhileFrozen).to.be.below(8 * 1024 * 1024);
    expect(gw.producer.inFlight).to.be.at.most(20);
    broker.thaw();
    const done = await answer;
    clearInterval(sampler);
    expect(done.ok).to.equal(total);
    expect(maxInFlight).to.be.at.most(20);
    const records = await readTopic(topic, broker.bootstrap);
    expect(records).to.have.length(total + 1);
  });

  // Issue 26, finding 3: one client's streams took all of MAX_IN_FLIGHT, and everyone else got 503 OVERLOADED.
  it("one client's streams wait within its share of MAX_IN_FLIGHT; another client's single requests do not fail", async function () {
    this.timeout(180_000);
    const alice = newKey();
    const bob = newKey();
    const mine = uniqueTopic('share');
    const shared = await startTestGateway({
      KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap,
      MAX_IN_FLIGHT: '200', // alice's share: half of it
      NDJSON_MAX_IN_FLIGHT: '50',
      NDJSON_STREAMS_MAX_OPEN: '4', // 4 × 50 fit in MAX_IN_FLIGHT, as start-up demands
      AUTH_KEYS_FILE: writeKeysFile([
        { name: 'alice', key_sha256: sha256Hex(alice), topics: [mine] },
        { name: 'bob', key_sha256: sha256Hex(bob), topics: [mine] },
      ]),
    });
    try {
      expect((await postJson(`${shared.url}/produce`, { topic: mine, message: { warm: true } }, { 'x-api-key': bob })).status).to.equal(200);
      broker.freeze();
      const perStream = 300;
      const streams = [0, 1, 2, 3].map((s) =>
        streamNdjson(shared.url, Array.from({ length: perStream }, (_, i) => `${JSON.stringify({ topic: mine, message: { s, i } })}\n`), {
          headers: { 'x-api-key': alice },
        }),
      );
      const deadline = Date.now() + 5000;
      while (shared.producer.inFlight < 100 && Date.now() < deadline) await sleep(20);
      await sleep(300);
      // Alice's streams hold her share and no more: they wait, they do not fail.
      expect(shared.producer.inFlight).to.equal(100);
      const singles = Array.from({ length: 20 }, (_, i) => postJson(`${shared.url}/produce`, { topic: mine, message: { bob: i } }, { 'x-api-key': bob }));
      await sleep(500);
      expect(shared.producer.inFlight).to.equal(120);
      broker.thaw();
      const answers = await Promise.all(singles);
      expect(answers.map((a) => a.status)).to.deep.equal(Array(20).fill(200));
      for (const done of await Promise.all(streams)) {
        expect(done.ok, JSON.stringify(done.results.find((r) => !r['success']))).to.equal(perStream);
      }
    } finally {
      broker.thaw();
      await shared.shutdown();
    }
  });
});
