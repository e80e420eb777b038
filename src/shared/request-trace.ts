// What a request's trace looks like to every room (src/tracing/ makes it): plain interfaces, no
// OpenTelemetry import, so only src/tracing/ loads the SDK, and only when tracing is on.

/** Attribute values a span or an event takes. */
export type SpanAttributes = Record<string, string | number | boolean>;

/** The parts of a Kafka record a producer span reads (and whose traceparent header it sets). */
export interface TracedRecord {
  topic: string;
  key?: string | Buffer;
  partition?: number;
  headers: ReadonlyArray<Record<string, Buffer | string>>;
}

/**
 * A request's trace, carried in its RequestContext. With tracing off it is the incoming W3C trace
 * context copied (no spans); with tracing on and the request sampled it is kgate's server span, and
 * `traceparent` names it; unsampled, the incoming context is copied as with tracing off, and a
 * request that came without one has none (only its items' own trace contexts may get spans).
 */
export interface RequestTrace {
  /** A valid W3C traceparent written into each record of the request; undefined: nothing to write. */
  readonly traceparent: string | undefined;
  readonly tracestate: string | undefined;
  /** 32 hex digits, echoed to the client (X-Trace-Id); undefined with no traceparent. */
  readonly traceId: string | undefined;
  /** Present only with tracing on. */
  readonly spans?: RequestSpans | undefined;
}

/** kgate's server span of one request, and what happens under it. */
export interface RequestSpans {
  /** W3C `traceresponse` value naming the server span (same shape as traceparent); undefined when kgate made none (unsampled). */
  readonly traceresponse: string | undefined;
  /** Whether the server span is recorded (sampled): unsampled, only items with a sampled trace of their own get producer spans. */
  readonly recording: boolean;
  /** An event on the server span: a refused message, a dead-lettered one. */
  event(name: string, attributes: SpanAttributes): void;
  /**
   * Starts the producer span of one record, child of the item's own valid `traceparent` when it has
   * one, else of the server span, and points the record's `traceparent` header at it. Undefined when
   * nothing is recorded (unsampled), in which case the record keeps the request's trace headers.
   */
  producer(record: TracedRecord, ownTraceparent: string | undefined, batchCount: number): ProducerSpan | undefined;
  /** Ends the server span when the response has ended (or the client left). */
  end(route: string, status: number, errorCode: string | undefined): void;
}

/** One record's producer span: ends at the broker's acknowledgement or at its failure. */
export interface ProducerSpan {
  acked(ack: { partition: number; offset: number | null }): void;
  failed(err: unknown): void;
}
