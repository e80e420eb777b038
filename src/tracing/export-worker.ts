import { parentPort, workerData } from 'node:worker_threads';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from '@opentelemetry/otlp-exporter-base/node-http';
import { JsonTraceSerializer, ProtobufTraceSerializer, type IExporterMetricsHelper } from '@opentelemetry/otlp-transformer';
import { sendDiagnosticsTo } from './diag-lines.js';
import type { ExportWorkerData, FromExportWorker, ToExportWorker } from './export-worker-messages.js';

// The OTLP/HTTP export of serialised span batches, in a worker thread of its own (export-transport.ts
// says why). What runs here is the SDK's own OTLP/HTTP delegate (retries with backoff, the timeout,
// keep-alive agent, partial-success handling), fed bytes the main thread has already serialised.

const port = parentPort;
if (port === null) throw new Error('export-worker.ts runs only as a worker thread');
const settings = workerData as ExportWorkerData;

// The SDK's diagnostics (a failed or refused export) go to the main thread's logger.
sendDiagnosticsTo((line) => {
  const reply: FromExportWorker = { kind: 'diag', message: line };
  port.postMessage(reply);
});

const json = settings.protocol === 'http/json';
const responses = json ? JsonTraceSerializer : ProtobufTraceSerializer;
// The request is already the serialised ExportTraceServiceRequest; answers are read as the exporter reads them.
const passThrough = { serializeRequest: (bytes: Uint8Array) => bytes, deserializeResponse: (data: Uint8Array) => responses.deserializeResponse(data) };
// No meter provider is given, so the exporter's self-metrics are no-ops: nothing needs counting here.
const uncounted: IExporterMetricsHelper<Uint8Array> = { name: 'span', countItems: () => 0 };
const delegate = createOtlpHttpExportDelegate(
  convertLegacyHttpOptions({ url: settings.url, timeoutMillis: settings.timeoutMs }, 'TRACES', 'v1/traces', { 'Content-Type': json ? 'application/json' : 'application/x-protobuf' }),
  passThrough,
  'otlp_http_span_exporter',
  uncounted,
  undefined,
);

port.on('message', (message: ToExportWorker) => {
  if (message.kind === 'shutdown') {
    void delegate.shutdown().finally(() => port.close());
    return;
  }
  delegate.export(message.body, (result: ExportResult) => {
    const reply: FromExportWorker = result.code === ExportResultCode.SUCCESS ? { kind: 'result', id: message.id, ok: true } : { kind: 'result', id: message.id, ok: false, error: describe(result.error) };
    port.postMessage(reply);
  });
});

/** An export's failure in a line: the collector's HTTP status when it answered one. */
function describe(error: Error | undefined): string {
  if (error === undefined) return 'export failed';
  const status = (error as { code?: unknown }).code;
  return typeof status === 'number' ? `${error.message} (HTTP ${status})` : error.message;
}
