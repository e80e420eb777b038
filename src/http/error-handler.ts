import type { NextFunction, Request, Response } from 'express';
import { GatewayError, isGatewayError } from '../errors/gateway-error.js';
import type { ErrorCode } from '../errors/codes.js';
import type { Logger } from '../logging/logger.js';

// body-parser (express.json) reports failures by `type`; these are the ones a client can cause.
const parserErrors: Record<string, ErrorCode> = {
  'entity.parse.failed': 'INVALID_JSON',
  'entity.too.large': 'BODY_TOO_LARGE',
  'encoding.unsupported': 'UNSUPPORTED_ENCODING',
  'charset.unsupported': 'UNSUPPORTED_ENCODING',
  'request.size.invalid': 'INVALID_BODY',
};

const RETRY_AFTER_SECONDS = 1;

export function toGatewayErrorForHttp(err: unknown): GatewayError {
  if (isGatewayError(err)) return err;
  const type = (err as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && parserErrors[type]) {
    const limit = (err as { limit?: unknown }).limit;
    return new GatewayError(parserErrors[type], undefined, typeof limit === 'number' ? { info: { limit_bytes: limit } } : {});
  }
  return new GatewayError('INTERNAL', undefined, { cause: err });
}

/** Sends an error body: allow-listed fields only, never a stack trace. */
export function sendError(res: Response, err: GatewayError, requestId: string | undefined): void {
  if (err.status === 503) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
  res.status(err.status).json({ success: false, ...err.toJSON(), ...(requestId ? { request_id: requestId } : {}) });
}

/** The one place where failures become HTTP responses. */
export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const gatewayError = toGatewayErrorForHttp(err);
    const context = { request_id: req.requestId, method: req.method, path: req.path, code: gatewayError.code };
    if (gatewayError.status >= 500 && gatewayError.code === 'INTERNAL') log.error('request failed', { ...context, err });
    else log.debug('request refused', context);
    if (res.headersSent) return void res.end();
    sendError(res, gatewayError, req.requestId);
  };
}
