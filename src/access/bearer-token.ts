import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ErrorCode } from '../errors/codes.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { ClientIdentity } from '../shared/request-context.js';
import { looksLikeJwt, type JwtVerifier } from './jwt-verifier.js';

/** RFC 6750 §2.3: browsers cannot set headers on EventSource or WebSocket, so these routes take the token in the URL. */
export const QUERY_TOKEN = 'access_token';
/** A WebSocket client offers this subprotocol and the token as a second entry: new WebSocket(url, ['access_token', token]). */
export const WS_TOKEN_PROTOCOL = 'access_token';
const STREAM_ROUTE = /^\/(?:submissions|topics)\/[^/]+\/events$|^\/ws$/;

export function isStreamRoute(path: string): boolean {
  return STREAM_ROUTE.test(path);
}

function queryToken(url: string | undefined): string | undefined {
  // Cheap test first: nearly every request has no such parameter.
  if (url === undefined || !url.includes(`${QUERY_TOKEN}=`)) return undefined;
  const q = url.indexOf('?');
  return q < 0 ? undefined : (new URLSearchParams(url.slice(q + 1)).get(QUERY_TOKEN) ?? undefined);
}

function headerToken(req: Pick<IncomingMessage, 'headers'>): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m && looksLikeJwt(m[1]!) ? m[1] : undefined;
}

/** The WWW-Authenticate challenge of RFC 6750 §3 (descriptions are ours, never the token's content). */
export function bearerChallenge(error: 'invalid_token' | 'invalid_request' | 'insufficient_scope' | undefined, description?: string): string {
  let value = 'Bearer realm="kgate"';
  if (error) value += `, error="${error}"`;
  if (description) value += `, error_description="${description.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, '?')}"`;
  return value;
}

const ERROR_OF: Partial<Record<ErrorCode, 'invalid_token' | 'invalid_request'>> = {
  INVALID_TOKEN: 'invalid_token',
  TOKEN_EXPIRED: 'invalid_token',
  QUERY_TOKEN_REFUSED: 'invalid_request',
};

/** A token refusal: the challenge header, and AUTH_UNAVAILABLE's Retry-After from the JWKS gate. */
export function tokenRefusalHeaders(err: GatewayError): Record<string, string> {
  const error = ERROR_OF[err.code];
  if (error) return { 'WWW-Authenticate': bearerChallenge(error, err.message) };
  const after = err.info?.['retry_after_s'];
  return typeof after === 'number' ? { 'Retry-After': String(after) } : {};
}

/** Before authentication, on every path: a token in the query of any other route is refused, never used. */
export function refuseQueryTokens(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (queryToken(req.url) === undefined || isStreamRoute(req.path)) return next();
    res.setHeader('WWW-Authenticate', bearerChallenge('invalid_request', 'access_token in the query is accepted only on the SSE and WebSocket routes'));
    next(new GatewayError('QUERY_TOKEN_REFUSED'));
  };
}

/** The JWT a request carries: `Authorization: Bearer <JWS>`, or on a stream route `?access_token=`. */
export function presentedToken(req: Request): string | undefined {
  return headerToken(req) ?? (isStreamRoute(req.path) ? queryToken(req.url) : undefined);
}

/** On an upgrade request: the header, the query, or the Sec-WebSocket-Protocol entry after `access_token`. */
export function upgradeToken(req: Pick<IncomingMessage, 'headers' | 'url'>): string | undefined {
  const fromHeader = headerToken(req) ?? queryToken(req.url);
  if (fromHeader !== undefined) return fromHeader;
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  if (!offered.includes(WS_TOKEN_PROTOCOL)) return undefined;
  return offered.find(looksLikeJwt);
}

/** Verifies and sets req.identity, or refuses with the RFC 6750 answer. */
export function authenticateToken(jwt: JwtVerifier, token: string, req: Request, res: Response, next: NextFunction): void {
  jwt.verify(token).then(
    (identity: ClientIdentity) => {
      req.identity = identity;
      challengeForbidden(res);
      next();
    },
    (err: unknown) => {
      if (err instanceof GatewayError) for (const [name, value] of Object.entries(tokenRefusalHeaders(err))) res.setHeader(name, value);
      next(err);
    },
  );
}

/**
 * A token client refused a topic gets `WWW-Authenticate: Bearer error="insufficient_scope"` (RFC 6750 §3.1).
 * TOPIC_FORBIDDEN is the only 403 and is answered by several routes (single produce, tail, topics), so the
 * header is added where every answer passes: the head of the response.
 */
function challengeForbidden(res: ServerResponse): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    if (status === 403 && !this.hasHeader('WWW-Authenticate')) this.setHeader('WWW-Authenticate', bearerChallenge('insufficient_scope', 'the token does not grant this topic'));
    return (writeHead as (...args: unknown[]) => ServerResponse).call(this, status, ...rest);
  } as typeof res.writeHead;
}
