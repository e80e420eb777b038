import { createTraceState, SpanKind, SpanStatusCode, type Link, type SpanContext } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE } from '@opentelemetry/semantic-conventions';
import * as A from './messaging-attributes.js';
import type { RecordedSpan, SpanRecorder } from './recorded-span.js';
import { isValidTraceparent, parentIdOf, sampledFlagOf, TRACEPARENT_HEADER, traceIdOf } from './trace-context.js';
import type { ProducerSpan, RequestSpans, SpanAttributes, TracedRecord } from './types.js';

const OUTCOME_UNKNOWN = 'DELIVERY_OUTCOME_UNKNOWN';

/** traceparent of a span context (W3C version 00). */
function traceparentOf(sc: SpanContext): string {
  return `00-${sc.traceId}-${sc.spanId}-${sc.traceFlags & 1 ? '01' : '00'}`;
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'INTERNAL';
}

/**
 * kgate's server span of one request (SpanKind SERVER, made by hand: cheaper than instrumenting
 * http and express, and named by route template) and the producer spans under it, one per record.
 * Made only for a request the head decision sampled (sampler.ts).
 */
export class OtelRequestSpans implements RequestSpans {
  readonly traceparent: string;
  readonly tracestate: string | undefined;
  readonly traceId: string;
  readonly traceresponse: string;
  readonly recording: boolean;
  private readonly span: RecordedSpan;
  /** The last failure under this request, for the server span's error.type when the answer is an error. */
  private lastCode: string | undefined;

  constructor(
    private readonly recorder: SpanRecorder,
    private readonly method: string,
    requestId: string,
    parent: SpanContext | undefined,
  ) {
    this.span = recorder.start(method, SpanKind.SERVER, { [ATTR_HTTP_REQUEST_METHOD]: method, [A.KGATE_REQUEST_ID]: requestId }, parent, undefined);
    const sc = this.span.spanContext();
    this.traceId = sc.traceId;
    this.traceparent = traceparentOf(sc);
    this.traceresponse = this.traceparent;
    this.tracestate = sc.traceState?.serialize() || undefined;
    this.recording = this.span.recording;
  }

  event(name: string, attributes: SpanAttributes): void {
    const code = attributes[ATTR_ERROR_TYPE];
    if (typeof code === 'string') this.lastCode = code;
    if (this.recording) this.span.addEvent(name, attributes);
  }

  producer(record: TracedRecord, ownTraceparent: string | undefined, batchCount: number): ProducerSpan | undefined {
    if (!this.recording) return undefined;
    const own = isValidTraceparent(ownTraceparent) ? ownTraceparent : undefined;
    // The item's own trace wins; a link keeps the way back to the request that carried it.
    if (own !== undefined) return startProducerSpan(this.recorder, record, batchCount, remoteParent(own), [{ context: this.span.spanContext() }], this);
    // An item whose own traceparent is not valid keeps its headers as written (the client's word on trace headers).
    return startProducerSpan(this.recorder, record, batchCount, this.span, undefined, this, ownTraceparent === undefined);
  }

  /** A producer span failed: the server span's error.type when the answer is an error. */
  noteFailure(code: string): void {
    this.lastCode = code;
  }

  end(route: string, status: number, errorCode: string | undefined): void {
    if (!this.recording) return this.span.end();
    if (route !== 'unmatched') {
      this.span.updateName(`${this.method} ${route}`);
      this.span.setAttribute(ATTR_HTTP_ROUTE, route);
    }
    this.span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    // kgate marks 4xx as errors too (HTTP conventions leave them unset on a server span): a refused
    // message is what its producer's team is looking for.
    if (status >= 400) {
      const code = errorCode ?? this.lastCode ?? String(status);
      this.span.setAttribute(ATTR_ERROR_TYPE, code);
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: code });
    }
    this.span.end();
  }
}

/**
 * An unsampled request's spans: kgate made no server span (no span was started for it); an item
 * with a valid trace context of its own still gets a producer span when that trace is sampled (the
 * SDK's parent-based rule decides). One shared object: nothing is allocated per unsampled request.
 */
export class UnsampledRequestSpans implements RequestSpans {
  readonly traceresponse = undefined;
  readonly recording = false;

  constructor(private readonly recorder: SpanRecorder) {}

  event(): void {}

  producer(record: TracedRecord, ownTraceparent: string | undefined, batchCount: number): ProducerSpan | undefined {
    if (!isValidTraceparent(ownTraceparent)) return undefined;
    return startProducerSpan(this.recorder, record, batchCount, remoteParent(ownTraceparent), undefined, undefined);
  }

  end(): void {}
}

/** Who hears of a producer span's failure (the server span, for its error.type). */
interface FailureListener {
  noteFailure(code: string): void;
}

/**
 * The producer span of one record under `parent`, following the messaging conventions; the record's
 * traceparent header then names it (replaced in place, or added), so a consumer continues from it.
 * `rewrite` false leaves the headers alone (an item's own invalid traceparent).
 */
function startProducerSpan(recorder: SpanRecorder, record: TracedRecord, batchCount: number, parent: RecordedSpan | SpanContext, links: Link[] | undefined, listener: FailureListener | undefined, rewrite = true): ProducerSpan {
  const attributes: SpanAttributes = {
    [A.MESSAGING_SYSTEM]: 'kafka',
    [A.MESSAGING_OPERATION_TYPE]: 'send',
    [A.MESSAGING_OPERATION_NAME]: 'send',
    [A.MESSAGING_DESTINATION_NAME]: record.topic,
  };
  // A binary key (a dialect's) as base64: the convention asks for a string representation.
  if (record.key !== undefined) attributes[A.MESSAGING_KAFKA_MESSAGE_KEY] = typeof record.key === 'string' ? record.key : record.key.toString('base64');
  if (record.partition !== undefined) attributes[A.MESSAGING_DESTINATION_PARTITION_ID] = String(record.partition);
  if (batchCount > 1) attributes[A.MESSAGING_BATCH_MESSAGE_COUNT] = batchCount;
  const span = recorder.start(`send ${record.topic}`, SpanKind.PRODUCER, attributes, parent, links);
  if (rewrite) record.headers = withTraceparent(record.headers, traceparentOf(span.spanContext()));
  return new OtelProducerSpan(span, listener);
}

/** The span context of a caller's (or an item's) valid traceparent and tracestate (trace-context.ts checked both). */
export function remoteParent(traceparent: string, tracestate?: string): SpanContext {
  return { traceId: traceIdOf(traceparent), spanId: parentIdOf(traceparent), traceFlags: sampledFlagOf(traceparent), isRemote: true, ...(tracestate === undefined ? {} : { traceState: createTraceState(tracestate) }) };
}

class OtelProducerSpan implements ProducerSpan {
  constructor(
    private readonly span: RecordedSpan,
    private readonly listener: FailureListener | undefined,
  ) {}

  acked(ack: { partition: number; offset: number | null }): void {
    this.setAck(ack);
    this.span.end();
  }

  failed(err: unknown): void {
    const code = codeOf(err);
    this.listener?.noteFailure(code);
    this.span.setAttribute(ATTR_ERROR_TYPE, code);
    this.span.setStatus({ code: SpanStatusCode.ERROR, message: code });
    const eventual = code === OUTCOME_UNKNOWN ? (err as { eventual?: unknown }).eventual : undefined;
    if (!(eventual instanceof Promise)) return this.span.end();
    // 504: the client was told "unknown"; the span stays open for the delivery report that comes
    // later (librdkafka always gives one, at the latest at message.timeout.ms or shutdown) and says
    // what became of the record, so a trace shows whether the message was written after all.
    this.span.setAttribute(A.KGATE_OUTCOME_UNKNOWN, true);
    (eventual as Promise<{ partition: number; offset: number | null }>).then(
      (ack) => {
        this.setAck(ack);
        this.span.setAttribute(A.KGATE_LATE_OUTCOME, 'written');
        this.span.end();
      },
      (late: unknown) => {
        this.span.setAttribute(A.KGATE_LATE_OUTCOME, codeOf(late));
        this.span.end();
      },
    );
  }

  private setAck(ack: { partition: number; offset: number | null }): void {
    this.span.setAttribute(A.MESSAGING_DESTINATION_PARTITION_ID, String(ack.partition));
    if (ack.offset !== null) this.span.setAttribute(A.MESSAGING_KAFKA_OFFSET, ack.offset);
  }
}

/** The record's headers with its traceparent set to `traceparent` (replaced where one is, else added). */
function withTraceparent(headers: TracedRecord['headers'], traceparent: string): TracedRecord['headers'] {
  let found = false;
  const out = headers.map((h) => {
    if (h[TRACEPARENT_HEADER] === undefined) return h;
    found = true;
    return { [TRACEPARENT_HEADER]: traceparent };
  });
  if (!found) out.push({ [TRACEPARENT_HEADER]: traceparent });
  return out;
}
