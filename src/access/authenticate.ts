import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ErrorCode } from '../errors/codes.js';
import { GatewayError, isGatewayError } from '../errors/gateway-error.js';
import { hasBody, JSON_TYPES } from '../shared/http-body.js';
import type { ClientIdentity } from '../shared/request-context.js';
import { authenticateToken, presentedToken } from './bearer-token.js';
import type { JwtVerifier } from './jwt-verifier.js';
import type { KeyStore } from './key-store.js';
import { parseSignatureHeader, signatureMatches, type SignatureHeader } from './signature.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by authentication (src/access/); absent when authentication is off. Never the key.
     * Not `req.client`: Node's IncomingMessage already has a `client` (its socket). */
    identity?: ClientIdentity;
  }
}

/** A JSON body parser whose verify hook sees the raw bytes (src/http/middleware/json-body.ts). */
export type JsonParserFactory = (verify?: (req: Request, raw: Buffer) => void) => RequestHandler;

export interface AuthenticateDeps {
  /** undefined when only JWTs are accepted (AUTH_KEYS_FILE unset). */
  keys: Pick<KeyStore, 'byKey' | 'client'> | undefined;
  /** AUTH_JWT_*: `Authorization: Bearer <x>` is a JWT when x has the JWS compact shape, else an API key. */
  jwt?: JwtVerifier | undefined;
  hmacToleranceS: number;
  jsonParser: JsonParserFactory;
  nowS?: () => number;
}

export const WWW_AUTHENTICATE = 'Bearer realm="kgate", KgateSignature realm="kgate"';

interface PendingSignature {
  secret: Buffer;
  header: SignatureHeader;
  verified: boolean;
}

/**
 * Establishes req.identity from an API key (Authorization: Bearer or X-API-Key) or from an HMAC
 * signature over the exact body bytes, or refuses with 401. A signed body is read here, so it is
 * checked before any route sees it, and the route's own parser then finds it already parsed.
 */
export function authenticate(deps: AuthenticateDeps): RequestHandler {
  const nowS = deps.nowS ?? (() => Math.floor(Date.now() / 1000));
  const pending = new WeakMap<Request, PendingSignature>();
  const parseSigned = deps.jsonParser((req, raw) => {
    const p = pending.get(req);
    if (!p) return;
    if (!signatureMatches(p.secret, p.header, raw)) throw new GatewayError('SIGNATURE_INVALID');
    p.verified = true;
  });

  return (req: Request, res: Response, next: NextFunction): void => {
    if (deps.jwt) {
      const token = presentedToken(req);
      if (token !== undefined) return authenticateToken(deps.jwt, token, req, res, next);
    }
    const key = presentedKey(req);
    if (key !== undefined) {
      if (!deps.keys) return authenticateToken(deps.jwt!, key, req, res, next);
      const entry = deps.keys.byKey(key);
      if (!entry) return refuse(res, next, 'INVALID_API_KEY');
      req.identity = { name: entry.name };
      return next();
    }
    if (!isSigned(req)) return refuse(res, next, 'AUTH_REQUIRED');
    let signed: SignedHeaders;
    try {
      signed = signedHeaders(deps.keys, req, deps.hmacToleranceS, nowS());
    } catch (err) {
      return refuse(res, next, err as GatewayError);
    }
    const { entry, header } = signed;
    const identity = { name: entry.name };
    if (!hasBody(req)) {
      if (!signatureMatches(entry.hmacSecret, header, Buffer.alloc(0))) return refuse(res, next, 'SIGNATURE_INVALID');
      req.identity = identity;
      return next();
    }
    // Only a JSON body can be read (and so verified) here; anything else would reach a route unchecked.
    if (!req.is(JSON_TYPES)) {
      return next(new GatewayError('UNSUPPORTED_MEDIA_TYPE', `a signed request's body must be application/json, got "${req.get('content-type') ?? 'none'}"`));
    }
    const p: PendingSignature = { secret: entry.hmacSecret, header, verified: false };
    pending.set(req, p);
    parseSigned(req, res, (err?: unknown) => {
      pending.delete(req);
      if (isGatewayError(err) && err.status === 401) return refuse(res, next, err.code);
      if (err) return next(err);
      if (!p.verified) return refuse(res, next, 'SIGNATURE_INVALID');
      req.identity = identity;
      next();
    });
  };
}

function presentedKey(req: Pick<IncomingMessage, 'headers'>): string | undefined {
  const authorization = req.headers.authorization;
  if (authorization !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (m) return m[1];
  }
  const apiKey = req.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey : undefined;
}

function isSigned(req: Pick<IncomingMessage, 'headers'>): boolean {
  return req.headers['x-kgate-client'] !== undefined || req.headers['x-kgate-signature'] !== undefined;
}

interface SignedHeaders {
  entry: { name: string; hmacSecret: Buffer };
  header: SignatureHeader;
}

/** The signing client and its parsed signature, checked for shape, client and clock; a 401 GatewayError otherwise. */
function signedHeaders(keys: Pick<KeyStore, 'client'> | undefined, req: Pick<IncomingMessage, 'headers'>, toleranceS: number, nowS: number): SignedHeaders {
  const claimed = req.headers['x-kgate-client'];
  const signature = req.headers['x-kgate-signature'];
  const header = typeof signature === 'string' ? parseSignatureHeader(signature) : undefined;
  if (typeof claimed !== 'string' || header === undefined) throw new GatewayError('SIGNATURE_MALFORMED');
  const entry = keys?.client(claimed);
  if (!entry?.hmacSecret) throw new GatewayError('UNKNOWN_CLIENT');
  if (Math.abs(nowS - header.timestamp) > toleranceS) {
    throw new GatewayError('SIGNATURE_EXPIRED', `the signature timestamp must be within ${toleranceS} s of the gateway's clock`);
  }
  return { entry: { name: entry.name, hmacSecret: entry.hmacSecret }, header };
}

/**
 * For requests that never reach Express (the WebSocket upgrade): the client of the API key the
 * request carries, or of its signature (a handshake has no body: the signature is over the empty
 * body, as for any body-less signed request), or a 401 GatewayError.
 */
export function identifyUpgrade(keys: Pick<KeyStore, 'byKey' | 'client'>, req: Pick<IncomingMessage, 'headers'>, toleranceS: number, nowS = Math.floor(Date.now() / 1000)): ClientIdentity {
  const key = presentedKey(req);
  if (key === undefined) {
    if (!isSigned(req)) {
      throw new GatewayError('AUTH_REQUIRED', 'a WebSocket connection authenticates with Authorization: Bearer <key>, X-API-Key, or a signed handshake (X-Kgate-Client, X-Kgate-Signature over the empty body)');
    }
    const { entry, header } = signedHeaders(keys, req, toleranceS, nowS);
    if (!signatureMatches(entry.hmacSecret, header, Buffer.alloc(0))) throw new GatewayError('SIGNATURE_INVALID');
    return { name: entry.name };
  }
  const entry = keys.byKey(key);
  if (!entry) throw new GatewayError('INVALID_API_KEY');
  return { name: entry.name };
}

function refuse(res: Response, next: NextFunction, refusal: ErrorCode | GatewayError): void {
  res.setHeader('WWW-Authenticate', WWW_AUTHENTICATE);
  next(typeof refusal === 'string' ? new GatewayError(refusal) : refusal);
}
