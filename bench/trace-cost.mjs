// CPU per request of the tracing pieces (issue 23), in one process, with process.cpuUsage() (user+system):
// what the hot path does with tracing off (no header; a valid traceparent read and copied into the
// record headers) and with spans on, through the gateway's own startRequest (head sampling, then a
// server span + one producer span + the ends, through the real SDK's batch span processor and kgate's
// OTLP/HTTP exporter (its client in a worker thread), to an in-process HTTP server that answers 200 (its
// CPU and the worker's count too: process.cpuUsage covers every thread). The calls
// run in slices of 500 with the event loop free in between, so exports happen as they would in a server.
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
const { createOtelTracing } = await mod('src/tracing/otel-tracing.js');

const tick = () => new Promise((resolve) => setImmediate(resolve));
async function cpuPerCall(fn, count) {
  for (let i = 0; i < Math.min(20_000, count); i++) {
    fn(i); // warm-up (JIT)
    if (i % 500 === 499) await tick();
  }
  const t0 = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    fn(i);
    if (i % 500 === 499) await tick();
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
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
rows.push(['off, no traceparent: startRequest + metadata + enrich', await cpuPerCall(() => request(propagationOnly.startRequest('POST', undefined, undefined, 'r')), n)]);
rows.push(['off, valid traceparent: startRequest + metadata + enrich (copied)', await cpuPerCall(() => request(propagationOnly.startRequest('POST', TP, 'a=b', 'r')), n)]);

// Spans on: the real startRequest, the span queue bounded as kgate's defaults bound it.
const quiet = { warn: (m, meta) => console.error(m, meta) };
const { createServer } = await import('node:http');
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.end());
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
for (const ratio of [0, 0.1, 1]) {
  const settings = {
    serviceName: 'bench', tracesUrl: `http://127.0.0.1:${receiver.address().port}/v1/traces`, protocol: 'http/protobuf', exportTimeoutMs: 1000,
    sampler: 'parentbased_traceidratio', samplerRatio: ratio, resourceAttributes: {},
    batch: { scheduledDelayMs: 5000, exportTimeoutMs: 30_000, maxQueueSize: 2048, maxExportBatchSize: 512 },
  };
  const tracing = createOtelTracing(settings, { version: 'bench', log: quiet });
  const us = await cpuPerCall(() => {
    const trace = tracing.startRequest('POST', undefined, undefined, 'r');
    const { headers } = request(trace);
    const record = { topic: 't', key: 'k', value: Buffer.alloc(0), headers, timestampMs: 0 };
    trace.spans.producer(record, undefined, 1)?.acked({ partition: 0, offset: 1 });
    if (trace.spans.recording) trace.spans.end('/produce', 200, undefined);
  }, n);
  rows.push([`on, parentbased_traceidratio ${ratio}, no traceparent: head decision, spans when sampled, metadata + enrich`, us]);
  await tracing.shutdown(1000);
}
receiver.close();
console.log(`| piece (n = ${n}) | µs per request |\n|---|---|`);
for (const [piece, us] of rows) console.log(`| ${piece} | ${us.toFixed(2)} |`);
