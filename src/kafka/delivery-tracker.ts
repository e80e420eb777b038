import { GatewayError } from '../errors/gateway-error.js';
import { IdRing } from './id-ring.js';

export interface Ack {
  partition: number;
  /** null when librdkafka acknowledged without an offset (see OFFSET_UNKNOWN_REASON). */
  offset: number | null;
  offset_unknown_reason?: string;
}

/** Who a message belongs to, for the log line of an outcome that arrives after its answer. */
export interface MessageRef {
  requestId: string | undefined;
  topic: string;
}

interface Pending extends MessageRef {
  resolve: (ack: Ack) => void;
  reject: (err: GatewayError) => void;
  /** performance.now() past which the gateway answers 504 itself. */
  deadline: number;
}

/** A message whose answer was 504: still in librdkafka, its report awaited for the log and the replay. */
export interface Unknown extends MessageRef {
  resolve: (ack: Ack) => void;
  reject: (err: GatewayError) => void;
}

/**
 * Rejection of a message past its deadline. `eventual` settles with its delivery report when one
 * comes (or with another unknown outcome if the producer is torn down first), so an idempotent
 * retry can be told what finally happened.
 */
export class OutcomeUnknownError extends GatewayError {
  constructor(
    readonly eventual: Promise<Ack>,
    info: Record<string, unknown>,
  ) {
    super('DELIVERY_OUTCOME_UNKNOWN', undefined, { info });
  }
}

const noop = (): void => {};

/**
 * Messages handed to librdkafka and not yet reported on, keyed by the numeric opaque that
 * travels with each message. One IdRing (ids handed out in order) and one report handler instead of
 * a closure per message; every message gets the same deadline span, so the ring's id order is
 * deadline order and a sweep only ever looks at its oldest entry.
 */
export class DeliveryTracker {
  private readonly pending = new IdRing<Pending>();
  private readonly unknown = new Map<number, Unknown>();
  private idleWaiters: Array<() => void> = [];

  /** Messages awaiting a report, answered or not: what librdkafka still holds for us. */
  get size(): number {
    return this.pending.size + this.unknown.size;
  }

  /** Messages whose client is still waiting. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Registers a message; returns its opaque id and the promise its delivery report settles. */
  track(deadline: number, requestId: string | undefined, topic: string): { id: number; settled: Promise<Ack> } {
    let id = 0;
    const settled = new Promise<Ack>((resolve, reject) => (id = this.pending.add({ resolve, reject, deadline, requestId, topic })));
    return { id, settled };
  }

  /** produce() threw: there will be no report for this id. */
  abandon(id: number): void {
    this.pending.delete(id);
    this.notifyIfIdle();
  }

  /** Answers 504 for every message past its deadline; they stay tracked as unknown. */
  expire(now: number): Unknown[] {
    let expired: Unknown[] | undefined;
    for (let head = this.pending.first(); head && head.entry.deadline <= now; head = this.pending.first()) {
      const { id, entry: p } = head;
      this.pending.delete(id);
      let late!: Unknown;
      const eventual = new Promise<Ack>((resolve, reject) => (late = { resolve, reject, requestId: p.requestId, topic: p.topic }));
      eventual.catch(noop);
      this.unknown.set(id, late);
      p.reject(new OutcomeUnknownError(eventual, { reason: 'no delivery report within PRODUCE_DEADLINE_MS' }));
      (expired ??= []).push(late);
    }
    return expired ?? [];
  }

  /** The report came: settles the waiting client, or returns the entry whose client was already answered. */
  delivered(id: number, ack: Ack): Unknown | undefined {
    return this.settle(id, ack, undefined);
  }

  failed(id: number, err: GatewayError): Unknown | undefined {
    return this.settle(id, undefined, err);
  }

  /** Resolves once every tracked message has been reported on. */
  whenIdle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Fails everything still tracked (used only when the producer is torn down). */
  failAll(err: GatewayError): void {
    for (const id of [...this.pending.ids(), ...this.unknown.keys()]) this.failed(id, err);
  }

  private settle(id: number, ack: Ack | undefined, err: GatewayError | undefined): Unknown | undefined {
    const entry = this.pending.get(id);
    let late: Unknown | undefined;
    if (entry) this.pending.delete(id);
    else if ((late = this.unknown.get(id))) this.unknown.delete(id);
    const target = entry ?? late;
    if (!target) return undefined;
    if (ack) target.resolve(ack);
    else target.reject(err!);
    this.notifyIfIdle();
    return late;
  }

  private notifyIfIdle(): void {
    if (this.size === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
