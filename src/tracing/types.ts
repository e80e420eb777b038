import type { Ack, KafkaRecord } from '../kafka/producer.js';
import type { TraceParent } from './trace-context.js';

// What the HTTP edge and the pipeline see of tracing: plain interfaces, no OpenTelemetry import, so
// only src/tracing/otel-tracing.ts loads the SDK, and only when tracing is on.

/**
 * A request's trace, carried in its RequestContext. With tracing off it is the incoming trace
 * context copied (no spans); with tracing on it is kgate's server span, and `traceparent` names it.
 */
export interface RequestTrace extends TraceParent {
  /** 32 hex digits, echoed to the client (X-Trace-Id). */
  readonly traceId: string;
  /** Present only with tracing on. */
  readonly spans?: RequestSpans | undefined;
}

/** Attribute values a span or an event takes. */
export type SpanAttributes = Record<string, string | number | boolean>;

/** kgate's server span of one request, and what happens under it. */
export interface RequestSpans {
  /** W3C `traceresponse` value naming the server span (same shape as traceparent). */
  readonly traceresponse: string;
  /** Whether the server span is recorded (sampled): an unsampled one gets no producer spans. */
  readonly recording: boolean;
  /** An event on the server span: a refused message, a dead-lettered one. */
  event(name: string, attributes: SpanAttributes): void;
  /**
   * Starts the producer span of one record, child of the item's own valid `traceparent` when it has
   * one, else of the server span, and points the record's `traceparent` header at it. Undefined when
   * nothing is recorded (unsampled), in which case the record keeps the request's trace headers.
   */
  producer(record: KafkaRecord, ownTraceparent: string | undefined, batchCount: number): ProducerSpan | undefined;
  /** Ends the server span when the response has ended (or the client left). */
  end(route: string, status: number, errorCode: string | undefined): void;
}

/** One record's producer span: ends at the broker's acknowledgement or at its failure. */
export interface ProducerSpan {
  acked(ack: Ack): void;
  failed(err: unknown): void;
}

/** The gateway's handle on tracing, built once at start-up (src/tracing/tracing.ts). */
export interface Tracing {
  /** Whether spans are made and exported (OTEL_* settings); propagation is always on. */
  readonly enabled: boolean;
  /** The trace of an incoming request, or undefined when it has none and tracing is off. */
  startRequest(method: string, traceparent: string | string[] | undefined, tracestate: string | string[] | undefined, requestId: string): RequestTrace | undefined;
  /** Exports what is queued, within the time given; never throws. */
  shutdown(timeoutMs: number): Promise<void>;
}
