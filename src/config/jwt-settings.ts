import type { Env } from './schema.js';

/** JWT bearer tokens from an identity provider (src/access/jwt-verifier.ts, docs/security.md). */
export interface JwtSettings {
  /** The `iss` to require; with no JWKS URL, the JWKS is found through `<issuer>/.well-known/openid-configuration`. */
  issuer: string | undefined;
  jwksUrl: string | undefined;
  /** Any one of these as `aud`. */
  audience: string[];
  algorithms: string[];
  clockSkewS: number;
  nameClaim: string;
  topicsClaim: string;
  readTopicsClaim: string;
  /** `scope` entries with this prefix grant write on the glob that follows it; undefined = scopes ignored. */
  scopePrefix: string | undefined;
  readScopePrefix: string | undefined;
  rateLimit: { perSecond: number; burst: number } | undefined;
}

// Public-key algorithms only: the keys come from a JWKS of public keys, and an HMAC algorithm would
// let a token "signed" with a public key as its secret through (the classic key-confusion attack).
const ALLOWED = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519']);

/** undefined when neither AUTH_JWT_ISSUER nor AUTH_JWT_JWKS_URL is set (JWT off); problems name the variable. */
export function readJwtSettings(e: Env, problems: string[]): JwtSettings | undefined {
  const given = (Object.keys(e) as Array<keyof Env>).filter(
    (k) => k.startsWith('AUTH_JWT_') && !['AUTH_JWT_ALGORITHMS', 'AUTH_JWT_CLOCK_SKEW_S', 'AUTH_JWT_NAME_CLAIM', 'AUTH_JWT_TOPICS_CLAIM', 'AUTH_JWT_READ_TOPICS_CLAIM'].includes(k) && e[k] !== undefined,
  );
  if (e.AUTH_JWT_ISSUER === undefined && e.AUTH_JWT_JWKS_URL === undefined) {
    if (given.length > 0) problems.push(`${given.join(', ')}: set, but JWT authentication is off (set AUTH_JWT_ISSUER or AUTH_JWT_JWKS_URL)`);
    return undefined;
  }
  const audience = (e.AUTH_JWT_AUDIENCE ?? '').split(',').map((a) => a.trim()).filter((a) => a !== '');
  // A token minted for another service of the same issuer must not open this one.
  if (audience.length === 0) problems.push('AUTH_JWT_AUDIENCE: required with AUTH_JWT_ISSUER or AUTH_JWT_JWKS_URL (the aud this gateway accepts)');
  const algorithms = e.AUTH_JWT_ALGORITHMS.split(',').map((a) => a.trim()).filter((a) => a !== '');
  const bad = algorithms.filter((a) => !ALLOWED.has(a));
  if (bad.length > 0 || algorithms.length === 0) {
    problems.push(`AUTH_JWT_ALGORITHMS: ${bad.length > 0 ? `${bad.join(', ')} not allowed` : 'empty'}; public-key algorithms only (${[...ALLOWED].join(', ')})`);
  }
  let rateLimit: JwtSettings['rateLimit'];
  if (e.AUTH_JWT_RATE_LIMIT !== undefined) {
    const [perSecond, burst] = e.AUTH_JWT_RATE_LIMIT.split('/').map(Number) as [number, number | undefined];
    if (!(perSecond > 0) || (burst !== undefined && burst < 1)) problems.push('AUTH_JWT_RATE_LIMIT: per_second must be > 0 and burst >= 1');
    else rateLimit = { perSecond, burst: burst ?? Math.max(1, Math.ceil(perSecond)) };
  }
  return {
    issuer: e.AUTH_JWT_ISSUER,
    jwksUrl: e.AUTH_JWT_JWKS_URL,
    audience,
    algorithms,
    clockSkewS: e.AUTH_JWT_CLOCK_SKEW_S,
    nameClaim: e.AUTH_JWT_NAME_CLAIM,
    topicsClaim: e.AUTH_JWT_TOPICS_CLAIM,
    readTopicsClaim: e.AUTH_JWT_READ_TOPICS_CLAIM,
    scopePrefix: e.AUTH_JWT_SCOPE_PREFIX,
    readScopePrefix: e.AUTH_JWT_READ_SCOPE_PREFIX,
    rateLimit,
  };
}
