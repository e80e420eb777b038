import { expect } from 'chai';
import { SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOffSampler, AlwaysOnSampler, InMemorySpanExporter, ParentBasedSampler, SimpleSpanProcessor, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { SpanRecorder } from '../../../src/tracing/recorded-span.js';

function setUp(sampler: Sampler = new ParentBasedSampler({ root: new AlwaysOnSampler() })) {
  const exporter = new InMemorySpanExporter();
  const recorder = new SpanRecorder(sampler, new SimpleSpanProcessor({ exporter }), resourceFromAttributes({ 'service.name': 'recorded-span-test' }), { name: 'kgate', version: '9.9.9' });
  return { exporter, recorder };
}

const remote = (flags: number) => ({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: flags, isRemote: true });

describe('SpanRecorder: kgate spans handed to the SDK processor (recorded-span.ts)', () => {
  it('a root span: fresh ids, the sampler asked, ended once into the processor with its times, resource and scope', async () => {
    const { exporter, recorder } = setUp();
    const span = recorder.start('POST', SpanKind.SERVER, { 'http.request.method': 'POST' }, undefined, undefined);
    expect(span.spanContext().traceId).to.match(/^[0-9a-f]{32}$/);
    expect(span.spanContext().spanId).to.match(/^[0-9a-f]{16}$/);
    expect(span.spanContext().traceFlags).to.equal(TraceFlags.SAMPLED);
    expect(span.ended).to.equal(false);
    await new Promise((r) => setTimeout(r, 20));
    span.setAttribute('http.response.status_code', 200);
    span.updateName('POST /produce');
    span.end();
    span.end();
    span.setAttribute('late', 'ignored');
    const [done] = exporter.getFinishedSpans();
    expect(exporter.getFinishedSpans()).to.have.length(1);
    expect(done!.name).to.equal('POST /produce');
    expect(done!.attributes).to.deep.equal({ 'http.request.method': 'POST', 'http.response.status_code': 200 });
    expect(done!.parentSpanContext).to.equal(undefined);
    const start = hrTimeToMilliseconds(done!.startTime);
    const end = hrTimeToMilliseconds(done!.endTime);
    expect(Math.abs(start - Date.now())).to.be.lessThan(1_000);
    expect(end - start).to.be.greaterThanOrEqual(15);
    expect(hrTimeToMilliseconds(done!.duration)).to.be.closeTo(end - start, 0.01);
    expect(done!.resource.attributes['service.name']).to.equal('recorded-span-test');
    expect(done!.instrumentationScope).to.deep.equal({ name: 'kgate', version: '9.9.9' });
  });

  it('a child of a recorded span: same trace, the parent named, sampled as the parent is; a link is kept', () => {
    const { exporter, recorder } = setUp();
    const server = recorder.start('POST', SpanKind.SERVER, {}, undefined, undefined);
    const link = { context: remote(TraceFlags.SAMPLED) };
    const child = recorder.start('send orders', SpanKind.PRODUCER, { 'messaging.system': 'kafka' }, server, [link]);
    expect(child.spanContext().traceId).to.equal(server.spanContext().traceId);
    expect(child.spanContext().spanId).to.not.equal(server.spanContext().spanId);
    child.end();
    server.end();
    const [p] = exporter.getFinishedSpans();
    expect(p!.parentSpanContext?.spanId).to.equal(server.spanContext().spanId);
    expect(p!.links).to.deep.equal([link]);
    expect(p!.kind).to.equal(SpanKind.PRODUCER);
  });

  it('a remote parent: the configured sampler decides (parent-based obeys its flag; a dropped span still propagates, unrecorded)', () => {
    const { exporter, recorder } = setUp();
    const kept = recorder.start('POST', SpanKind.SERVER, {}, remote(TraceFlags.SAMPLED), undefined);
    const dropped = recorder.start('POST', SpanKind.SERVER, {}, remote(TraceFlags.NONE), undefined);
    expect(kept.recording).to.equal(true);
    expect(kept.spanContext().traceId).to.equal('a'.repeat(32));
    expect(dropped.recording).to.equal(false);
    expect(dropped.spanContext().traceFlags).to.equal(TraceFlags.NONE);
    expect(dropped.spanContext().traceId).to.equal('a'.repeat(32));
    const child = recorder.start('send orders', SpanKind.PRODUCER, {}, dropped, undefined);
    expect(child.recording).to.equal(false);
    dropped.setAttribute('x', 1);
    child.end();
    dropped.end();
    kept.end();
    expect(exporter.getFinishedSpans().map((s) => s.spanContext().spanId)).to.deep.equal([kept.spanContext().spanId]);
    expect(dropped.attributes).to.deep.equal({});

    const ratio0 = setUp(new TraceIdRatioBasedSampler(0));
    expect(ratio0.recorder.start('POST', SpanKind.SERVER, {}, undefined, undefined).recording).to.equal(false);
    expect(setUp(new AlwaysOffSampler()).recorder.start('POST', SpanKind.SERVER, {}, remote(TraceFlags.SAMPLED), undefined).recording).to.equal(false);
  });

  it('events are bounded as the SDK bounds them: the last 128 kept, the rest counted as dropped', () => {
    const { exporter, recorder } = setUp();
    const span = recorder.start('POST', SpanKind.SERVER, {}, undefined, undefined);
    for (let i = 0; i < 1_000; i++) span.addEvent('kgate.message.refused', { index: i });
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'SCHEMA_VALIDATION_FAILED' });
    span.end();
    const [done] = exporter.getFinishedSpans();
    expect(done!.events).to.have.length(128);
    expect(done!.events[0]!.attributes).to.deep.equal({ index: 872 });
    expect(done!.droppedEventsCount).to.equal(872);
    expect(done!.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'SCHEMA_VALIDATION_FAILED' });
    const t = hrTimeToMilliseconds(done!.events[0]!.time);
    expect(t).to.be.within(hrTimeToMilliseconds(done!.startTime), hrTimeToMilliseconds(done!.endTime));
  });

  it('the SDK serialiser takes them as it takes its own spans (OTLP protobuf with names, ids and attributes)', () => {
    const { exporter, recorder } = setUp();
    const server = recorder.start('POST /produce', SpanKind.SERVER, { 'kgate.request_id': 'r-1' }, remote(TraceFlags.SAMPLED), undefined);
    recorder.start('send orders', SpanKind.PRODUCER, { 'messaging.destination.name': 'orders' }, server, undefined).end();
    server.end();
    const bytes = Buffer.from(ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans())!);
    for (const text of ['POST /produce', 'send orders', 'kgate.request_id', 'messaging.destination.name', 'recorded-span-test', '9.9.9']) expect(bytes.includes(text), text).to.equal(true);
    // Trace ids are written as bytes: the caller's trace id appears twice (both spans), its span id once (the server's parent).
    const traceId = Buffer.from('a'.repeat(32), 'hex');
    expect(bytes.indexOf(traceId)).to.not.equal(bytes.lastIndexOf(traceId));
    expect(bytes.includes(Buffer.from('b'.repeat(16), 'hex'))).to.equal(true);
  });
});
