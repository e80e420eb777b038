import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { Logger } from '../logging/logger.js';

/** At most one fetch of the identity provider per this interval, whatever the traffic. */
export const JWKS_MIN_INTERVAL_MS = 10_000;
/** A loaded JWKS is refreshed in the background after this long; a failed refresh keeps it. */
const JWKS_MAX_AGE_MS = 600_000;
const FETCH_TIMEOUT_MS = 5_000;
const MAX_DOCUMENT_BYTES = 1024 * 1024;

/** The keys cannot be had now and the token's key is not cached: its validity is unknown (503, not 401). */
export class JwksUnavailable extends Error {
  constructor(readonly retryAfterS: number, message: string) {
    super(message);
    this.name = 'JwksUnavailable';
  }
}

export interface JwksCacheDeps {
  /** AUTH_JWT_JWKS_URL, or undefined to find it through the issuer's discovery document. */
  jwksUrl: string | undefined;
  issuer: string | undefined;
  log: Pick<Logger, 'info' | 'warn'>;
  now?: () => number;
}

export interface JwksCache {
  /** jose's key lookup for jwtVerify, over the cached set. */
  getKey: JWTVerifyGetKey;
  readonly loaded: boolean;
  /** Starts a fetch in the background if none is cached and the interval allows (start-up, /ready). */
  warm(): void;
}

/**
 * The identity provider's public keys, fetched lazily and cached. Not jose's createRemoteJWKSet, because
 * (measured against its source, 6.2): with no set loaded yet, or one older than its max age, it fetches on
 * every request, so an identity provider that is down is called once per request and a stale set is dropped
 * instead of kept; here every fetch (first load, refresh on an unknown kid, background refresh) shares one
 * gate of one fetch per 10 s. Key selection and import stay jose's (createLocalJWKSet).
 */
export function createJwksCache(deps: JwksCacheDeps): JwksCache {
  const now = deps.now ?? Date.now;
  let local: ReturnType<typeof createLocalJWKSet> | undefined;
  let loadedAt = 0;
  let lastAttempt = Number.NEGATIVE_INFINITY;
  let lastFailed = false;
  let pending: Promise<void> | undefined;
  let jwksUrl = deps.jwksUrl;

  const mayFetch = () => now() - lastAttempt >= JWKS_MIN_INTERVAL_MS;
  const retryAfterS = () => Math.max(1, Math.ceil((lastAttempt + JWKS_MIN_INTERVAL_MS - now()) / 1000));

  function refresh(): Promise<void> {
    if (pending) return pending;
    lastAttempt = now();
    pending = (async () => {
      try {
        jwksUrl ??= await discover(deps.issuer!);
        const jwks = (await getJson(jwksUrl)) as JSONWebKeySet;
        local = createLocalJWKSet(jwks);
        loadedAt = now();
        lastFailed = false;
        deps.log.info('JWKS loaded', { jwks_url: jwksUrl, keys: jwks.keys.length });
      } catch (err) {
        lastFailed = true;
        deps.log.warn('JWKS not loaded: keeping the cached keys, if any', { jwks_url: jwksUrl ?? deps.issuer, problem: (err as Error).message, next_attempt_s: 10 });
        throw new JwksUnavailable(retryAfterS(), 'the identity provider cannot be reached');
      } finally {
        pending = undefined;
      }
    })();
    return pending;
  }

  const unavailable = () => new JwksUnavailable(retryAfterS(), 'the identity provider was not reachable at the last attempt');

  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (!local) {
      if (pending) await pending;
      else if (mayFetch()) await refresh();
      else throw unavailable();
    } else if (now() - loadedAt > JWKS_MAX_AGE_MS && !pending && mayFetch()) {
      refresh().catch(() => {});
    }
    try {
      return await local!(header, token);
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey)) throw err;
      // A kid not in the set: maybe a key rotated in since the last fetch. One fetch, gated.
      if (pending) await pending.catch(() => {});
      else if (mayFetch()) await refresh();
      else if (lastFailed) throw unavailable();
      return local!(header, token);
    }
  };

  return {
    getKey,
    get loaded() {
      return local !== undefined;
    },
    warm() {
      if (!local && !pending && mayFetch()) refresh().catch(() => {});
    },
  };
}

/** OpenID Connect discovery: the issuer's document names its jwks_uri and must name the issuer itself. */
async function discover(issuer: string): Promise<string> {
  const doc = (await getJson(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`)) as { issuer?: unknown; jwks_uri?: unknown };
  if (doc.issuer !== issuer) throw new Error(`discovery document names issuer ${JSON.stringify(doc.issuer)}, not ${JSON.stringify(issuer)}`);
  if (typeof doc.jwks_uri !== 'string') throw new Error('discovery document has no jwks_uri');
  return doc.jwks_uri;
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  const text = await res.text();
  if (text.length > MAX_DOCUMENT_BYTES) throw new Error(`${url}: document larger than ${MAX_DOCUMENT_BYTES} bytes`);
  return JSON.parse(text);
}
