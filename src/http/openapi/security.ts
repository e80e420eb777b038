import type { OperationObject, PathItemObject, PathsObject, ResponseObject, SecurityRequirementObject } from 'openapi3-ts/oas31';
import type { ErrorCode } from '../../errors/codes.js';
import type { DocumentContext } from './context.js';
import { errorResponse } from './responses.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Any one of these is enough (src/access/authenticate.ts): either key header, or the signed-request pair together. */
export const SECURITY_REQUIREMENTS: SecurityRequirementObject[] = [{ bearerApiKey: [] }, { apiKeyHeader: [] }, { hmacClient: [], hmacSignature: [] }];
/** With AUTH_JWT_*: a token, beside the keys when AUTH_KEYS_FILE is set too. */
const JWT_REQUIREMENT: SecurityRequirementObject = { bearerJwt: [] };

function requirements(access: NonNullable<DocumentContext['access']>): SecurityRequirementObject[] {
  const keys = access.keys ?? !access.jwt;
  return [...(keys ? SECURITY_REQUIREMENTS : []), ...(access.jwt ? [JWT_REQUIREMENT] : [])];
}

const rateLimitHeaders = {
  'Retry-After': { $ref: '#/components/headers/RetryAfter' },
  'RateLimit-Limit': { $ref: '#/components/headers/RateLimitLimit' },
  'RateLimit-Remaining': { $ref: '#/components/headers/RateLimitRemaining' },
  'RateLimit-Reset': { $ref: '#/components/headers/RateLimitReset' },
  'RateLimit-Policy': { $ref: '#/components/headers/RateLimitPolicy' },
};

function withHeaders(response: ResponseObject, headers: ResponseObject['headers']): ResponseObject {
  return { ...response, headers: { ...response.headers, ...headers } };
}

/**
 * What the access room (src/access/access.ts) does in front of the routes, as this gateway is set up:
 * with AUTH_KEYS_FILE, every path but the open ones (/, /health, /ready, /docs, /openapi.json, and
 * /metrics unless METRICS_REQUIRE_AUTH) requires one of the schemes and may answer 401 with
 * WWW-Authenticate; with the rate limiter on, 429 with Retry-After and RateLimit-*. Both read a JSON
 * body early (a signature covers the raw bytes, a batch costs its items), so a protected operation
 * may also answer that body's 400/413, and a signed request with another Content-Type 415.
 * Open operations get `security: []` when authentication is on, so the document says they are open.
 */
export function applyAccess(paths: PathsObject, ctx: DocumentContext): PathsObject {
  const access = ctx.access;
  if (!access || (!access.auth && !access.rateLimits)) return paths;
  const out: PathsObject = {};
  for (const [path, item] of Object.entries(paths) as Array<[string, PathItemObject]>) {
    const open = access.isOpen(path);
    const next: PathItemObject = { ...item };
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      next[method] = open ? (access.auth ? { ...op, security: [] } : op) : guarded(op, access.auth, access.rateLimits, requirements(access), access.jwt === true);
    }
    out[path] = next;
  }
  return out;
}

function guarded(op: OperationObject, auth: boolean, rateLimits: boolean, security: SecurityRequirementObject[], jwt: boolean): OperationObject {
  const added: Record<string, ResponseObject> = {};
  for (const status of [400, 413, ...(auth ? [415] : [])]) added[String(status)] = errorResponse(status);
  if (auth) added['401'] = withHeaders(errorResponse(401), { 'WWW-Authenticate': { $ref: '#/components/headers/WWWAuthenticate' } });
  if (rateLimits) added['429'] = withHeaders(errorResponse(429), rateLimitHeaders);
  const responses: Record<string, ResponseObject> = { ...added, ...(op.responses as Record<string, ResponseObject>) };
  // With tokens, a refused topic also says insufficient_scope (RFC 6750); 503 AUTH_UNAVAILABLE is among every route's 503s.
  if (jwt && responses['403']) {
    responses['403'] = withHeaders(responses['403'], {
      'WWW-Authenticate': { description: 'Sent to a token client: `Bearer realm="kgate", error="insufficient_scope", ...`.', schema: { type: 'string' } },
    });
  }
  const own429 = (op.responses as Record<string, ResponseObject>)['429'];
  if (rateLimits && own429) {
    // The route's own 429 (a stream cap) and the limiter's: either code; Retry-After comes with RATE_LIMITED only.
    const ownCodes = (own429.content?.['application/json']?.schema as { properties: { code: { enum: ErrorCode[] } } }).properties.code.enum;
    responses['429'] = withHeaders(errorResponse(429, [...new Set<ErrorCode>(['RATE_LIMITED', ...ownCodes])]), {
      ...rateLimitHeaders,
      'Retry-After': { description: 'Sent with RATE_LIMITED.', schema: { type: 'string', pattern: '^[0-9]+$' } },
    });
  }
  const sorted = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));
  return { ...op, ...(auth ? { security } : {}), responses: sorted };
}

/** A paragraph of the document's description: how this gateway's access control is set up. */
export function accessDescription(ctx: DocumentContext): string {
  const access = ctx.access;
  const lines = [
    access?.auth && access.keys === false
      ? 'Authentication is on (JWT bearer tokens only): operations with a `security` requirement need `Authorization: Bearer <token>`; without one they answer 401 with `WWW-Authenticate`. Operations with `security: []` are open.'
      : access?.auth
      ? 'Authentication is on (AUTH_KEYS_FILE): operations with a `security` requirement need `Authorization: Bearer <key>`, `X-API-Key: <key>`, or a signed request (`X-Kgate-Client` + `X-Kgate-Signature`); without one they answer 401 with `WWW-Authenticate`. Operations with `security: []` are open.'
      : 'Authentication is off (AUTH_KEYS_FILE unset): no operation needs a key. Reserved topics and TOPIC_ALLOW still answer 403 TOPIC_FORBIDDEN.',
  ];
  if (access?.jwt) {
    lines.push(
      'JWT bearer tokens are accepted (AUTH_JWT_ISSUER or AUTH_JWT_JWKS_URL; scheme `bearerJwt`): a bearer value in JWS compact form is a token (401 `INVALID_TOKEN`/`TOKEN_EXPIRED` with `WWW-Authenticate: Bearer error="invalid_token"`, 403 with `error="insufficient_scope"`, 503 `AUTH_UNAVAILABLE` when the identity provider\'s keys cannot be fetched); on the SSE and WebSocket routes only it may also come as `?access_token=`, anywhere else that is 400 `QUERY_TOKEN_REFUSED`.',
    );
  }
  if (access?.rateLimits) lines.push('Rate limits are on: a protected operation may answer 429 RATE_LIMITED with `Retry-After`; its answers carry the `RateLimit-*` headers while a limit applies to the caller (a batch costs its items).');
  if (access && access.corsOrigins.length > 0) {
    lines.push(`CORS is on for ${access.corsOrigins.map((o) => `\`${o}\``).join(', ')}: a preflight (\`OPTIONS\` with \`Access-Control-Request-Method\`) is answered 204 on every path, without a key; it is the browser's protocol, not an operation, so it is not listed.`);
  }
  return lines.join('\n');
}
