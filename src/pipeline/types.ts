import type { GatewayError } from '../errors/gateway-error.js';
import type { RequestTrace } from '../tracing/types.js';

/** One message as a client asked for it, after normalise() checked its shape. */
export interface ProduceItem {
  topic: string;
  key?: string;
  message: unknown;
  partition?: number;
  headers: Record<string, string>;
}

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
  /** Set only by the gateway's own writers (the status recorder), never from a request: topic
   * permissions, reserved topics included, do not apply to what the gateway writes for itself. */
  internal?: true;
  /** The request's W3C trace context (src/tracing/): written into each record; absent without one. */
  trace?: RequestTrace;
}

/** The outcome of one item: a value, so a batch can report each item on its own. */
export type ItemOutcome =
  | {
      success: true;
      topic: string;
      partition: number;
      /** null when the broker acknowledged without an offset; offset_unknown_reason says why. */
      offset: number | null;
      offset_unknown_reason?: string;
      timestamp: string;
    }
  | {
      success: false;
      topic?: string;
      error: GatewayError;
      /** Only for DELIVERY_OUTCOME_UNKNOWN past the deadline: the outcome once the report comes. */
      eventual?: Promise<ItemOutcome>;
    };

/** A request's items as handed over: `immediate[i]` is the outcome of an item refused at once
 * (bad input, or refused before hand-over), undefined for one queued in the producer. */
export interface Submitted {
  immediate: Array<ItemOutcome | undefined>;
  settled: Promise<ItemOutcome[]>;
}
