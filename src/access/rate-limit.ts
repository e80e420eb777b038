import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { GatewayError } from '../errors/gateway-error.js';
import type { ClientEntry } from './keys-file.js';

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
    deps.jsonParser(req, res, (parseError?: unknown) => {
      const cost = parseError === undefined && Array.isArray(req.body) ? Math.max(1, req.body.length) : 1;
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

function secondsUntil(r: RateLimiterRes): number {
  return Math.max(1, Math.ceil(r.msBeforeNext / 1000));
}

function setHeaders(res: Response, limiter: RateLimiterMemory, r: RateLimiterRes, remaining = r.remainingPoints): void {
  res.setHeader('RateLimit-Policy', `${limiter.points};w=${Math.max(1, Math.ceil(limiter.duration))}`);
  res.setHeader('RateLimit-Limit', String(limiter.points));
  res.setHeader('RateLimit-Remaining', String(remaining));
  res.setHeader('RateLimit-Reset', String(Math.max(0, Math.ceil(r.msBeforeNext / 1000))));
}
