// CPU per request of the tracing pieces (issue 23), in one process, with process.cpuUsage() (user+system):
// what the hot path does with tracing off (no header; a valid traceparent read and copied into the
// record headers) and with spans on (server span + one producer span + the ends, through the real SDK's
// batch span processor; the exporter drops the batches, so only kgate's side is measured).
// Usage: npm run build && node bench/trace-cost.mjs [--n 200000]
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({ options: { n: { type: 'string', default: '200000' } } });
const n = Number(opt.n);
const mod = (file) => import(pathToFileURL(path.join(root, 'dist', file)).href);
const { propagationOnly } = await mod('src/tracing/tracing.js');
const { metadataFor, enrich } = await mod('src/pipeline/enrich.js');
const { OtelRequestSpans } = await mod('src/tracing/request-spans.js');
const { samplerFor } = await mod('src/tracing/sampler.js');
const { ROOT_CONTEXT } = await import('@opentelemetry/api');
const { BatchSpanProcessor, TracerProvider } = await import('@opentelemetry/sdk-trace');

function cpuPerCall(fn, count) {
  for (let i = 0; i < Math.min(20_000, count); i++) fn(i); // warm-up (JIT)
  const t0 = process.cpuUsage();
  for (let i = 0; i < count; i++) fn(i);
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / count;
}

const TP = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const message = { user_id: 123, action: 'login', data: 'x'.repeat(900) };
const base = { requestId: '6c1f6a0e-2a8e-4a36-9b0e-7d8f2b1e4c11', receivedAt: new Date() };
const rows = [];
const request = (trace) => {
  const ctx = trace === undefined ? base : { ...base, trace };
  return enrich({ topic: 't', key: 'k', message, headers: {} }, metadataFor(ctx, 'kgate'));
};
rows.push(['off, no traceparent: startRequest + metadata + enrich', cpuPerCall(() => request(propagationOnly.startRequest('POST', undefined, undefined, 'r')), n)]);
rows.push(['off, valid traceparent: startRequest + metadata + enrich (copied)', cpuPerCall(() => request(propagationOnly.startRequest('POST', TP, 'a=b', 'r')), n)]);

// Spans on: an exporter that accepts and drops, behind the same BatchSpanProcessor kgate configures.
const exporter = { export: (_spans, done) => done({ code: 0 }), shutdown: () => Promise.resolve(), forceFlush: () => Promise.resolve() };
for (const ratio of [0.1, 1]) {
  const provider = new TracerProvider({
    sampler: samplerFor('parentbased_traceidratio', ratio),
    spanProcessors: [new BatchSpanProcessor({ exporter, maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 5000 })],
  });
  const tracer = provider.getTracer('kgate');
  const us = cpuPerCall(() => {
    const spans = new OtelRequestSpans(tracer, 'POST', 'r', ROOT_CONTEXT);
    const trace = { traceparent: spans.traceparent, tracestate: spans.tracestate, traceId: spans.traceId, spans };
    const { headers } = request(trace);
    const record = { topic: 't', key: 'k', value: Buffer.alloc(0), headers, timestampMs: 0 };
    spans.producer(record, undefined, 1)?.acked({ partition: 0, offset: 1 });
    spans.end('/produce', 200, undefined);
  }, n);
  rows.push([`on, parentbased_traceidratio ${ratio}: server + producer span, metadata + enrich`, us]);
  await provider.shutdown();
}
console.log(`| piece (n = ${n}) | µs per request |\n|---|---|`);
for (const [piece, us] of rows) console.log(`| ${piece} | ${us.toFixed(2)} |`);
