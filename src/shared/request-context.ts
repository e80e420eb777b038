import type { RequestTrace } from './request-trace.js';

/** Who sent a request, once authentication has established it (src/access/). Never the key itself. */
export interface ClientIdentity {
  name: string;
}

/** What every stage may know about the HTTP call an item came from. */
export interface RequestContext {
  requestId: string;
  receivedAt: Date;
  /** Absent when authentication is off. */
  client?: ClientIdentity;
  /** Set only by the gateway's own writers (the status writer), never from a request: topic
   * permissions, reserved topics included, do not apply to what the gateway writes for itself. */
  internal?: true;
  /** The request's W3C trace context (src/tracing/): written into each record; absent without one. */
  trace?: RequestTrace;
  /** The HTTP dialect the request came in (src/http/dialects/); absent: kgate's own /produce. */
  dialect?: string;
  /** X-Kgate-Schema-Version: the registry version every item of the request is encoded with, unless it pins its own. */
  schemaVersion?: number;
}
