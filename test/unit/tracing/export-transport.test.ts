import { expect } from 'chai';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
import { createOtlpWorkerExporter, ExportWorkerTransport } from '../../../src/tracing/export-transport.js';

interface Received {
  path: string;
  contentType: string | undefined;
  body: Buffer;
}

/** A real HTTP endpoint on a free port, answering as `answer` says. */
async function collector(answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end()): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'], body: Buffer.concat(chunks) });
      answer(req, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, received, server };
}

/** Two ended spans, as the SDK hands them to an exporter. */
function someSpans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: memory })] });
  const tracer = provider.getTracer('export-transport-test');
  tracer.startSpan('POST /produce').end();
  tracer.startSpan('send orders').end();
  return memory.getFinishedSpans();
}

const exportOnce = (exporter: SpanExporter, spans: ReadableSpan[]): Promise<ExportResult> => new Promise((resolve) => exporter.export(spans, resolve));

describe('span export through a worker thread (ExportWorkerTransport)', function () {
  this.timeout(20_000);
  const servers: Server[] = [];
  const exporters: SpanExporter[] = [];
  afterEach(async () => {
    await Promise.all(exporters.splice(0).map((e) => e.shutdown()));
    for (const s of servers.splice(0)) s.close();
  });

  it('posts the SDK-serialised protobuf batch to the collector and reports success', async () => {
    const c = await collector();
    servers.push(c.server);
    const diag: string[] = [];
    const exporter = createOtlpWorkerExporter({ url: c.url, protocol: 'http/protobuf', timeoutMs: 5_000 }, (m) => diag.push(m));
    exporters.push(exporter);
    const result = await exportOnce(exporter, someSpans());
    expect(result.code, String(result.error)).to.equal(ExportResultCode.SUCCESS);
    expect(c.received).to.have.length(1);
    expect(c.received[0]!.path).to.equal('/v1/traces');
    expect(c.received[0]!.contentType).to.equal('application/x-protobuf');
    // Protobuf keeps strings as UTF-8 bytes: both span names are in the one request.
    expect(c.received[0]!.body.includes('POST /produce')).to.equal(true);
    expect(c.received[0]!.body.includes('send orders')).to.equal(true);
    expect(diag).to.deep.equal([]);
  });

  it('http/json: the body is OTLP JSON with both spans', async () => {
    const c = await collector((_req, res) => res.setHeader('content-type', 'application/json').end('{}'));
    servers.push(c.server);
    const exporter = createOtlpWorkerExporter({ url: c.url, protocol: 'http/json', timeoutMs: 5_000 }, () => {});
    exporters.push(exporter);
    expect((await exportOnce(exporter, someSpans())).code).to.equal(ExportResultCode.SUCCESS);
    expect(c.received[0]!.contentType).to.equal('application/json');
    const body = JSON.parse(c.received[0]!.body.toString('utf8')) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string }> }> }> };
    expect(body.resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.name)).to.deep.equal(['POST /produce', 'send orders']);
  });

  it('OTEL_EXPORTER_OTLP_HEADERS still reaches the collector (the library reads it in the worker, docs/configuration.md)', async () => {
    const c = await collector();
    servers.push(c.server);
    const seen: Array<string | undefined> = [];
    c.server.on('request', (req: IncomingMessage) => seen.push(req.headers.authorization));
    const exporter: SpanExporter = createOtlpWorkerExporter({ url: c.url, protocol: 'http/protobuf', timeoutMs: 5_000 }, () => {});
    exporters.push(exporter);
    // The worker starts at the first export and takes a copy of the environment then.
    process.env.OTEL_EXPORTER_OTLP_HEADERS = 'authorization=Bearer%20collector-token';
    let result: ExportResult;
    try {
      result = await exportOnce(exporter, someSpans());
    } finally {
      delete process.env.OTEL_EXPORTER_OTLP_HEADERS;
    }
    expect(result.code).to.equal(ExportResultCode.SUCCESS);
    expect(seen).to.deep.equal(['Bearer collector-token']);
  });

  it('a collector that refuses the batch (400) fails the export with its status', async () => {
    const c = await collector((_req, res) => {
      res.statusCode = 400;
      res.end('bad');
    });
    servers.push(c.server);
    const exporter = createOtlpWorkerExporter({ url: c.url, protocol: 'http/protobuf', timeoutMs: 5_000 }, () => {});
    exporters.push(exporter);
    const result = await exportOnce(exporter, someSpans());
    expect(result.code).to.equal(ExportResultCode.FAILED);
    expect(String(result.error)).to.match(/Bad Request \(HTTP 400\)/);
  });

  it('a collector that never answers: the export fails within its timeout, nothing waits longer', async () => {
    const c = await collector(() => {});
    servers.push(c.server);
    const exporter = createOtlpWorkerExporter({ url: c.url, protocol: 'http/protobuf', timeoutMs: 500 }, () => {});
    exporters.push(exporter);
    const started = Date.now();
    const result = await exportOnce(exporter, someSpans());
    expect(result.code).to.equal(ExportResultCode.FAILED);
    expect(Date.now() - started).to.be.lessThan(3_000);
    c.server.closeAllConnections();
  });

  it('no worker runs until the first export (an idle one costs CPU: docs/benchmarks.md)', async () => {
    const c = await collector();
    servers.push(c.server);
    const transport = new ExportWorkerTransport({ url: c.url, protocol: 'http/protobuf', timeoutMs: 5_000 }, () => {});
    const workerOf = (): unknown => (transport as unknown as { worker: unknown }).worker;
    expect(workerOf()).to.equal(undefined);
    const sent = await transport.send(new Uint8Array(0), 5_000);
    expect(sent.status).to.equal('success');
    expect(workerOf()).to.not.equal(undefined);
    transport.shutdown();
    expect(workerOf()).to.equal(undefined);
  });

  it('a worker that dies fails what it had, and the next export starts a new one', async () => {
    const c = await collector();
    servers.push(c.server);
    const transport = new ExportWorkerTransport({ url: c.url, protocol: 'http/protobuf', timeoutMs: 5_000 }, () => {});
    const pending = transport.send(new Uint8Array(0), 5_000);
    const worker = (transport as unknown as { worker: { terminate(): Promise<number> } }).worker;
    await worker.terminate();
    const lost = await pending;
    expect(lost.status).to.equal('failure');
    const next = await transport.send(new Uint8Array(0), 5_000);
    expect(next.status).to.equal('success');
    expect(c.received.length).to.be.greaterThan(0);
    transport.shutdown();
  });
});
