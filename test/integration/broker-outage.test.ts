import { expect } from 'chai';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';
import { SecondBroker } from '../helpers/second-broker.js';

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

describe('broker outage (a broker of its own, stopped and restarted)', function () {
  this.timeout(180_000);
  const broker = new SecondBroker();
  const topic = uniqueTopic('outage');
  const MESSAGE_TIMEOUT_MS = 3000;
  let gw: RunningGateway;

  before(async () => {
    await broker.start();
    gw = await startTestGateway({
      KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap,
      PRODUCE_DEADLINE_MS: String(MESSAGE_TIMEOUT_MS), SHUTDOWN_TIMEOUT_MS: '10000',
      KAFKA_STATISTICS_INTERVAL_MS: '500',
    });
  });
  after(async () => {
    await gw?.shutdown();
    await broker.destroy();
  });

  const health = async () => (await fetch(`${gw.url}/health`)).status;

  it('produces while the broker is up', async () => {
    const res = await postJson(`${gw.url}/produce`, { topic, key: 'k', message: { phase: 'before' } });
    expect(res.status).to.equal(200);
  });

  it('a hung broker: the request fails within PRODUCE_DEADLINE_MS + 1 s, with Retry-After', async () => {
    broker.freeze();
    try {
      const started = Date.now();
      const res = await postJson(`${gw.url}/produce`, { topic, key: 'k', message: { phase: 'frozen' } });
      const elapsed = Date.now() - started;
      expect(res.status, JSON.stringify(res.body)).to.be.oneOf([503, 504]);
      expect(res.body.retriable).to.equal(true);
      expect(elapsed).to.be.at.most(MESSAGE_TIMEOUT_MS + 1000);
      expect(res.headers.get('retry-after')).to.equal('1');
    } finally {
      broker.thaw();
    }
    await waitFor(async () => (await health()) === 200, 30_000);
  });

  it('a stopped broker: /health turns 503 and /produce fails fast with 503', async () => {
    await broker.stop();
    await waitFor(async () => (await health()) === 503, 15_000);
    const body = (await (await fetch(`${gw.url}/health`)).json()) as Record<string, unknown>;
    expect(body).to.include({ status: 'unhealthy', kafka_connected: false });

    const started = Date.now();
    const res = await postJson(`${gw.url}/produce`, { topic, key: 'k', message: { phase: 'down' } });
    expect(Date.now() - started).to.be.below(1000);
    expect(res.status).to.equal(503);
    expect(res.body).to.include({ code: 'KAFKA_UNAVAILABLE', retriable: true });
    expect(res.headers.get('retry-after')).to.equal('1');

    // A batch none of whose items could be written, all for that reason, answers with that status too.
    const batch = await postJson(`${gw.url}/produce/batch`, [{ topic, message: 1 }, { topic, message: 2 }]);
    expect(batch.status).to.equal(503);
    expect(batch.headers.get('retry-after')).to.equal('1');
    expect(batch.body).to.include({ success: false, messages_sent: 0, messages_failed: 2 });
    expect(batch.body.results.map((r: { code: string }) => r.code)).to.deep.equal(['KAFKA_UNAVAILABLE', 'KAFKA_UNAVAILABLE']);

    // A refusal is not remembered under an Idempotency-Key: the retry once Kafka is back writes.
    const keyed = await postJson(`${gw.url}/produce`, { topic, key: 'k', message: { phase: 'retried' } }, { 'Idempotency-Key': 'outage-retry' });
    expect(keyed.status).to.equal(503);
  });

  it('the broker back: produce works again', async () => {
    await broker.start();
    await waitFor(async () => (await health()) === 200, 60_000);
    const res = await postJson(`${gw.url}/produce`, { topic, key: 'k', message: { phase: 'after' } });
    expect(res.status).to.equal(200);
    const retried = await postJson(`${gw.url}/produce`, { topic, key: 'k', message: { phase: 'retried' } }, { 'Idempotency-Key': 'outage-retry' });
    expect(retried.status).to.equal(200);
    expect(retried.headers.get('idempotent-replayed')).to.equal(null);
    const phases = (await readTopic(topic, broker.bootstrap)).map((r) => JSON.parse(r.payload).phase as string);
    expect(phases).to.include.members(['before', 'after', 'retried']);
    expect(phases).not.to.include('down');
  });
});
