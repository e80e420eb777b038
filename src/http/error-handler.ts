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
  // Other errors that carry a 4xx status come from Express itself (e.g. a malformed %-escape in
  // the URL): the client's fault, not ours.
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new GatewayError(status === 404 ? 'NOT_FOUND' : 'INVALID_BODY', 'malformed request', { cause: err });
  }
  return new GatewayError('INTERNAL', undefined, { cause: err });
}

/** Every 503 (not written: retry) and 504 (unknown: retry with the same Idempotency-Key) says when. */
export function retryAfterFor(status: number): Record<string, string> {
  return status === 503 || status === 504 ? { 'Retry-After': String(RETRY_AFTER_SECONDS) } : {};
}

/** An error as status, headers and body: allow-listed fields only, never a stack trace. */
export function errorAnswer(err: GatewayError, requestId: string | undefined): { status: number; headers: Record<string, string>; body: Record<string, unknown> } {
  return {
    status: err.status,
    headers: retryAfterFor(err.status),
    body: { success: false, ...err.toJSON(), ...(requestId ? { request_id: requestId } : {}) },
  };
}

/** Sends an error body: allow-listed fields only, never a stack trace. */
export function sendError(res: Response, err: GatewayError, requestId: string | undefined): void {
  const answer = errorAnswer(err, requestId);
  // For the request's span (src/http/middleware/trace-context.ts): the code, not only the status.
  res.locals['errorCode'] = err.code;
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.status(answer.status).json(answer.body);
}

/** The one place where failures become HTTP responses. */
export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    // The client went away mid-body: nobody is left to answer.
    if ((err as { type?: unknown } | null)?.type === 'request.aborted') return void res.end();
    const gatewayError = toGatewayErrorForHttp(err);
    // The route template, never the raw URL: it is bounded and holds no client data.
    const context = { request_id: req.requestId, method: req.method, route: req.route?.path ?? 'unmatched', code: gatewayError.code };
    if (gatewayError.code === 'INTERNAL') log.error('request failed', { ...context, err });
    else if (gatewayError.status >= 500) log.warn('request failed', { ...context, ...gatewayError.info });
    else log.debug('request refused', context);
    if (res.headersSent) return void res.end();
    sendError(res, gatewayError, req.requestId);
  };
}
