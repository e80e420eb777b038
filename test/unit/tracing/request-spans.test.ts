import { expect } from 'chai';
import { SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOffSampler, AlwaysOnSampler, InMemorySpanExporter, ParentBasedSampler, SimpleSpanProcessor, type Sampler } from '@opentelemetry/sdk-trace';
import { OutcomeUnknownError, type KafkaRecord } from '../../../src/kafka/producer.js';
import { GatewayError } from '../../../src/errors/gateway-error.js';
import { SpanRecorder } from '../../../src/tracing/recorded-span.js';
import { OtelRequestSpans, UnsampledRequestSpans } from '../../../src/tracing/request-spans.js';

// The span logic with the SDK's sampler and processor, exporting to its in-memory exporter (no network):
// the integration test (test/integration/tracing.test.ts) checks the same through a real Jaeger.
function setUp(sampler: Sampler = new ParentBasedSampler({ root: new AlwaysOnSampler() })) {
  const exporter = new InMemorySpanExporter();
  const recorder = new SpanRecorder(sampler, new SimpleSpanProcessor({ exporter }), resourceFromAttributes({ 'service.name': 'test' }), { name: 'test' });
  return { exporter, recorder };
}

const record = (): KafkaRecord => ({
  topic: 'orders',
  key: 'k-1',
  value: Buffer.from('{}'),
  headers: [{ 'kgate-request-id': 'r-1' }, { traceparent: 'placeholder' }, { tracestate: 'a=b' }],
  timestampMs: 0,
});

describe('OtelRequestSpans: the server span and the producer spans under it (real SDK, in-memory export)', () => {
  it('a producer span per record, child of the server span, named by topic, ended with partition and offset at the ack', () => {
    const { exporter, recorder } = setUp();
    const spans = new OtelRequestSpans(recorder, 'POST', 'r-1', undefined);
    const r = record();
    const producer = spans.producer(r, undefined, 3)!;
    producer.acked({ partition: 2, offset: 41 });
    spans.end('/produce/batch', 200, undefined);
    const [p, server] = exporter.getFinishedSpans();
    expect(server!.name).to.equal('POST /produce/batch');
    expect(server!.kind).to.equal(SpanKind.SERVER);
    expect(server!.attributes).to.include({ 'http.route': '/produce/batch', 'http.response.status_code': 200, 'kgate.request_id': 'r-1' });
    expect(server!.status.code).to.equal(SpanStatusCode.UNSET);
    expect(p!.name).to.equal('send orders');
    expect(p!.kind).to.equal(SpanKind.PRODUCER);
    expect(p!.parentSpanContext?.spanId).to.equal(server!.spanContext().spanId);
    expect(p!.attributes).to.include({
      'messaging.system': 'kafka',
      'messaging.destination.name': 'orders',
      'messaging.kafka.message.key': 'k-1',
      'messaging.batch.message_count': 3,
      'messaging.destination.partition.id': '2',
      'messaging.kafka.offset': 41,
    });
    // The record's traceparent now names the producer span, in place, once; other headers untouched.
    expect(r.headers).to.deep.equal([{ 'kgate-request-id': 'r-1' }, { traceparent: `00-${p!.spanContext().traceId}-${p!.spanContext().spanId}-01` }, { tracestate: 'a=b' }]);
  });

  it('a failure: status ERROR and error.type; a 504 also kgate.delivery.outcome_unknown; the server span takes the code', async () => {
    const { exporter, recorder } = setUp();
    const spans = new OtelRequestSpans(recorder, 'POST', 'r-1', undefined);
    spans.producer(record(), undefined, 1)!.failed(new OutcomeUnknownError(Promise.reject(new GatewayError('KAFKA_UNAVAILABLE')), {}));
    spans.end('/produce', 504, undefined);
    await new Promise((r) => setImmediate(r));
    const [server, p] = exporter.getFinishedSpans();
    expect(p!.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'DELIVERY_OUTCOME_UNKNOWN' });
    expect(p!.attributes).to.include({ 'error.type': 'DELIVERY_OUTCOME_UNKNOWN', 'kgate.delivery.outcome_unknown': true });
    expect(p!.attributes).not.to.have.property('messaging.kafka.offset');
    expect(server!.attributes).to.include({ 'error.type': 'DELIVERY_OUTCOME_UNKNOWN', 'http.response.status_code': 504 });
    expect(server!.status.code).to.equal(SpanStatusCode.ERROR);
  });

  it('refusals are events; an explicit error code (from the error handler) wins for the server span', () => {
    const { exporter, recorder } = setUp();
    const spans = new OtelRequestSpans(recorder, 'POST', 'r-1', undefined);
    spans.event('kgate.message.refused', { 'error.type': 'SCHEMA_VALIDATION_FAILED', 'messaging.destination.name': 'orders' });
    spans.end('/produce', 400, 'INVALID_JSON');
    const [server] = exporter.getFinishedSpans();
    expect(server!.events.map((e) => [e.name, e.attributes])).to.deep.equal([['kgate.message.refused', { 'error.type': 'SCHEMA_VALIDATION_FAILED', 'messaging.destination.name': 'orders' }]]);
    expect(server!.attributes['error.type']).to.equal('INVALID_JSON');
  });

  it('an item\'s own traceparent: the producer span continues it, linked to the server span; an invalid one leaves the headers alone', () => {
    const { exporter, recorder } = setUp();
    const spans = new OtelRequestSpans(recorder, 'POST', 'r-1', undefined);
    const own = '00-11111111111111111111111111111111-2222222222222222-01';
    const r = { ...record(), headers: [{ traceparent: own }, { 'kgate-request-id': 'r-1' }] };
    spans.producer(r, own, 2)!.acked({ partition: 0, offset: 1 });
    const bad = { ...record(), headers: [{ traceparent: 'junk' }] };
    spans.producer(bad, 'junk', 2)!.failed(new GatewayError('KAFKA_UNAVAILABLE'));
    spans.end('/produce/batch', 207, undefined);
    const [p, q, server] = exporter.getFinishedSpans();
    expect(p!.spanContext().traceId).to.equal('11111111111111111111111111111111');
    expect(p!.parentSpanContext?.spanId).to.equal('2222222222222222');
    expect(p!.links.map((l) => l.context.spanId)).to.deep.equal([server!.spanContext().spanId]);
    expect(r.headers[0]).to.deep.equal({ traceparent: `00-11111111111111111111111111111111-${p!.spanContext().spanId}-01` });
    expect(q!.parentSpanContext?.spanId).to.equal(server!.spanContext().spanId);
    expect(bad.headers).to.deep.equal([{ traceparent: 'junk' }]);
    expect(server!.status.code).to.equal(SpanStatusCode.UNSET);
  });

  it('unsampled: no producer spans, the record keeps the request\'s traceparent (flags 00); a sampled caller is obeyed', () => {
    const { exporter, recorder } = setUp(new ParentBasedSampler({ root: new AlwaysOffSampler() }));
    const spans = new OtelRequestSpans(recorder, 'POST', 'r-1', undefined);
    expect(spans.recording).to.equal(false);
    expect(spans.traceparent).to.match(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    expect(spans.producer(record(), undefined, 1)).to.equal(undefined);
    spans.end('/produce', 200, undefined);
    expect(exporter.getFinishedSpans()).to.have.length(0);

    const caller = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.SAMPLED, isRemote: true };
    const sampled = new OtelRequestSpans(recorder, 'POST', 'r-2', caller);
    expect(sampled.recording).to.equal(true);
    expect(sampled.traceId).to.equal('a'.repeat(32));
  });

  it('a 504: the producer span stays open until the late delivery report, then says what became of the record', async () => {
    const { exporter, recorder } = setUp();
    const spans = new OtelRequestSpans(recorder, 'POST', 'r-1', undefined);
    let deliver!: (ack: { partition: number; offset: number }) => void;
    let refuse!: (err: unknown) => void;
    const written = new Promise<{ partition: number; offset: number }>((resolve) => (deliver = resolve));
    const lost = new Promise<{ partition: number; offset: number }>((_resolve, reject) => (refuse = reject));
    spans.producer(record(), undefined, 2)!.failed(new OutcomeUnknownError(written, {}));
    spans.producer(record(), undefined, 2)!.failed(new OutcomeUnknownError(lost, {}));
    spans.end('/produce/batch', 504, undefined);
    expect(exporter.getFinishedSpans().map((s) => s.kind), 'only the server span has ended').to.deep.equal([SpanKind.SERVER]);
    deliver({ partition: 1, offset: 77 });
    refuse(new GatewayError('KAFKA_UNAVAILABLE'));
    await new Promise((r) => setImmediate(r));
    const producers = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.PRODUCER);
    expect(producers.map((p) => p.attributes['kgate.delivery.late_outcome'])).to.have.members(['written', 'KAFKA_UNAVAILABLE']);
    const late = producers.find((p) => p.attributes['kgate.delivery.late_outcome'] === 'written')!;
    expect(late.attributes).to.include({ 'error.type': 'DELIVERY_OUTCOME_UNKNOWN', 'kgate.delivery.outcome_unknown': true, 'messaging.kafka.offset': 77, 'messaging.destination.partition.id': '1' });
  });
});

describe('UnsampledRequestSpans: a request the head decision left out costs no span', () => {
  it('no producer span for a record without a trace of its own; an item with its own sampled trace gets one (no link: kgate made no server span)', () => {
    const { exporter, recorder } = setUp();
    const spans = new UnsampledRequestSpans(recorder);
    expect(spans.recording).to.equal(false);
    expect(spans.traceresponse).to.equal(undefined);
    const plain = record();
    expect(spans.producer(plain, undefined, 1)).to.equal(undefined);
    expect(spans.producer(plain, 'junk', 1)).to.equal(undefined);
    expect(plain.headers).to.deep.equal(record().headers);
    const own = '00-11111111111111111111111111111111-2222222222222222-01';
    const r = { ...record(), headers: [{ traceparent: own }] };
    spans.producer(r, own, 1)!.acked({ partition: 0, offset: 5 });
    spans.end();
    const [p] = exporter.getFinishedSpans();
    expect(exporter.getFinishedSpans()).to.have.length(1);
    expect(p!.spanContext().traceId).to.equal('11111111111111111111111111111111');
    expect(p!.parentSpanContext?.spanId).to.equal('2222222222222222');
    expect(p!.links).to.deep.equal([]);
    expect(r.headers).to.deep.equal([{ traceparent: `00-11111111111111111111111111111111-${p!.spanContext().spanId}-01` }]);
  });
});
