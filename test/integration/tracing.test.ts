import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';
import { eventsOf, OtlpReceiver, parentOf, tag, type JaegerSpan } from '../helpers/otlp-receiver.js';
import { SecondBroker } from '../helpers/second-broker.js';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const kind = (s: JaegerSpan) => tag(s, 'span.kind');
const byKind = (spans: JaegerSpan[], k: string) => spans.filter((s) => kind(s) === k);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('tracing on: spans exported over OTLP to a real Jaeger, records carry kgate\'s producer span (a broker of its own)', function () {
  this.timeout(300_000);
  const receiver = new OtlpReceiver();
  const broker = new SecondBroker();
  const topic = uniqueTopic('traced');
  let gw: RunningGateway;

  before(async () => {
    await Promise.all([receiver.start(), broker.start()]);
    gw = await startTestGateway({
      KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap,
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_SERVICE_NAME: 'kgate-under-test',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test,team=data%20platform',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_BSP_MAX_QUEUE_SIZE: '512',
      PRODUCE_DEADLINE_MS: '1000',
    });
    // A new topic on a new broker may take longer than the short deadline to get its leader.
    let status = 0;
    for (let i = 0; i < 30 && status !== 200; i++) status = (await postJson(`${gw.url}/produce`, { topic, message: { warm: i } })).status;
    expect(status).to.equal(200);
  });
  after(async () => {
    await gw?.shutdown();
    await receiver.destroy();
    await broker.destroy();
  });

  const recordOf = async (requestId: string) => {
    const found = (await readTopic(topic, broker.bootstrap)).filter((r) => r.headers['kgate-request-id'] === requestId);
    expect(found, `records of ${requestId}`).to.have.length.greaterThan(0);
    return found;
  };

  it('a request with a traceparent: server span under the caller, producer span under it with the messaging attributes, the record names the producer span', async () => {
    const traceId = hex(16);
    const callerSpan = hex(8);
    const res = await postJson(`${gw.url}/produce`, { topic, key: 'k-1', message: { n: 1 } }, { traceparent: `00-${traceId}-${callerSpan}-01`, tracestate: 'vendor=abc' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.headers.get('x-trace-id')).to.equal(traceId);
    const spans = await receiver.waitForSpans(traceId, 2);
    const [server] = byKind(spans, 'server');
    const [producer] = byKind(spans, 'producer');
    expect(server, 'server span').to.not.equal(undefined);
    expect(producer, 'producer span').to.not.equal(undefined);
    expect(res.headers.get('traceresponse')).to.equal(`00-${traceId}-${server!.spanID}-01`);

    expect(server!.operationName).to.equal('POST /produce');
    expect(parentOf(server!)).to.equal(callerSpan);
    expect(tag(server!, 'http.request.method')).to.equal('POST');
    expect(tag(server!, 'http.route')).to.equal('/produce');
    expect(tag(server!, 'http.response.status_code')).to.equal(200);
    expect(tag(server!, 'kgate.request_id')).to.equal(res.body.request_id);
    expect(tag(server!, 'otel.status_code')).to.equal(undefined);

    expect(producer!.operationName).to.equal(`send ${topic}`);
    expect(parentOf(producer!)).to.equal(server!.spanID);
    expect(tag(producer!, 'messaging.system')).to.equal('kafka');
    expect(tag(producer!, 'messaging.operation.type')).to.equal('send');
    expect(tag(producer!, 'messaging.destination.name')).to.equal(topic);
    expect(tag(producer!, 'messaging.kafka.message.key')).to.equal('k-1');
    expect(tag(producer!, 'messaging.destination.partition.id')).to.equal(String(res.body.partition));
    expect(tag(producer!, 'messaging.kafka.offset')).to.equal(res.body.offset);
    expect(tag(producer!, 'messaging.batch.message_count')).to.equal(undefined);

    // The resource: service name and attributes from the OTEL_* settings.
    const [process] = await receiver.processes(traceId);
    expect(process!.serviceName).to.equal('kgate-under-test');
    const resource = Object.fromEntries(process!.tags.map((t) => [t.key, t.value]));
    expect(resource).to.include({ 'deployment.environment.name': 'test', team: 'data platform' });
    expect(resource['service.version']).to.match(/^\d+\.\d+\.\d+/);

    const [record] = await recordOf(res.body.request_id);
    expect(record!.headers['traceparent']).to.equal(`00-${traceId}-${producer!.spanID}-01`);
    expect(record!.headers['tracestate']).to.equal('vendor=abc');
  });

  it('without a traceparent: kgate starts the trace, X-Trace-Id names it, the record continues it', async () => {
    const res = await postJson(`${gw.url}/produce`, { topic, message: { n: 2 } });
    expect(res.status).to.equal(200);
    const traceId = res.headers.get('x-trace-id')!;
    expect(traceId).to.match(/^[0-9a-f]{32}$/);
    const spans = await receiver.waitForSpans(traceId, 2);
    const [server] = byKind(spans, 'server');
    const [producer] = byKind(spans, 'producer');
    expect(parentOf(server!)).to.equal(undefined);
    expect(parentOf(producer!)).to.equal(server!.spanID);
    const [record] = await recordOf(res.body.request_id);
    expect(record!.headers['traceparent']).to.equal(`00-${traceId}-${producer!.spanID}-01`);
  });

  it('an invalid traceparent is ignored: a trace of kgate\'s own', async () => {
    const bad = `00-${'0'.repeat(32)}-${hex(8)}-01`;
    const res = await postJson(`${gw.url}/produce`, { topic, message: { n: 3 } }, { traceparent: bad });
    expect(res.status).to.equal(200);
    const traceId = res.headers.get('x-trace-id')!;
    expect(traceId).to.not.equal('0'.repeat(32));
    const spans = await receiver.waitForSpans(traceId, 2);
    expect(parentOf(byKind(spans, 'server')[0]!)).to.equal(undefined);
  });

  it('a batch of 3: three producer spans under the server span, each with messaging.batch.message_count=3, each record naming its own', async () => {
    const traceId = hex(16);
    const res = await postJson(
      `${gw.url}/produce/batch`,
      [0, 1, 2].map((i) => ({ topic, key: `b-${i}`, message: { i } })),
      { traceparent: `00-${traceId}-${hex(8)}-01` },
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const spans = await receiver.waitForSpans(traceId, 4);
    const [server] = byKind(spans, 'server');
    const producers = byKind(spans, 'producer');
    expect(server!.operationName).to.equal('POST /produce/batch');
    expect(producers).to.have.length(3);
    for (const p of producers) {
      expect(parentOf(p)).to.equal(server!.spanID);
      expect(tag(p, 'messaging.batch.message_count')).to.equal(3);
    }
    expect(producers.map((p) => tag(p, 'messaging.kafka.message.key')).sort()).to.deep.equal(['b-0', 'b-1', 'b-2']);
    const records = await recordOf(res.body.request_id);
    const named = records.map((r) => r.headers['traceparent']).sort();
    expect(named).to.deep.equal(producers.map((p) => `00-${traceId}-${p.spanID}-01`).sort());
  });

  it('a batch item with its own traceparent: its producer span continues the item\'s trace, linked to the request', async () => {
    const requestTrace = hex(16);
    const itemTrace = hex(16);
    const itemSpan = hex(8);
    const res = await postJson(
      `${gw.url}/produce/batch`,
      [
        { topic, key: 'own-0', message: { i: 0 } },
        { topic, key: 'own-1', message: { i: 1 }, headers: { traceparent: `00-${itemTrace}-${itemSpan}-01` } },
      ],
      { traceparent: `00-${requestTrace}-${hex(8)}-01` },
    );
    expect(res.status).to.equal(200);
    const [producer] = await receiver.waitForSpans(itemTrace, 1);
    expect(kind(producer!)).to.equal('producer');
    expect(parentOf(producer!)).to.equal(itemSpan);
    const requestSpans = await receiver.waitForSpans(requestTrace, 2);
    const [server] = byKind(requestSpans, 'server');
    expect(producer!.references.some((r) => r.refType === 'FOLLOWS_FROM' && r.spanID === server!.spanID)).to.equal(true);
    const records = await recordOf(res.body.request_id);
    const own = records.find((r) => r.key === 'own-1')!;
    expect(own.headers['traceparent']).to.equal(`00-${itemTrace}-${producer!.spanID}-01`);
  });

  it('a 4xx: the server span is an error with the code, the refused message an event on it', async () => {
    const traceId = hex(16);
    const res = await postJson(`${gw.url}/produce`, { topic }, { traceparent: `00-${traceId}-${hex(8)}-01` });
    expect(res.status).to.equal(400);
    expect(res.body.code).to.equal('MISSING_FIELD');
    const [server] = await receiver.waitForSpans(traceId, 1);
    expect(kind(server!)).to.equal('server');
    expect(tag(server!, 'otel.status_code')).to.equal('ERROR');
    expect(tag(server!, 'error.type')).to.equal('MISSING_FIELD');
    expect(tag(server!, 'http.response.status_code')).to.equal(400);
    // The item failed before its topic was read (no "message"), so the event has no destination.
    expect(eventsOf(server!)).to.deep.include({ event: 'kgate.message.refused', 'error.type': 'MISSING_FIELD' });
  });

  it('a 4xx before any message (invalid JSON): an error span with the code from the error handler', async () => {
    const traceId = hex(16);
    const res = await postJson(`${gw.url}/produce`, '{"topic":', { traceparent: `00-${traceId}-${hex(8)}-01` });
    expect(res.status).to.equal(400);
    const [server] = await receiver.waitForSpans(traceId, 1);
    expect(tag(server!, 'error.type')).to.equal('INVALID_JSON');
    expect(tag(server!, 'otel.status_code')).to.equal('ERROR');
  });

  it('a 504 (broker frozen past the deadline): the producer span is an error, DELIVERY_OUTCOME_UNKNOWN, kgate.delivery.outcome_unknown, and ends with the late delivery report', async () => {
    const traceId = hex(16);
    broker.freeze();
    let res;
    try {
      res = await postJson(`${gw.url}/produce`, { topic, key: 'frozen', message: { n: 504 } }, { traceparent: `00-${traceId}-${hex(8)}-01` });
    } finally {
      broker.thaw();
    }
    expect(res.status, JSON.stringify(res.body)).to.equal(504);
    const spans = await receiver.waitForSpans(traceId, 2);
    const [server] = byKind(spans, 'server');
    const [producer] = byKind(spans, 'producer');
    expect(tag(producer!, 'otel.status_code')).to.equal('ERROR');
    expect(tag(producer!, 'error.type')).to.equal('DELIVERY_OUTCOME_UNKNOWN');
    expect(tag(producer!, 'kgate.delivery.outcome_unknown')).to.equal(true);
    // The producer span stayed open for the delivery report that came after the thaw: written after all.
    expect(tag(producer!, 'kgate.delivery.late_outcome')).to.equal('written');
    expect(tag(producer!, 'messaging.kafka.offset')).to.be.a('number');
    expect(tag(server!, 'http.response.status_code')).to.equal(504);
    expect(tag(server!, 'error.type')).to.equal('DELIVERY_OUTCOME_UNKNOWN');
    // The broker is back before the next test.
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await postJson(`${gw.url}/produce`, { topic, message: { probe: i } })).status;
      if (status !== 200) await sleep(200);
    }
    expect(status).to.equal(200);
  });

  it('head sampling at ratio 0: an unsampled request gets no span, no X-Trace-Id, no record traceparent; a sampled caller and an item\'s own sampled trace still get theirs', async () => {
    const unsampledGw = await startTestGateway({
      KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap,
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    try {
      const root = await postJson(`${unsampledGw.url}/produce`, { topic, message: { n: 'root' } });
      expect(root.status, JSON.stringify(root.body)).to.equal(200);
      expect(root.headers.get('x-trace-id')).to.equal(null);
      expect(root.headers.get('traceresponse')).to.equal(null);
      const [rootRecord] = await recordOf(root.body.request_id);
      expect(rootRecord!.headers['traceparent']).to.equal(undefined);

      const callerTrace = hex(16);
      const caller = await postJson(`${unsampledGw.url}/produce`, { topic, message: { n: 'caller' } }, { traceparent: `00-${callerTrace}-${hex(8)}-01` });
      expect(caller.status).to.equal(200);
      expect(caller.headers.get('traceresponse')).to.match(new RegExp(`^00-${callerTrace}-[0-9a-f]{16}-01$`));
      expect(byKind(await receiver.waitForSpans(callerTrace, 2), 'producer')).to.have.length(1);

      const unsampledCaller = hex(16);
      const quiet = await postJson(`${unsampledGw.url}/produce`, { topic, message: { n: 'quiet' } }, { traceparent: `00-${unsampledCaller}-${hex(8)}-00` });
      expect(quiet.headers.get('x-trace-id'), 'an unsampled caller\'s trace is still echoed and copied').to.equal(unsampledCaller);
      const [quietRecord] = await recordOf(quiet.body.request_id);
      expect(quietRecord!.headers['traceparent']).to.match(new RegExp(`^00-${unsampledCaller}-[0-9a-f]{16}-00$`));

      const itemTrace = hex(16);
      const itemSpan = hex(8);
      const batch = await postJson(`${unsampledGw.url}/produce/batch`, [
        { topic, message: { n: 'no trace' } },
        { topic, message: { n: 'own trace' }, headers: { traceparent: `00-${itemTrace}-${itemSpan}-01` } },
      ]);
      expect(batch.status, JSON.stringify(batch.body)).to.equal(200);
      const spans = await receiver.waitForSpans(itemTrace, 1);
      expect(spans.map((sp) => kind(sp))).to.deep.equal(['producer']);
      expect(parentOf(spans[0]!)).to.equal(itemSpan);
      expect(spans[0]!.references.filter((r) => r.refType === 'FOLLOWS_FROM'), 'no link: kgate made no server span').to.deep.equal([]);
      await sleep(500);
      expect(await receiver.spans(unsampledCaller), 'nothing exported for an unsampled caller').to.deep.equal([]);
    } finally {
      await unsampledGw.shutdown();
    }
  });

  it('the receiver stopped: produce still answers 200, spans are dropped at the queue bound (memory bounded), export resumes when it is back', async () => {
    await receiver.stop();
    const send = async (n: number) => {
      const statuses: number[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < n) {
            next++;
            statuses.push((await postJson(`${gw.url}/produce`, { topic, message: { load: next } }, { traceparent: `00-${hex(16)}-${hex(8)}-01` })).status);
          }
        }),
      );
      return statuses;
    };
    // A first round fills the span queue (512) and warms everything up; the second must not grow memory.
    expect((await send(600)).every((s) => s === 200)).to.equal(true);
    gc();
    const before = process.memoryUsage().heapUsed;
    const started = Date.now();
    const statuses = await send(3000);
    const elapsed = Date.now() - started;
    gc();
    const growth = process.memoryUsage().heapUsed - before;
    console.log(`      receiver down: 3000 × /produce in ${elapsed} ms, heap ${growth >= 0 ? '+' : ''}${Math.round(growth / 1e5) / 10} MB`);
    expect(statuses.filter((s) => s !== 200)).to.deep.equal([]);
    // 6000 spans were made: unbounded, they would hold well over this (a span is ~1-2 KB).
    expect(growth).to.be.below(8 * 1024 * 1024);

    // Back: the queue still holds spans from the outage (a full queue drops the newest), so the spans
    // of one request right now may be among the dropped; a request every half second shows export resuming.
    await receiver.start();
    const deadline = Date.now() + 60_000;
    let exported: JaegerSpan[] = [];
    while (exported.length < 2 && Date.now() < deadline) {
      const res = await postJson(`${gw.url}/produce`, { topic, message: { back: true } }, { traceparent: `00-${hex(16)}-${hex(8)}-01` });
      expect(res.status).to.equal(200);
      await sleep(500);
      exported = await receiver.spans(res.headers.get('x-trace-id')!);
    }
    expect(exported, 'spans of a request after the receiver came back').to.have.length(2);
  });
});
