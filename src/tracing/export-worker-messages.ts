// What the main thread and the span export worker (export-worker.ts) say to each other.

export interface ExportWorkerData {
  /** The OTLP traces URL, e.g. http://collector:4318/v1/traces. */
  url: string;
  protocol: 'http/protobuf' | 'http/json';
  /** One export's bound, retries included (OTEL_EXPORTER_OTLP_TIMEOUT). */
  timeoutMs: number;
}

export type ToExportWorker = { kind: 'export'; id: number; body: Uint8Array } | { kind: 'shutdown' };

export type FromExportWorker =
  | { kind: 'result'; id: number; ok: true }
  | { kind: 'result'; id: number; ok: false; error: string }
  /** An SDK diagnostic (warn or error) for the main thread's logger. */
  | { kind: 'diag'; message: string };
