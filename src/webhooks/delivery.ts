import type { WebhookSettings } from '../config/config.js';
import { backoffDelayMs } from './backoff.js';
import type { WebhookPayload } from './payload.js';
import { SIGNATURE_HEADER, WEBHOOK_ID_HEADER, signWebhook } from './signature.js';

/** delivered: a 2xx; failed: one attempt that will be retried; given_up: no more attempts; dropped: queue full. */
export type WebhookOutcome = 'delivered' | 'failed' | 'given_up' | 'dropped';

export type DeliverySettings = Pick<
  WebhookSettings,
  'url' | 'secret' | 'maxAttempts' | 'timeoutMs' | 'backoffBaseMs' | 'backoffMaxMs' | 'queueMax' | 'concurrency'
>;

/** The few log calls this room makes; winston's Logger fits, and so does a test's stub. */
export interface WebhookLog {
  info(message: string, meta?: object): unknown;
  warn(message: string, meta?: object): unknown;
  debug(message: string, meta?: object): unknown;
}

export interface DeliveryDeps {
  log: WebhookLog;
  count?: (outcome: WebhookOutcome) => void;
  /** Injectable for tests: the clock (ms), the jitter source and the wait between attempts. */
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  userAgent?: string;
}

type Attempt = { retry: false; outcome: 'delivered' | 'given_up'; reason: string } | { retry: true; reason: string; retryAfterMs?: number };

const USER_AGENT = 'kgate-webhooks';

/**
 * Statuses worth another attempt: the receiver is overloaded or down (5xx), asked us to slow down
 * (429) or timed out reading (408). Any other 4xx means "this request is wrong" (bad signature,
 * unknown route, payload refused): sending it again cannot help, so it is given up at once.
 * 3xx is not followed (a signed body must not be replayed to wherever a redirect points) and given up.
 */
export function isRetriableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/**
 * A bounded queue of webhooks and a few senders draining it. Each webhook is POSTed until a 2xx
 * (then never again), a non-retriable answer, or maxAttempts; between attempts an exponential
 * backoff with full jitter. State is in memory only: what is queued when the process dies is lost
 * (docs/webhooks.md: at most once).
 */
export class WebhookDelivery {
  private readonly queue: WebhookPayload[] = [];
  private active = 0;
  private closing = false;
  private readonly abort = new AbortController();
  private idle: (() => void) | undefined;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(
    private readonly settings: DeliverySettings,
    private readonly deps: DeliveryDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
    this.sleep = deps.sleep ?? abortableSleep;
  }

  /** Webhooks waiting or being sent. */
  get pending(): number {
    return this.queue.length + this.active;
  }

  /** false when the queue is full (the webhook is dropped, counted and logged) or closing. */
  enqueue(payload: WebhookPayload): boolean {
    if (this.closing || this.pending >= this.settings.queueMax) {
      this.deps.count?.('dropped');
      const reason = this.closing ? 'shutting down' : 'queue full';
      this.deps.log.warn(`webhook dropped: ${reason}`, { event_id: payload.event_id, request_id: payload.request_id, queue_max: this.settings.queueMax });
      return false;
    }
    this.queue.push(payload);
    if (this.active < this.settings.concurrency) void this.run();
    return true;
  }

  /** Stops taking webhooks; waits up to budgetMs for those in flight, then aborts them. */
  async close(budgetMs: number): Promise<void> {
    this.closing = true;
    const lost = this.queue.splice(0).length;
    for (let i = 0; i < lost; i++) this.deps.count?.('dropped');
    if (lost > 0) this.deps.log.warn('webhooks not sent: shutting down', { count: lost });
    if (this.active > 0) {
      const done = new Promise<void>((resolve) => (this.idle = resolve));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([done, new Promise<void>((resolve) => (timer = setTimeout(resolve, budgetMs)))]);
      clearTimeout(timer);
    }
    this.abort.abort();
  }

  private async run(): Promise<void> {
    this.active++;
    try {
      for (let next = this.queue.shift(); next; next = this.closing ? undefined : this.queue.shift()) {
        await this.deliver(next);
      }
    } finally {
      this.active--;
      if (this.active === 0) this.idle?.();
    }
  }

  private async deliver(payload: WebhookPayload): Promise<void> {
    const body = JSON.stringify(payload);
    const meta = { event_id: payload.event_id, request_id: payload.request_id, status: payload.status };
    for (let attempt = 1; ; attempt++) {
      const result = await this.attempt(payload.event_id, body, attempt);
      if (!result.retry) {
        this.deps.count?.(result.outcome);
        if (result.outcome === 'delivered') this.deps.log.debug('webhook delivered', { ...meta, attempt });
        else this.deps.log.warn('webhook given up', { ...meta, attempt, reason: result.reason });
        return;
      }
      if (attempt >= this.settings.maxAttempts || this.abort.signal.aborted) {
        this.deps.count?.('given_up');
        this.deps.log.warn('webhook given up', { ...meta, attempt, reason: `${result.reason}; no attempts left` });
        return;
      }
      this.deps.count?.('failed');
      const delay = Math.max(backoffDelayMs(attempt, this.settings, this.random), Math.min(result.retryAfterMs ?? 0, this.settings.backoffMaxMs));
      this.deps.log.info('webhook attempt failed; retrying', { ...meta, attempt, reason: result.reason, retry_in_ms: delay });
      try {
        await this.sleep(delay, this.abort.signal);
      } catch {
        // Aborted by close(): the loop's next turn gives up.
      }
    }
  }

  private async attempt(eventId: string, body: string, attempt: number): Promise<Attempt> {
    // Signed afresh per attempt: the timestamp says when this request was sent, which is what a
    // receiver's replay window checks.
    const signature = signWebhook(this.settings.secret, body, Math.floor(this.now() / 1000));
    const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.settings.timeoutMs)]);
    let res: Response;
    try {
      res = await fetch(this.settings.url, {
        method: 'POST',
        redirect: 'manual',
        signal,
        headers: {
          'content-type': 'application/json',
          'user-agent': this.deps.userAgent ?? USER_AGENT,
          [SIGNATURE_HEADER]: signature,
          [WEBHOOK_ID_HEADER]: eventId,
          'X-Webhook-Attempt': String(attempt),
        },
        body,
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const reason = e.name === 'TimeoutError' ? `timeout after ${this.settings.timeoutMs} ms` : `network error: ${e.cause?.code ?? e.message}`;
      return { retry: true, reason };
    }
    // Only the status matters; release the connection without reading an unbounded body.
    await res.body?.cancel().catch(() => {});
    if (res.status >= 200 && res.status < 300) return { retry: false, outcome: 'delivered', reason: `HTTP ${res.status}` };
    if (!isRetriableStatus(res.status)) return { retry: false, outcome: 'given_up', reason: `HTTP ${res.status} (not retriable)` };
    const retryAfterMs = retryAfter(res.headers.get('retry-after'));
    return { retry: true, reason: `HTTP ${res.status}`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
}

function retryAfter(value: string | null): number | undefined {
  if (value === null || !/^\d{1,6}$/.test(value.trim())) return undefined;
  return Number(value) * 1000;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
