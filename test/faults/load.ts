import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** How a request ended: an HTTP answer, or a transport failure the client saw instead. */
export type TransportError = 'reset' | 'refused' | 'timeout' | 'other';

export interface Attempt {
  id: string;
  replica: number;
  /** Milliseconds on the run's clock (performance.now()). */
  sentAt: number;
  doneAt?: number;
  status?: number;
  /** The gateway's error code for a non-2xx answer. */
  code?: string;
  offset?: unknown;
  error?: TransportError;
  errorDetail?: string;
  /** The request went out on a kept-alive socket: a reset there may hit a socket the server was closing while idle. */
  reusedSocket?: boolean;
}

export interface LoadOptions {
  urls: string[];
  topic: string;
  /** Requests per second over all replicas together. */
  rate: number;
  /** Prefix of every message id, so ids never repeat across faults and runs. */
  idPrefix: string;
  /** A client-side bound, well past any answer the gateway should give. */
  clientTimeoutMs: number;
}

const TICK_MS = 5;

function classify(err: NodeJS.ErrnoException): TransportError {
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || err.message === 'socket hang up') return 'reset';
  if (err.code === 'ECONNREFUSED') return 'refused';
  return 'other';
}

/**
 * Steady open-loop load: requests go out on schedule whatever the answers do (no client-side
 * queue: every replica has an agent without a socket limit), alternating over the replicas, each
 * with a unique id as key and in the body, so a read-back can account for every single message.
 */
export class SteadyLoad {
  readonly attempts: Attempt[] = [];
  private readonly agents: http.Agent[];
  private readonly pending = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private seq = 0;
  private active: number[];

  constructor(private readonly opts: LoadOptions) {
    // With a timeout set, Node's agent also honours the server's `Keep-Alive: timeout=N` hint and drops
    // an idle socket a second before the server would (without one it keeps it and races the close).
    this.agents = opts.urls.map(() => new http.Agent({ keepAlive: true, maxSockets: Infinity, timeout: opts.clientTimeoutMs }));
    this.active = opts.urls.map((_, i) => i);
  }

  /** Send nothing new to this replica (as a balancer does with an endpoint that is going away). */
  exclude(replica: number): void {
    this.active = this.active.filter((i) => i !== replica);
  }

  start(): void {
    this.startedAt = performance.now();
    this.timer = setInterval(() => {
      const due = Math.floor(((performance.now() - this.startedAt) / 1000) * this.opts.rate) - this.seq;
      for (let i = 0; i < due; i++) this.send();
    }, TICK_MS);
  }

  /** Stop sending, then wait for every request still open to end. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    for (const agent of this.agents) agent.destroy();
  }

  private send(): void {
    const seq = this.seq++;
    const replica = this.active[seq % this.active.length]!;
    const id = `${this.opts.idPrefix}-${seq}`;
    const attempt: Attempt = { id, replica, sentAt: performance.now() };
    this.attempts.push(attempt);
    const body = JSON.stringify({ topic: this.opts.topic, key: id, message: { id, seq, pad: 'x'.repeat(200) } });
    const done = this.request(this.opts.urls[replica]!, this.agents[replica]!, body, attempt);
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
  }

  private request(url: string, agent: http.Agent, body: string, attempt: Attempt): Promise<void> {
    return new Promise((resolve) => {
      const req = http.request(
        `${url}/produce`,
        { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            attempt.doneAt = performance.now();
            attempt.status = res.statusCode ?? 0;
            try {
              const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code?: string; offset?: unknown };
              if (parsed.code !== undefined) attempt.code = parsed.code;
              if (parsed.offset !== undefined) attempt.offset = parsed.offset;
            } catch {
              // a non-JSON answer keeps just its status
            }
            resolve();
          });
          res.on('error', (err) => fail(err));
        },
      );
      const fail = (err: NodeJS.ErrnoException) => {
        if (attempt.doneAt !== undefined) return;
        attempt.doneAt = performance.now();
        attempt.error = attempt.error ?? classify(err);
        attempt.errorDetail = err.code ?? err.message;
        attempt.reusedSocket = req.reusedSocket;
        resolve();
      };
      req.setTimeout(this.opts.clientTimeoutMs, () => {
        attempt.error = 'timeout';
        req.destroy(new Error('client timeout'));
      });
      req.on('error', fail);
      req.end(body);
    });
  }
}
