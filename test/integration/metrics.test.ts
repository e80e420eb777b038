import { expect } from 'chai';
import { Writable } from 'node:stream';
import winston from 'winston';
import { loadConfig } from '../../src/config/config.js';
import { startGateway, type RunningGateway } from '../../src/gateway.js';
import { createLogger } from '../../src/logging/logger.js';
import { bootstrap, uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';
import { parseSamples, promtool, valueOf, type Sample } from '../helpers/prometheus.js';

const STATS_MS = 200;
const broker = () => `${bootstrap()}/1`;

/** A gateway whose log lines land in `lines`, as parsed JSON. */
async function gatewayWithLog(env: Record<string, string>): Promise<{ gw: RunningGateway; lines: Array<Record<string, unknown>> }> {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger('info');
  log.clear();
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  log.add(new winston.transports.Stream({ stream: sink }));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', KAFKA_BOOTSTRAP_SERVERS: bootstrap(), ...env });
  return { gw: await startGateway(config, log), lines };
}

const settle = () => new Promise((r) => setTimeout(r, 30));

describe('metrics, logs and request ids against the real broker', () => {
  let gw: RunningGateway;
  let lines: Array<Record<string, unknown>>;
  const scrapeText = async () => {
    // The 'close' hook that counts a request may run just after its client has the answer.
    await settle();
    const res = await fetch(`${gw.url}/metrics`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };
  const scrape = async (): Promise<Sample[]> => parseSamples(await scrapeText());

  before(async () => {
    ({ gw, lines } = await gatewayWithLog({ KAFKA_STATISTICS_INTERVAL_MS: String(STATS_MS), METRICS_MAX_TOPICS: '3' }));
  });
  after(() => gw.shutdown());

  it('GET /metrics passes `promtool check metrics` without a complaint', async () => {
    await postJson(`${gw.url}/produce`, { topic: uniqueTopic('lint'), message: 1 });
    await new Promise((r) => setTimeout(r, 2 * STATS_MS));
    const { code, output } = await promtool(['check', 'metrics'], await scrapeText());
    expect(output.trim()).to.equal('');
    expect(code).to.equal(0);
  });

  it('acknowledged messages move the produced counter and the ack-latency histogram of their topic', async () => {
    const topic = uniqueTopic('metrics-ok');
    const before = await scrape();
    const batchesBefore = valueOf(before, 'kgate_produce_batch_items_count');
    expect((await postJson(`${gw.url}/produce`, { topic, message: { n: 1 } })).status).to.equal(200);
    const res = await postJson(`${gw.url}/produce/batch`, [{ topic, message: 2 }, { topic, message: 3 }]);
    expect(res.status).to.equal(200);
    const after = await scrape();
    expect(valueOf(after, 'kgate_messages_produced_total', { topic })).to.equal(3);
    expect(valueOf(after, 'kgate_produce_ack_duration_seconds_count', { topic })).to.equal(3);
    expect(valueOf(after, 'kgate_produce_ack_duration_seconds_sum', { topic })).to.be.above(0);
    expect(valueOf(after, 'kgate_produce_ack_duration_seconds_bucket', { topic, le: '+Inf' })).to.equal(3);
    expect(valueOf(after, 'kgate_produce_batch_items_count') - batchesBefore).to.equal(2);
    expect(valueOf(after, 'kgate_produce_batch_items_sum') - valueOf(before, 'kgate_produce_batch_items_sum')).to.equal(3);
    expect(valueOf(after, 'kgate_messages_in_flight')).to.equal(0);
  });

  it('failed messages move the failed counter by topic and reason', async () => {
    const topic = uniqueTopic('metrics-fail');
    expect((await postJson(`${gw.url}/produce`, { topic, message: 'first' })).status).to.equal(200);
    const before = await scrape();
    const res = await postJson(`${gw.url}/produce/batch`, [
      { topic, message: 1, partition: 99 }, // the broker's metadata: no such partition
      { topic, message: 2, key: 42 }, // refused by normalise, before the topic is known good
      { topic: 'bad topic!', message: 3 },
      { topic, message: 4 },
    ]);
    expect(res.status).to.equal(207);
    const after = await scrape();
    const delta = (labels: Record<string, string>) =>
      valueOf(after, 'kgate_messages_failed_total', labels) - valueOf(before, 'kgate_messages_failed_total', labels);
    expect(delta({ topic, reason: 'unknown_partition' })).to.equal(1);
    expect(delta({ topic: '__none__', reason: 'invalid_key' })).to.equal(1);
    expect(delta({ topic: '__none__', reason: 'invalid_topic' })).to.equal(1);
    expect(valueOf(after, 'kgate_messages_produced_total', { topic })).to.equal(2);
  });

  it('broker-side refusals are counted too: a full producer queue is reason="queue_full"', async () => {
    const tiny = await startTestGateway({ KAFKA_QUEUE_MAX_MESSAGES: '5' });
    try {
      const topic = uniqueTopic('metrics-full');
      const res = await postJson(`${tiny.url}/produce/batch`, Array.from({ length: 50 }, (_, i) => ({ topic, message: i })));
      const full = (res.body.results as Array<{ code?: string }>).filter((r) => r.code === 'QUEUE_FULL').length;
      expect(full).to.be.above(0);
      const samples = parseSamples(await (await fetch(`${tiny.url}/metrics`)).text());
      const counted = samples
        .filter((s) => s.name === 'kgate_messages_failed_total' && s.labels['reason'] === 'queue_full')
        .reduce((sum, s) => sum + s.value, 0);
      expect(counted).to.equal(full);
    } finally {
      await tiny.shutdown();
    }
  });

  it('librdkafka statistics appear as gauges after the statistics interval', async () => {
    await new Promise((r) => setTimeout(r, 3 * STATS_MS));
    const s = await scrape();
    expect(valueOf(s, 'kgate_kafka_broker_up', { broker: broker() })).to.equal(1);
    expect(valueOf(s, 'kgate_kafka_broker_rtt_seconds', { broker: broker(), stat: 'p99' })).to.be.above(0).and.below(5);
    expect(valueOf(s, 'kgate_kafka_broker_tx_errors_total', { broker: broker() })).to.be.at.least(0);
    expect(s.some((x) => x.name === 'kgate_kafka_broker_tx_errors_total')).to.equal(true);
    expect(valueOf(s, 'kgate_kafka_queue_max_messages')).to.equal(100_000);
    expect(s.some((x) => x.name === 'kgate_kafka_queue_messages')).to.equal(true);
    expect(valueOf(s, 'kgate_kafka_stats_timestamp_seconds')).to.be.closeTo(Date.now() / 1000, 5);
    // Node's process metrics ride along.
    for (const name of ['nodejs_eventloop_lag_p99_seconds', 'nodejs_heap_size_used_bytes', 'process_cpu_seconds_total']) {
      expect(s.some((x) => x.name === name), name).to.equal(true);
    }
  });

  it('labels HTTP metrics by route template and status, never the raw URL', async () => {
    await fetch(`${gw.url}/no/such/route-${Date.now()}`);
    await fetch(`${gw.url}/produce`);
    const s = await scrape();
    const routes = new Set(s.filter((x) => x.name === 'kgate_http_requests_total').map((x) => x.labels['route']));
    expect(routes).to.include.members(['/produce', '/produce/batch', '/metrics', 'unmatched']);
    for (const route of routes) expect(route).to.match(/^(\/[a-z/:_-]*|unmatched)$/);
    expect(valueOf(s, 'kgate_http_requests_total', { route: '/produce', method: 'GET', status: '405' })).to.equal(1);
    expect(valueOf(s, 'kgate_http_request_duration_seconds_count', { route: '/produce', method: 'POST' })).to.be.at.least(2);
  });

  it('bounds the topic label: after METRICS_MAX_TOPICS topics, the rest share "__other__"', async () => {
    // Earlier tests admitted 3 topics (the cap); these two get no label of their own.
    const late = [uniqueTopic('late-a'), uniqueTopic('late-b')];
    for (const topic of late) expect((await postJson(`${gw.url}/produce`, { topic, message: 1 })).status).to.equal(200);
    const text = await scrapeText();
    const s = parseSamples(text);
    for (const topic of late) expect(text).not.to.contain(topic);
    expect(valueOf(s, 'kgate_messages_produced_total', { topic: '__other__' })).to.be.at.least(2);
    expect(valueOf(s, 'kgate_metrics_topic_labels')).to.equal(3);
    expect(text).not.to.contain('bad topic!');
  });

  it('carries X-Request-Id from the header to the response and into every Kafka record', async () => {
    const topic = uniqueTopic('trace');
    const given = 'trace-me.123:abc';
    const res = await postJson(`${gw.url}/produce/batch`, [{ topic, message: { a: 1 } }, { topic, message: 'two' }], { 'x-request-id': given });
    expect(res.status).to.equal(200);
    expect(res.headers.get('x-request-id')).to.equal(given);
    expect(res.body.request_id).to.equal(given);
    const records = await readTopic(topic);
    expect(records).to.have.length(2);
    for (const r of records) expect(r.headers['kgate-request-id']).to.equal(given);
    expect(JSON.parse(records.find((r) => r.payload.startsWith('{'))!.payload).request_id).to.equal(given);
  });

  it('makes a request id when none (or an unsafe one) is given, and echoes it on errors too', async () => {
    const topic = uniqueTopic('trace-new');
    const made = await postJson(`${gw.url}/produce`, { topic, message: 1 });
    const id = made.headers.get('x-request-id');
    expect(id).to.match(/^[0-9a-f-]{36}$/);
    expect(made.body.request_id).to.equal(id);
    expect((await readTopic(topic))[0]!.headers['kgate-request-id']).to.equal(id);

    const unsafe = await postJson(`${gw.url}/produce`, { topic, message: 1 }, { 'x-request-id': 'has spaces <script>' });
    expect(unsafe.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
    const refused = await postJson(`${gw.url}/produce`, { message: 1 }, { 'x-request-id': 'err-1' });
    expect(refused.status).to.equal(400);
    expect(refused.headers.get('x-request-id')).to.equal('err-1');
    expect(refused.body.request_id).to.equal('err-1');
  });

  it('writes one JSON access-log line per request, with no payloads, keys or headers', async () => {
    const topic = uniqueTopic('logged');
    const secret = `s3cret-${Date.now()}`;
    lines.length = 0;
    await postJson(
      `${gw.url}/produce`,
      { topic, key: `${secret}-key`, message: { password: secret }, headers: { auth: secret } },
      { 'x-request-id': 'log-1', authorization: `Bearer ${secret}` },
    );
    await postJson(`${gw.url}/produce/batch`, [{ topic, message: secret }, { topic: 'bad topic!', message: 1 }], { 'x-request-id': 'log-2' });
    await fetch(`${gw.url}/health?token=${secret}`, { headers: { 'x-request-id': 'log-3' } });
    await settle();
    const access = lines.filter((l) => l['message'] === 'request');
    expect(access.map((l) => l['request_id'])).to.deep.equal(['log-1', 'log-2', 'log-3']);
    expect(access[0]).to.include({ level: 'info', method: 'POST', route: '/produce', status: 200, topic, count: 1, failed: 0 });
    expect(access[0]!['latency_ms']).to.be.a('number').and.above(0);
    expect(access[1]).to.include({ route: '/produce/batch', status: 207, topic, count: 2, failed: 1 });
    expect(access[2]).to.include({ method: 'GET', route: '/health', status: 200 });
    expect(access[2]).not.to.have.property('count');
    expect(JSON.stringify(lines)).not.to.contain(secret);
  });

  it('/ready answers 200 while the producer is connected; /health keeps its seed shape', async () => {
    const ready = await fetch(`${gw.url}/ready`);
    expect(ready.status).to.equal(200);
    expect(await ready.json()).to.deep.equal({ ready: true, kafka_connected: true, status_view_ready: true });
    expect((await fetch(`${gw.url}/health`)).status).to.equal(200);
  });
});

describe('METRICS_ENABLED=false and ACCESS_LOG=false', () => {
  it('serve no /metrics and log no request lines', async () => {
    const { gw, lines } = await gatewayWithLog({ METRICS_ENABLED: 'false', ACCESS_LOG: 'false' });
    try {
      expect((await postJson(`${gw.url}/produce`, { topic: uniqueTopic('quiet'), message: 1 })).status).to.equal(200);
      expect((await fetch(`${gw.url}/metrics`)).status).to.equal(404);
      await settle();
      expect(lines.filter((l) => l['message'] === 'request')).to.deep.equal([]);
    } finally {
      await gw.shutdown();
    }
  });
});

// Issue 26: /metrics, open with authentication on, names every topic written and the brokers.
describe('METRICS_PORT: /metrics on a listener of its own (keys on)', () => {
  it('serves /metrics on METRICS_PORT only: the main port answers 404, with or without a key', async () => {
    const topic = uniqueTopic('metrics-port');
    const key = 'metrics-port-test-key-0123456789';
    const { writeKeysFile, sha256Hex } = await import('../helpers/keys-file.js');
    const gw = await startTestGateway({
      METRICS_PORT: '0',
      AUTH_KEYS_FILE: writeKeysFile([
        { name: 'alice', key_sha256: sha256Hex(key), topics: [topic] },
        { name: 'bob', key_sha256: sha256Hex(`${key}-bob`), topics: [topic] },
      ]),
    });
    try {
      expect((await postJson(`${gw.url}/produce`, { topic, message: 1 }, { 'x-api-key': key })).status).to.equal(200);
      expect(gw.metricsUrl).to.be.a('string').and.not.equal(gw.url);
      const scraped = await fetch(`${gw.metricsUrl}/metrics`);
      expect(scraped.status).to.equal(200);
      expect(await scraped.text()).to.contain(`topic="${topic}"`);
      for (const headers of [{}, { 'x-api-key': key }]) {
        const main = await fetch(`${gw.url}/metrics`, { headers });
        expect(main.status).to.equal(404);
        expect(await main.text()).not.to.contain(topic);
      }
      const doc = (await (await fetch(`${gw.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
      expect(doc.paths).not.to.have.property('/metrics');
      const other = await fetch(`${gw.metricsUrl}/produce`, { method: 'POST' });
      expect(other.status).to.equal(404);
      expect(await other.json()).to.include({ code: 'NOT_FOUND' });
    } finally {
      await gw.shutdown();
    }
  });
});
