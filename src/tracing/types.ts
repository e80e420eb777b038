import type { RequestTrace } from '../shared/request-trace.js';

export type { ProducerSpan, RequestSpans, RequestTrace, SpanAttributes, TracedRecord } from '../shared/request-trace.js';

/** The gateway's handle on tracing, built once at start-up (src/tracing/tracing.ts). */
export interface Tracing {
  /** Whether spans are made and exported (OTEL_* settings); propagation is always on. */
  readonly enabled: boolean;
  /** The trace of an incoming request, or undefined when it has none and tracing is off. */
  startRequest(method: string, traceparent: string | string[] | undefined, tracestate: string | string[] | undefined, requestId: string): RequestTrace | undefined;
  /** Exports what is queued, within the time given; never throws. */
  shutdown(timeoutMs: number): Promise<void>;
}
