import { errors, jwtVerify, type JWTPayload } from 'jose';
import type { JwtSettings } from '../config/jwt-settings.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { Logger } from '../logging/logger.js';
import type { ClientIdentity, TopicPatterns } from '../shared/request-context.js';
import { createJwksCache, JwksUnavailable } from './jwks-cache.js';
import { compileTopicPatterns } from '../shared/topic-glob.js';

/** A JWS in compact form: three base64url segments. Anything else after "Bearer" is an API key. */
const JWS_COMPACT = /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
/** Far beyond any real access token; refused before any parsing. */
const MAX_TOKEN_LENGTH = 16 * 1024;
const MAX_GRANTS = 1000;
const MAX_NAME_LENGTH = 255;

export function looksLikeJwt(credential: string): boolean {
  return credential.length <= MAX_TOKEN_LENGTH && JWS_COMPACT.test(credential);
}

export interface JwtVerifier {
  /** The token's client with its grants; a GatewayError (INVALID_TOKEN, TOKEN_EXPIRED, AUTH_UNAVAILABLE) otherwise. */
  verify(token: string): Promise<ClientIdentity>;
  /** Whether the identity provider's keys have been fetched (GET /ready). */
  readonly jwksLoaded: boolean;
  /** A background JWKS fetch if none is cached (start-up, /ready); never throws. */
  warm(): void;
}

/**
 * Verification with jose, never by hand: signature with a key of the JWKS chosen by `kid`, `iss`, `aud`,
 * `exp` and `nbf` (with AUTH_JWT_CLOCK_SKEW_S), and the algorithm from the allow-list (public-key
 * algorithms only, so `alg: none` and HS256 "signed" with the public key never verify). The client's
 * name and topics come from its claims.
 */
export function createJwtVerifier(settings: JwtSettings, log: Pick<Logger, 'info' | 'warn'>): JwtVerifier {
  const jwks = createJwksCache({ jwksUrl: settings.jwksUrl, issuer: settings.issuer, log });
  const options = {
    ...(settings.issuer === undefined ? {} : { issuer: settings.issuer }),
    audience: settings.audience,
    algorithms: settings.algorithms,
    clockTolerance: settings.clockSkewS,
    requiredClaims: ['exp'],
  };
  // Tokens of one client carry the same grants: compile each distinct list once (bounded).
  const compiled = new Map<string, TopicPatterns>();
  const patternsOf = (list: string[]): TopicPatterns => {
    const id = list.join('\n');
    let matcher = compiled.get(id);
    if (!matcher) {
      matcher = compileTopicPatterns(list);
      if (compiled.size >= 1000) compiled.clear();
      compiled.set(id, matcher);
    }
    return matcher;
  };

  return {
    async verify(token) {
      if (!looksLikeJwt(token)) throw invalid('the bearer token is not a JWS in compact form');
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, jwks.getKey, options));
      } catch (err) {
        throw translate(err);
      }
      const name = payload[settings.nameClaim];
      if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) {
        throw invalid(`the token has no ${settings.nameClaim} claim of 1-${MAX_NAME_LENGTH} characters (AUTH_JWT_NAME_CLAIM)`);
      }
      const write = grants(payload, settings.topicsClaim, settings.scopePrefix);
      const read = grants(payload, settings.readTopicsClaim, settings.readScopePrefix);
      let token_;
      try {
        token_ = { topics: patternsOf(write), readTopics: patternsOf(read), rateLimit: settings.rateLimit };
      } catch (err) {
        throw invalid(`a topic pattern in the token is not valid: ${(err as Error).message}`);
      }
      return { name, token: token_ };
    },
    get jwksLoaded() {
      return jwks.loaded;
    },
    warm: () => jwks.warm(),
  };
}

/** The topic globs a token grants: its claim array and its `scope` entries carrying the prefix. */
function grants(payload: JWTPayload, claim: string, scopePrefix: string | undefined): string[] {
  const out: string[] = [];
  const listed = payload[claim];
  if (listed !== undefined) {
    if (!Array.isArray(listed) || !listed.every((p) => typeof p === 'string')) throw invalid(`the ${claim} claim must be an array of topic patterns`);
    out.push(...(listed as string[]));
  }
  if (scopePrefix !== undefined && typeof payload['scope'] === 'string') {
    for (const scope of payload['scope'].split(' ')) if (scope.startsWith(scopePrefix) && scope.length > scopePrefix.length) out.push(scope.slice(scopePrefix.length));
  }
  if (out.length > MAX_GRANTS) throw invalid(`the token grants more than ${MAX_GRANTS} topic patterns`);
  return out;
}

function invalid(description: string): GatewayError {
  return new GatewayError('INVALID_TOKEN', description);
}

/** jose's errors say which check failed (claim names, never values): safe to pass on as the description. */
function translate(err: unknown): GatewayError {
  if (err instanceof JwksUnavailable) {
    return new GatewayError('AUTH_UNAVAILABLE', undefined, { info: { retry_after_s: err.retryAfterS }, cause: err });
  }
  if (err instanceof errors.JWTExpired) return new GatewayError('TOKEN_EXPIRED');
  if (err instanceof errors.JWKSNoMatchingKey) return invalid('the token is signed with a key (kid) the identity provider does not publish');
  if (err instanceof errors.JOSEAlgNotAllowed) return invalid('the token is signed with an algorithm outside AUTH_JWT_ALGORITHMS');
  if (err instanceof errors.JOSEError) return invalid(`the token failed verification: ${err.message.slice(0, 200)}`);
  throw err;
}
