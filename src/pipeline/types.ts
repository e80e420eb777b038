import type { GatewayError } from '../errors/gateway-error.js';

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
}

/** The outcome of one item: a value, so a batch can report each item on its own. */
export type ItemOutcome =
  | { success: true; topic: string; partition: number; offset: number; timestamp: string }
  | { success: false; topic?: string; error: GatewayError };
