import type { GatewayError } from '../errors/gateway-error.js';

export interface Ack {
  partition: number;
  offset: number;
}

interface Pending {
  resolve: (ack: Ack) => void;
  reject: (err: GatewayError) => void;
}

/**
 * Messages handed to librdkafka and not yet reported on, keyed by the numeric opaque that
 * travels with each message. One map and one report handler instead of a closure per message.
 */
export class DeliveryTracker {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private idleWaiters: Array<() => void> = [];

  get size(): number {
    return this.pending.size;
  }

  /** Registers a message; returns its opaque id and the promise its delivery report settles. */
  track(): { id: number; settled: Promise<Ack> } {
    const id = this.nextId++;
    const settled = new Promise<Ack>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    return { id, settled };
  }

  /** produce() threw: there will be no report for this id. */
  abandon(id: number, err: GatewayError): void {
    this.settle(id, (p) => p.reject(err));
  }

  delivered(id: number, ack: Ack): void {
    this.settle(id, (p) => p.resolve(ack));
  }

  failed(id: number, err: GatewayError): void {
    this.settle(id, (p) => p.reject(err));
  }

  /** Resolves once every tracked message has been reported on. */
  whenIdle(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Rejects everything still pending (used only when the producer is torn down). */
  failAll(err: GatewayError): void {
    for (const id of [...this.pending.keys()]) this.failed(id, err);
  }

  private settle(id: number, action: (p: Pending) => void): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    action(entry);
    if (this.pending.size === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
