import type { RateBudget } from '../../access/rate-limit.js';
import { GatewayError } from '../../errors/gateway-error.js';
import type { ClientShare } from '../../pipeline/client-share.js';

export interface LineAdmissionDeps {
  /** The client's rate-limit budget (src/access/rate-limit.ts); absent: no limit applies. */
  budget?: RateBudget | undefined;
  /** NDJSON_RATE_LIMIT_WAIT_MS: the longest lines wait for points before they are refused. */
  rateLimitWaitMs: number;
  /** The client's share of MAX_IN_FLIGHT (src/pipeline/client-share.ts) and the client; absent: none. */
  share?: Pick<ClientShare, 'free' | 'waitForRoom'> | undefined;
  client?: string | undefined;
  isClosed(): boolean;
  /** Waits up to `ms` (less when the stream wakes it: an answer came, the client left). */
  pause(ms: number): Promise<void>;
  /** Hands lines over to the pipeline. */
  start(items: unknown[], lines: number[], bytes: number): void;
  fail(line: number, error: GatewayError): void;
}

/**
 * Between an NDJSON stream's parsed lines and the pipeline: what a line must have before it is
 * handed over. The stream awaits the returned function before reading on, so whatever it waits for
 * holds the body unread and TCP slows the client down (src/http/routes/produce-stream.ts).
 *
 * - Rate limit: every line costs a point, like a batch item. While the budget is spent the stream
 *   waits; lines whose points would come back only after rateLimitWaitMs are answered 429 RATE_LIMITED.
 * - The client's share of MAX_IN_FLIGHT, which its other streams and requests use too: lines are
 *   handed over only as far as it has room, so a full share slows the stream instead of failing
 *   lines with OVERLOADED.
 */
export function lineAdmission(d: LineAdmissionDeps): (items: unknown[], lines: number[], bytes: number) => Promise<void> {
  const pay = async (budget: RateBudget, wanted: number): Promise<{ paid: number; retryMs: number }> => {
    let paid = 0;
    const since = Date.now();
    while (paid < wanted && !d.isClosed()) {
      const { granted, waitMs } = await budget(wanted - paid);
      paid += granted;
      if (paid === wanted) break;
      if (Date.now() - since + waitMs > d.rateLimitWaitMs) return { paid, retryMs: waitMs };
      await d.pause(waitMs);
    }
    return { paid, retryMs: 0 };
  };

  const handOver = async (items: unknown[], lines: number[], bytes: number): Promise<void> => {
    const { share, client } = d;
    if (!share || client === undefined) return d.start(items, lines, bytes);
    for (let from = 0; from < items.length && !d.isClosed(); ) {
      const room = share.free(client);
      if (room <= 0) {
        await share.waitForRoom(client);
        continue;
      }
      const to = Math.min(items.length, from + room);
      d.start(items.slice(from, to), lines.slice(from, to), part(bytes, to - from, items.length));
      from = to;
    }
  };

  return async (items, lines, bytes) => {
    if (!d.budget) return handOver(items, lines, bytes);
    const { paid, retryMs } = await pay(d.budget, items.length);
    const retryAfterS = Math.max(1, Math.ceil(retryMs / 1000));
    for (const line of lines.slice(paid)) {
      d.fail(line, new GatewayError('RATE_LIMITED', `rate limit reached and not back within NDJSON_RATE_LIMIT_WAIT_MS (${d.rateLimitWaitMs} ms)`, {
        info: { retry_after_s: retryAfterS },
      }));
    }
    if (paid > 0) await handOver(items.slice(0, paid), lines.slice(0, paid), part(bytes, paid, items.length));
  };
}

/** The bytes of `n` of `of` lines, for the in-flight window (lines are not measured one by one). */
function part(bytes: number, n: number, of: number): number {
  return n === of ? bytes : Math.ceil((bytes * n) / of);
}
