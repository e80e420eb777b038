import express, { type NextFunction, type Request, type Response, type RequestHandler } from 'express';
import { GatewayError } from '../../errors/gateway-error.js';
import { hasBody, JSON_TYPES } from '../../shared/http-body.js';
import { hashBodyForIdempotency } from './idempotency.js';


/**
 * The JSON parser alone. `verify` sees the exact raw bytes before JSON.parse (src/access checks
 * signatures there). A request parsed once is not parsed again by a later parser.
 */
export function jsonParser(limitBytes: number, verify?: (req: Request, raw: Buffer) => void): RequestHandler {
  return express.json({
    limit: limitBytes,
    type: JSON_TYPES,
    strict: true,
    // The raw bytes, before JSON.parse: hashed for Idempotency-Key, and checked by src/access for signatures.
    verify: verify
      ? (req: Request, res: Response, raw: Buffer) => {
          hashBodyForIdempotency(req, res, raw);
          verify(req, raw);
        }
      : hashBodyForIdempotency,
  });
}

/** JSON bodies only, bounded in size; parser failures become our codes in the error handler. */
export function jsonBody(limitBytes: number): RequestHandler[] {
  const requireJson = (req: Request, _res: Response, next: NextFunction): void => {
    if (!hasBody(req)) return next(new GatewayError('INVALID_BODY', 'a JSON request body is required'));
    if (!req.is(JSON_TYPES)) {
      return next(new GatewayError('UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/json, got "${req.get('content-type') ?? 'none'}"`));
    }
    next();
  };
  return [requireJson, jsonParser(limitBytes)];
}
