import { expect } from 'chai';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';
import { SecondBroker } from '../helpers/second-broker.js';

interface Answer {
  id: string;
  key: string;
  status: number;
  code?: string | undefined;
  elapsed: number;
  retryAfter: string | null;
  /** Set on 504s the gateway's own deadline gave (librdkafka had not reported). */
  reason?: string | undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a frozen broker under load: the deadline holds, back-pressure, unknown outcomes (a broker of its own)', function () {
  this.timeout(240_000);
  const broker = new SecondBroker();
  const topic = uniqueTopic('deadline');
  const DEADLINE_MS = 2000;
  const MAX_IN_FLIGHT = 300;
  let gw: RunningGateway;
  const answers: Answer[] = [];
  /** Per item of the batches: which were refused (503) and so must not be in Kafka. */
  const batchItems: Answer[] = [];
  let rssGrowth = 0;

  before(async () => {
    await broker.start();
    gw = await startTestGateway({
      KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap,
      PRODUCE_DEADLINE_MS: String(DEADLINE_MS),
      SHUTDOWN_TIMEOUT_MS: '10000',
      MAX_IN_FLIGHT: String(MAX_IN_FLIGHT),
      // The streams' windows must fit in MAX_IN_FLIGHT (checked at start-up).
      NDJSON_STREAMS_MAX_OPEN: '1',
      NDJSON_MAX_IN_FLIGHT: String(MAX_IN_FLIGHT),
      KAFKA_STATISTICS_INTERVAL_MS: '500',
    });
    // A new topic on a new broker may take longer than the short deadline to get its leader.
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) status = (await postJson(`${gw.url}/produce`, { topic, message: { id: `warm-up-${i}` } })).status;
    expect(status).to.equal(200);
  });
  after(async () => {
    await gw?.shutdown();
    await broker.destroy();
  });

  const send = async (id: string): Promise<Answer> => {
    const key = `key-${id}`;
    const started = Date.now();
    const res = await postJson(`${gw.url}/produce`, { topic, key: id, message: { id } }, { 'Idempotency-Key': key });
    return { id, key, status: res.status, code: res.body?.code, elapsed: Date.now() - started, retryAfter: res.headers.get('retry-after'), reason: res.body?.reason };
  };

  it(`while frozen: every answer within ${DEADLINE_MS} ms + 1 s, 503 OVERLOADED past MAX_IN_FLIGHT, RSS bounded`, async () => {
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    broker.freeze();
    try {
      const until = Date.now() + 6000;
      let n = 0;
      // Singles (kept for the retry below) and batches, which alone hold more than MAX_IN_FLIGHT.
      const singles = Array.from({ length: 100 }, async () => {
        while (Date.now() < until) {
          const a = await send(String(n++));
          answers.push(a);
          if (a.status === 503) await sleep(200);
        }
      });
      const batches = Array.from({ length: 20 }, async () => {
        while (Date.now() < until) {
          const ids = Array.from({ length: 20 }, () => `b${n++}`);
          const started = Date.now();
          const res = await postJson(`${gw.url}/produce/batch`, ids.map((id) => ({ topic, message: { id } })), { 'Idempotency-Key': `batch-${ids[0]}` });
          const elapsed = Date.now() - started;
          res.body.results.forEach((r: { code?: string; success?: boolean }, i: number) =>
            batchItems.push({ id: ids[i]!, key: '', status: r.success ? 200 : r.code === 'DELIVERY_OUTCOME_UNKNOWN' ? 504 : 503, code: r.code, elapsed, retryAfter: res.headers.get('retry-after'), reason: (r as { reason?: string }).reason }),
          );
          answers.push({ id: ids[0]!, key: '', status: res.status, code: res.body.code, elapsed, retryAfter: res.headers.get('retry-after') });
          if (res.status === 503) await sleep(200);
        }
      });
      await Promise.all([...singles, ...batches]);
      rssGrowth = process.memoryUsage().rss - rssBefore;
    } finally {
      broker.thaw();
    }
    const byStatus = new Map<number, number>();
    for (const a of answers) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
    const longest = Math.max(...answers.map((a) => a.elapsed));
    console.log(`      ${answers.length} answers ${JSON.stringify(Object.fromEntries(byStatus))}, longest ${longest} ms, RSS +${Math.round(rssGrowth / 1e6)} MB`);

    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    // The gateway's own view (no client or TCP connect time): every produce answered within 2.5 s.
    for (const route of ['/produce', '/produce/batch']) {
      const bucket = (le: string) => Number(new RegExp(`^kgate_http_request_duration_seconds_bucket\\{le="${le.replace("+", "\\+")}",route="${route}",method="POST"\\} (\\d+)`, 'm').exec(metrics)?.[1]);
      expect(bucket('2.5'), route).to.equal(bucket('+Inf'));
    }
    // A correctness bound, not a speed target: no answer later than the deadline plus its slack. The
    // bound that proves the deadline is the gateway's own measure above (every answer within 2.5 s);
    // this one is taken by a client that shares the event loop with the in-process gateway and 120
    // busy senders, so on an overloaded machine (load ~20 on 2 cores: 3035 ms seen) it carries
    // scheduling lag that is not the gateway's. It only catches an answer that waited for librdkafka.
    expect(longest).to.be.at.most(DEADLINE_MS + 2000);
    expect([...byStatus.keys()].filter((s) => ![200, 207, 503, 504].includes(s))).to.deep.equal([]);
    expect(byStatus.get(504) ?? 0).to.be.greaterThan(0);
    expect([...answers, ...batchItems].filter((a) => a.status === 503).map((a) => a.code)).to.include('OVERLOADED');
    const items = [...answers.filter((a) => !a.id.startsWith('b')), ...batchItems];
    expect(items.filter((a) => a.status === 503 && a.code !== 'OVERLOADED' && a.code !== 'KAFKA_UNAVAILABLE')).to.deep.equal([]);
    expect(items.filter((a) => a.status === 504).every((a) => a.code === 'DELIVERY_OUTCOME_UNKNOWN')).to.equal(true);
    // Every 503 and 504 says when to come back.
    expect(answers.filter((a) => a.status >= 503 && a.retryAfter !== '1')).to.deep.equal([]);
    expect(batchItems.filter((a) => a.status >= 503 && a.retryAfter !== '1')).to.deep.equal([]);
    // Memory held by waiting messages is capped by MAX_IN_FLIGHT, not by the load: a generous bound.
    expect(rssGrowth).to.be.below(300 * 1024 * 1024);
    // librdkafka's own timeout (KAFKA_DELIVERY_TIMEOUT_MS) is far longer, but it may still report an error
    // first (e.g. a broken connection); each deadline answer is counted.
    const byDeadline = items.filter((a) => a.status === 504 && a.reason !== undefined).length;
    expect(Number(/^kgate_delivery_outcome_unknown_total (\d+)/m.exec(metrics)?.[1])).to.be.at.least(byDeadline);
    console.log(`      of the 504s, ${byDeadline} by the gateway's deadline, the rest reported by librdkafka`);
  });

  it('after the thaw: a retry with the key of a 504 gets its eventual outcome and never writes a second time', async () => {
    for (let i = 0; i < 150; i++) {
      if ((await fetch(`${gw.url}/health`)).status === 200 && (await postJson(`${gw.url}/produce`, { topic, message: { id: `probe-${i}` } })).status === 200) break;
      await sleep(200);
    }
    // Let librdkafka report on whatever it still held.
    await sleep(DEADLINE_MS + 1000);
    const unknown = answers.filter((a) => a.status === 504 && a.key !== '').slice(0, 50);
    const retried = await Promise.all(unknown.map((a) => send(a.id).then((r) => ({ ...r, first: a }))));
    for (const r of retried) {
      expect(r.status, r.code).to.be.oneOf([200, 504]);
    }
    const wasRefused = new Set([...answers.filter((a) => a.status === 503 && !a.id.startsWith('b')), ...batchItems.filter((a) => a.status === 503)].map((a) => a.id));
    const written = new Map<string, number>();
    for (const rec of await readTopic(topic, broker.bootstrap)) {
      const id = JSON.parse(rec.payload).id as string;
      written.set(id, (written.get(id) ?? 0) + 1);
    }
    // Exactly once at most, whatever the answers were; a 503 was never written; a retried 200 is there once.
    expect([...written.entries()].filter(([, count]) => count > 1)).to.deep.equal([]);
    expect([...wasRefused].filter((id) => written.has(id))).to.deep.equal([]);
    for (const r of retried.filter((x) => x.status === 200)) expect(written.get(r.id), r.id).to.equal(1);
    // Acknowledged ones are all there.
    for (const a of [...answers.filter((x) => x.status === 200 && !x.id.startsWith('b')), ...batchItems.filter((x) => x.status === 200)]) {
      expect(written.get(a.id), a.id).to.equal(1);
    }
  });

  it('a killed broker: every answer within the deadline + 1 s; after the restart the keys of 504s get the eventual outcome, never a second write', async () => {
    const killTopic = uniqueTopic('deadline-kill');
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) status = (await postJson(`${gw.url}/produce`, { topic: killTopic, message: { id: `warm-up-${i}` } })).status;
    expect(status).to.equal(200);
    const killed: Answer[] = [];
    let stop = false;
    let n = 0;
    const workers = Array.from({ length: 50 }, async () => {
      while (!stop) {
        const id = `k${n++}`;
        const started = Date.now();
        const res = await postJson(`${gw.url}/produce`, { topic: killTopic, message: { id } }, { 'Idempotency-Key': `kill-${id}` });
        killed.push({ id, key: `kill-${id}`, status: res.status, code: res.body?.code, elapsed: Date.now() - started, retryAfter: res.headers.get('retry-after'), reason: res.body?.reason });
        if (res.status === 503) await sleep(200);
      }
    });
    await sleep(1500);
    // librdkafka keeps messages already sent to a dead broker past its own timeout: the gateway answers.
    process.kill(broker.pid(), 'SIGKILL');
    await sleep(DEADLINE_MS + 2000);
    stop = true;
    await Promise.all(workers);

    const unknown = killed.filter((a) => a.status === 504);
    const byDeadline = unknown.filter((a) => a.reason !== undefined);
    console.log(`      ${killed.length} answers, ${unknown.length} × 504 (${byDeadline.length} by the gateway's deadline), longest ${Math.max(...killed.map((a) => a.elapsed))} ms`);
    expect(Math.max(...killed.map((a) => a.elapsed))).to.be.at.most(DEADLINE_MS + 1000);
    expect(killed.filter((a) => ![200, 503, 504].includes(a.status))).to.deep.equal([]);
    expect(unknown.every((a) => a.retryAfter === '1' && a.code === 'DELIVERY_OUTCOME_UNKNOWN')).to.equal(true);
    // Whether librdkafka or the gateway's deadline answers a message sent to a dead broker varies
    // (measured: all 50 in flight by the deadline in one run, none in another); each deadline answer is counted.
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(Number(/^kgate_delivery_outcome_unknown_total (\d+)/m.exec(metrics)?.[1])).to.be.at.least(byDeadline.length);

    await broker.start();
    for (let i = 0; i < 150; i++) {
      if ((await postJson(`${gw.url}/produce`, { topic: killTopic, message: { id: `probe-${i}` } })).status === 200) break;
      await sleep(200);
    }
    await sleep(DEADLINE_MS + 1000);
    const retried = await Promise.all(unknown.map((a) => postJson(`${gw.url}/produce`, { topic: killTopic, message: { id: a.id } }, { 'Idempotency-Key': a.key })));
    expect(retried.every((r) => r.headers.get('idempotent-replayed') === 'true')).to.equal(true);
    const written = new Map<string, number>();
    for (const rec of await readTopic(killTopic, broker.bootstrap)) {
      const id = JSON.parse(rec.payload).id as string;
      written.set(id, (written.get(id) ?? 0) + 1);
    }
    expect([...written.entries()].filter(([, count]) => count > 1)).to.deep.equal([]);
    retried.forEach((r, i) => {
      expect(r.status).to.be.oneOf([200, 504]);
      // The eventual outcome, as Kafka has it: a 200 names a record that is there.
      if (r.status === 200) expect(written.get(unknown[i]!.id), unknown[i]!.id).to.equal(1);
    });
    const outcomes = retried.map((r) => r.status);
    console.log(`      retries of those keys: ${outcomes.filter((s) => s === 200).length} × 200 (eventual outcome), ${outcomes.filter((s) => s === 504).length} × 504`);
    for (const a of killed.filter((x) => x.status === 200)) expect(written.get(a.id), a.id).to.equal(1);
  });
});
