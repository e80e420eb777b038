import { expect } from 'chai';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';
import { streamNdjson } from '../helpers/ndjson.js';
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
});
