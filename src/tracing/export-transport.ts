import { Worker } from 'node:worker_threads';
import {
  createOtlpNetworkExportDelegate,
  getSharedConfigurationDefaults,
  mergeOtlpSharedConfigurationWithDefaults,
  OTLPExporterBase,
  type ExportResponse,
  type IExporterTransport,
} from '@opentelemetry/otlp-exporter-base';
import { createOtlpHttpExporterMetrics } from '@opentelemetry/otlp-exporter-base/node-http';
import { JsonTraceSerializer, ProtobufTraceSerializer, TraceExporterMetricsHelper } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import type { ExportWorkerData, FromExportWorker, ToExportWorker } from './export-worker-messages.js';

/** Under tsx (the tests) this module is TypeScript, and so is its worker; built, both are JavaScript. */
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './export-worker.ts' : './export-worker.js', import.meta.url);
/** How much longer than an export's own bound a silent worker is waited for. */
const WORKER_GRACE_MS = 1_000;

/**
 * The SDK's OTLP/HTTP span exporter, assembled from its public parts (the serialiser, the export
 * delegate with its bounded concurrency and timeout, OTLPExporterBase) as OTLPTraceExporter assembles
 * them, with one part swapped: the bytes go out through a worker thread (ExportWorkerTransport).
 */
export function createOtlpWorkerExporter(data: ExportWorkerData, onDiag: (message: string) => void): SpanExporter {
  const serializer = data.protocol === 'http/json' ? JsonTraceSerializer : ProtobufTraceSerializer;
  const options = mergeOtlpSharedConfigurationWithDefaults({ timeoutMillis: data.timeoutMs }, {}, getSharedConfigurationDefaults());
  // No meter provider: the exporter's self-metrics are no-ops, as in kgate's use of the SDK everywhere.
  const metrics = createOtlpHttpExporterMetrics<ReadableSpan[]>('otlp_http_span_exporter', TraceExporterMetricsHelper, data.url, undefined);
  return new OTLPExporterBase<ReadableSpan[]>(createOtlpNetworkExportDelegate(options, serializer, metrics, new ExportWorkerTransport(data, onDiag)));
}

/**
 * Sends serialised span batches through a worker thread running the SDK's OTLP/HTTP client
 * (export-worker.ts). Why not on the main thread: the HTTP client shares Node's http and stream code
 * with the gateway's server, and V8 optimises that code for the objects it has seen. One export
 * every few seconds taught it client requests and sockets too ("wrong map" deoptimisations in
 * OutgoingMessage._send, Writable.write, Readable.read, emitCloseNT under --trace-deopt), and every
 * request then ran the slower, polymorphic code: +12 % CPU per /produce at a sampling ratio of 0.01
 * as at 0.1, +4 % with the export left out (docs/benchmarks.md, "Tracing cost"). In a worker the
 * client has an isolate of its own. A worker that dies is started again at the next export; the
 * exports it had are failed (their spans dropped, as a collector that is down drops them).
 */
export class ExportWorkerTransport implements IExporterTransport {
  private worker: Worker | undefined;
  private nextId = 1;
  /** The exports the worker has not answered yet: one entry per batch of spans, not per request. */
  private readonly waiting = new Map<number, (response: ExportResponse) => void>();

  /**
   * The worker starts at the first export, not with tracing: an idle worker that has loaded the SDK's
   * HTTP client still cost the gateway ~3 % CPU per request with nothing sampled (ratio 0: 10 side-by-side
   * rounds, lazy against eager, median 0.97×; docs/benchmarks.md). Its start-up runs on its own thread.
   */
  constructor(
    private readonly data: ExportWorkerData,
    private readonly onDiag: (message: string) => void,
  ) {}

  send(body: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle({ status: 'failure', error: new Error(`the span export worker did not answer within ${timeoutMillis + WORKER_GRACE_MS} ms`) }), timeoutMillis + WORKER_GRACE_MS);
      timer.unref();
      const settle = (response: ExportResponse): void => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(response);
      };
      this.waiting.set(id, settle);
      // Handed over, not copied (for a 150 KB batch ~0.15 ms of CPU against ~0.3 ms, the buffer's allocation
      // included): the serialiser made these bytes for this one export. A Node Buffer may be a slice of a shared pool: copied.
      const bytes = Buffer.isBuffer(body) || !(body.buffer instanceof ArrayBuffer) ? new Uint8Array(body) : body;
      const message: ToExportWorker = { kind: 'export', id, body: bytes };
      worker.postMessage(message, [bytes.buffer as ArrayBuffer]);
    });
  }

  /** Called by the exporter after its last export has settled. */
  shutdown(): void {
    const worker = this.worker;
    this.worker = undefined;
    if (worker === undefined) return;
    const message: ToExportWorker = { kind: 'shutdown' };
    worker.postMessage(message);
    // A worker still busy after the exporter's own bound is stopped.
    setTimeout(() => void worker.terminate(), WORKER_GRACE_MS).unref();
  }

  private start(): Worker {
    const worker = new Worker(WORKER_URL, { workerData: this.data });
    // Spans waiting for export never keep the gateway running (shutdown flushes them explicitly).
    worker.unref();
    worker.on('message', (message: FromExportWorker) => {
      if (message.kind === 'diag') return this.onDiag(message.message);
      this.waiting.get(message.id)?.(message.ok ? { status: 'success' } : { status: 'failure', error: new Error(message.error) });
    });
    worker.on('error', (err) => this.onDiag(`span export worker failed: ${err.message}`));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      for (const settle of [...this.waiting.values()]) settle({ status: 'failure', error: new Error('the span export worker stopped') });
    });
    this.worker = worker;
    return worker;
  }
}
