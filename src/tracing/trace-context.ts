// W3C Trace Context (https://www.w3.org/TR/trace-context/), the part kgate needs with tracing off:
// recognise a valid `traceparent` and `tracestate` and copy them. A regex and a length check: no SDK.

/** Version 00: trace id and parent id in lower-case hex, neither all zeros; two hex digits of flags. */
const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;
/** The spec's limit for what must be propagated; printable ASCII only (list members are key=value). */
const TRACESTATE = /^[\x20-\x7e]{1,512}$/;

export const TRACEPARENT_HEADER = 'traceparent';
export const TRACESTATE_HEADER = 'tracestate';

/** A request's trace context as it came in: valid values only. */
export interface TraceParent {
  traceparent: string;
  tracestate: string | undefined;
}

export function isValidTraceparent(value: unknown): value is string {
  return typeof value === 'string' && TRACEPARENT.test(value);
}

/**
 * The trace context of an HTTP request, or undefined when `traceparent` is missing or invalid (then
 * it is ignored, never an error). `tracestate` is kept only beside a valid `traceparent`, as the spec
 * says; a repeated header reaches Node joined with ", ", which no valid traceparent contains.
 */
export function readTraceParent(traceparent: string | string[] | undefined, tracestate: string | string[] | undefined): TraceParent | undefined {
  if (typeof traceparent !== 'string' || !TRACEPARENT.test(traceparent)) return undefined;
  return { traceparent, tracestate: typeof tracestate === 'string' && TRACESTATE.test(tracestate) ? tracestate : undefined };
}

/** The 32 hex digits of a valid traceparent's trace id. */
export function traceIdOf(traceparent: string): string {
  return traceparent.slice(3, 35);
}

/** The 16 hex digits of a valid traceparent's parent (span) id. */
export function parentIdOf(traceparent: string): string {
  return traceparent.slice(36, 52);
}

/** The sampled bit of a valid traceparent's flags (W3C: the only flag version 00 defines). */
export function sampledFlagOf(traceparent: string): 0 | 1 {
  return (parseInt(traceparent.slice(53, 55), 16) & 1) as 0 | 1;
}

/** Whether an item's own record headers name a trace context: then they win over the request's. */
export function hasOwnTraceHeaders(headers: Record<string, string | Buffer>): boolean {
  return headers[TRACEPARENT_HEADER] !== undefined || headers[TRACESTATE_HEADER] !== undefined;
}

/** An item's own `traceparent` record header as text (a dialect may give header values as bytes). */
export function ownTraceparentOf(headers: Record<string, string | Buffer>): string | undefined {
  const value = headers[TRACEPARENT_HEADER];
  return value === undefined || typeof value === 'string' ? value : value.toString('latin1');
}
