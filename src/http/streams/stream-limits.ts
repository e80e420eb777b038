import { GatewayError } from '../../errors/gateway-error.js';

export interface StreamLimitSettings {
  /** Open streams of every kind together (SSE, WebSocket, tail). */
  maxOpen: number;
  maxPerClient: number;
  /** Open topic tails, each holding a Kafka consumer. */
  tailMaxConcurrent: number;
  /** Open topic tails of one client, below tailMaxConcurrent so one client cannot hold every slot; default: no own cap. */
  tailMaxPerClient?: number;
}

export type StreamKind = 'status' | 'tail';

/**
 * Counts open streams, gateway-wide, per client and for tails, and knows how to close each one:
 * a stream is long-lived, so the gateway must be able to refuse the next one and to end them all
 * at shutdown (an open stream would otherwise hold the HTTP server open).
 */
export class StreamLimits {
  private open = 0;
  private tails = 0;
  private readonly perClient = new Map<string, number>();
  private readonly tailsPerClient = new Map<string, number>();
  private readonly closers = new Set<() => void>();

  constructor(private readonly s: StreamLimitSettings) {}

  get openStreams(): number {
    return this.open;
  }

  get openTails(): number {
    return this.tails;
  }

  /** Takes a slot or throws TOO_MANY_*; returns the release function (idempotent). */
  acquire(client: string, kind: StreamKind, close: () => void): () => void {
    if (kind === 'tail' && this.tails >= this.s.tailMaxConcurrent) {
      throw new GatewayError('TOO_MANY_TAILS', undefined, { info: { limit: this.s.tailMaxConcurrent } });
    }
    const myTails = this.tailsPerClient.get(client) ?? 0;
    if (kind === 'tail' && this.s.tailMaxPerClient !== undefined && myTails >= this.s.tailMaxPerClient) {
      throw new GatewayError('TOO_MANY_CLIENT_TAILS', undefined, { info: { limit: this.s.tailMaxPerClient } });
    }
    if (this.open >= this.s.maxOpen) throw new GatewayError('TOO_MANY_STREAMS', undefined, { info: { limit: this.s.maxOpen } });
    const mine = this.perClient.get(client) ?? 0;
    if (mine >= this.s.maxPerClient) throw new GatewayError('TOO_MANY_CLIENT_STREAMS', undefined, { info: { limit: this.s.maxPerClient } });
    this.open++;
    if (kind === 'tail') {
      this.tails++;
      this.tailsPerClient.set(client, myTails + 1);
    }
    this.perClient.set(client, mine + 1);
    this.closers.add(close);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.open--;
      if (kind === 'tail') {
        this.tails--;
        const tailsLeft = (this.tailsPerClient.get(client) ?? 1) - 1;
        if (tailsLeft > 0) this.tailsPerClient.set(client, tailsLeft);
        else this.tailsPerClient.delete(client);
      }
      const left = (this.perClient.get(client) ?? 1) - 1;
      if (left > 0) this.perClient.set(client, left);
      else this.perClient.delete(client);
      this.closers.delete(close);
    };
  }

  /** Ends every open stream (shutdown). */
  closeAll(): void {
    for (const close of [...this.closers]) {
      try {
        close();
      } catch {
        // a stream that fails to close is gone anyway
      }
    }
  }
}
