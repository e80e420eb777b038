import cors from 'cors';
import type { RequestHandler } from 'express';

/** What a browser client may send: the auth headers, idempotency and tracing, the signed-request pair. */
const ALLOWED_HEADERS = ['Content-Type', 'Authorization', 'X-API-Key', 'Idempotency-Key', 'Prefer', 'X-Request-Id', 'X-Kgate-Client', 'X-Kgate-Signature'];
/** What its script may read back. */
const EXPOSED_HEADERS = ['X-Request-Id', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'RateLimit-Policy', 'WWW-Authenticate'];

/**
 * CORS_ORIGINS with the `cors` package: a listed origin gets its headers and a 204 preflight;
 * any other origin gets no CORS header at all (the browser then blocks it).
 */
export function corsFor(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  const handler = cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods: ['GET', 'POST'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
    optionsSuccessStatus: 204,
  });
  return (req, res, next) => {
    // The answer depends on Origin for every request, allowed or not: caches must know.
    res.vary('Origin');
    handler(req, res, next);
  };
}
