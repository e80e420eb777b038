import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { GatewayError } from '../errors/gateway-error.js';
import type { ClientEntry } from './keys-file.js';

declare module 'express-serve-static-core' {
  interface Request {
    /**
     * Set by the rate limiter on a streamed request (NDJSON): the stream pays per line as it reads,
     * instead of one point for the request. Absent when no limit applies.
     */
    rateBudget?: RateBudget;
  }
}

/** Takes up to `wanted` points now: how many were granted, and how long until more return. */
export type RateBudget = (wanted: number) => Promise<{ granted: number; waitMs: number }>;

const NDJSON_TYPE = 'application/x-ndjson';

export interface RateLimitSpec {
  perSecond: number;
  burst: number;
}

/**
 * rate-limiter-flexible, because a batch must cost its item count (consume(key, points)), which
 * express-rate-limit cannot do. A limit of `per_second` with `burst` is a window of `burst`
 * points lasting burst / per_second seconds: at most `burst` at once, `per_second` on average.
 */
function limiterFor(spec: RateLimitSpec): RateLimiterMemory {
  return new RateLimiterMemory({ points: spec.burst, duration: spec.burst / spec.perSecond });
}

export interface RateLimitDeps {
  /** RATE_LIMIT_PER_S / RATE_LIMIT_BURST: per address without keys, and for keys that set none. */
  fallback?: RateLimitSpec | undefined;
  /** The client's own limit from its keys-file entry (looked up on every request, so a reload applies). */
  clientLimit: (name: string) => ClientEntry['rateLimit'];
  /** Parses a JSON body early, so a batch can be counted by its items. */
  jsonParser: RequestHandler;
}

/** What a JSON body costs: its items for a batch (an array, or the REST Proxy's `records` (v2) and `entries`
 * (v3 records:batch) lists), else one. */
function costOf(body: unknown): number {
  const list = Array.isArray(body) ? body : typeof body === 'object' && body !== null ? ((body as { records?: unknown }).records ?? (body as { entries?: unknown }).entries) : undefined;
  return Array.isArray(list) ? Math.max(1, list.length) : 1;
}

/** 429 RATE_LIMITED with Retry-After and the IETF draft RateLimit-* headers; RateLimit-* on every limited route. */
export function rateLimit(deps: RateLimitDeps): RequestHandler {
  const fallback = deps.fallback && limiterFor(deps.fallback);
  // One limiter per distinct limit, kept across reloads so a SIGHUP does not reset the counters.
  const limiters = new Map<string, RateLimiterMemory>();
  const limiterOf = (spec: RateLimitSpec): RateLimiterMemory => {
    const id = `${spec.perSecond}/${spec.burst}`;
    let limiter = limiters.get(id);
    if (!limiter) limiters.set(id, (limiter = limiterFor(spec)));
    return limiter;
  };

  return (req: Request, res: Response, next: NextFunction): void => {
    // A token client's limit comes with its identity (AUTH_JWT_RATE_LIMIT); a key client's from its entry.
    const own = req.identity && (req.identity.token ? req.identity.token.rateLimit : deps.clientLimit(req.identity.name));
    const limiter = own ? limiterOf(own) : fallback;
    if (!limiter) return next();
    // Clients by name (keys are per client, not per address); without keys, the socket's address.
    const subject = req.identity ? `client:${req.identity.name}` : `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;
    // A stream is charged line by line as it is read (src/http/routes/produce-stream.ts), like a batch's items.
    if (req.headers?.['content-type']?.toLowerCase().startsWith(NDJSON_TYPE)) {
      req.rateBudget = budgetOf(limiter, subject);
      return next();
    }
    deps.jsonParser(req, res, (parseError?: unknown) => {
      const cost = parseError === undefined ? costOf(req.body) : 1;
      if (cost > limiter.points) {
        return next(parseError ?? new GatewayError('BATCH_TOO_LARGE', `a batch of ${cost} items exceeds this client's burst of ${limiter.points}; split it`, {
          info: { limit: limiter.points },
        }));
      }
      limiter.consume(subject, cost).then(
        (r) => {
          setHeaders(res, limiter, r);
          next(parseError);
        },
        (r: unknown) => {
          if (!(r instanceof RateLimiterRes)) return next(r);
          // A refused request costs nothing: a batch too big for what is left must not use it up.
          void limiter.reward(subject, cost);
          const remaining = Math.max(0, limiter.points - (r.consumedPoints - cost));
          setHeaders(res, limiter, r, remaining);
          res.setHeader('Retry-After', String(secondsUntil(r)));
          next(new GatewayError('RATE_LIMITED', undefined, { info: { retry_after_s: secondsUntil(r) } }));
        },
      );
    });
  };
}

/**
 * What is left of the subject's points, taken as far as it goes: a stream takes what there is and
 * waits for the rest, rather than asking for its whole chunk and getting nothing.
 */
function budgetOf(limiter: RateLimiterMemory, subject: string): RateBudget {
  return async (wanted) => {
    const now = await limiter.get(subject);
    const left = now === null ? limiter.points : Math.max(0, limiter.points - now.consumedPoints);
    const take = Math.min(left, wanted);
    if (take === 0) return { granted: 0, waitMs: Math.max(1, now?.msBeforeNext ?? 1) };
    try {
      const r = await limiter.consume(subject, take);
      return { granted: take, waitMs: r.msBeforeNext };
    } catch (r) {
      if (!(r instanceof RateLimiterRes)) throw r;
      // Another request took the points first: a refused take costs nothing.
      await limiter.reward(subject, take);
      return { granted: 0, waitMs: Math.max(1, r.msBeforeNext) };
    }
  };
}

function secondsUntil(r: RateLimiterRes): number {
  return Math.max(1, Math.ceil(r.msBeforeNext / 1000));
}

function setHeaders(res: Response, limiter: RateLimiterMemory, r: RateLimiterRes, remaining = r.remainingPoints): void {
  res.setHeader('RateLimit-Policy', `${limiter.points};w=${Math.max(1, Math.ceil(limiter.duration))}`);
  res.setHeader('RateLimit-Limit', String(limiter.points));
  res.setHeader('RateLimit-Remaining', String(remaining));
  res.setHeader('RateLimit-Reset', String(Math.max(0, Math.ceil(r.msBeforeNext / 1000))));
}
