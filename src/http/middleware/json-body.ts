import express, { type NextFunction, type Request, type Response, type RequestHandler } from 'express';
import { GatewayError } from '../../errors/gateway-error.js';
import { hashBodyForIdempotency } from './idempotency.js';

const JSON_TYPES = ['application/json', 'application/*+json'];

/** JSON bodies only, bounded in size; parser failures become our codes in the error handler. */
export function jsonBody(limitBytes: number): RequestHandler[] {
  const requireJson = (req: Request, _res: Response, next: NextFunction): void => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (!hasBody) return next(new GatewayError('INVALID_BODY', 'a JSON request body is required'));
    if (!req.is(JSON_TYPES)) {
      return next(new GatewayError('UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/json, got "${req.get('content-type') ?? 'none'}"`));
    }
    next();
  };
  return [requireJson, express.json({ limit: limitBytes, type: JSON_TYPES, strict: true, verify: hashBodyForIdempotency })];
}
