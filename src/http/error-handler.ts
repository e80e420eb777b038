import type { NextFunction, Request, Response } from 'express';
import { GatewayError, isGatewayError } from '../errors/gateway-error.js';
import { carriesRetryAfter, type ErrorCode } from '../errors/codes.js';
import type { Logger } from '../logging/logger.js';

// body-parser (express.json) reports failures by `type`; these are the ones a client can cause.
const parserErrors: Record<string, ErrorCode> = {
  'entity.parse.failed': 'INVALID_JSON',
  'entity.too.large': 'BODY_TOO_LARGE',
  'encoding.unsupported': 'UNSUPPORTED_CONTENT_ENCODING',
  'charset.unsupported': 'UNSUPPORTED_ENCODING',
  'request.size.invalid': 'INVALID_BODY',
};

const RETRY_AFTER_SECONDS = 1;

export function toGatewayErrorForHttp(err: unknown): GatewayError {
  if (isGatewayError(err)) return err;
  const type = (err as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && parserErrors[type]) {
    const { limit, encoding } = err as { limit?: unknown; encoding?: unknown };
    // The encoding is named (bounded: the parser lower-cased a header value Node already limits).
    const detail = type === 'encoding.unsupported' && typeof encoding === 'string' ? `Content-Encoding "${encoding.slice(0, 64)}" is not supported` : undefined;
    return new GatewayError(parserErrors[type], detail, typeof limit === 'number' ? { info: { limit_bytes: limit } } : {});
  }
  // Other errors that carry a 4xx status come from Express itself (e.g. a malformed %-escape in
  // the URL): the client's fault, not ours.
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new GatewayError(status === 404 ? 'NOT_FOUND' : 'INVALID_BODY', 'malformed request', { cause: err });
  }
  return new GatewayError('INTERNAL', undefined, { cause: err });
}

/** The Retry-After header of an answer with this status, if its status carries one (errors/codes.ts);
 * `seconds` when the error knows when to come back (AUTH_UNAVAILABLE: the JWKS gate). */
export function retryAfterFor(status: number, seconds: unknown = RETRY_AFTER_SECONDS): Record<string, string> {
  return carriesRetryAfter(status) ? { 'Retry-After': String(typeof seconds === 'number' ? seconds : RETRY_AFTER_SECONDS) } : {};
}

/** An error as status, headers and body: allow-listed fields only, never a stack trace. */
export function errorAnswer(err: GatewayError, requestId: string | undefined): { status: number; headers: Record<string, string>; body: Record<string, unknown> } {
  return {
    status: err.status,
    // An error that knows when to come back (AUTH_UNAVAILABLE: the JWKS gate) says so.
    headers: retryAfterFor(err.status, err.info?.['retry_after_s']),
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

export type FailureLog = Pick<Logger, 'error' | 'warn' | 'debug'>;

/** How one failed request is logged, wherever it was answered (a route, a refused WebSocket handshake). */
export function logFailure(log: FailureLog, gatewayError: GatewayError, err: unknown, where: { request_id: string | undefined; method: string | undefined; route: string }): void {
  const context = { ...where, code: gatewayError.code };
  if (gatewayError.code === 'INTERNAL') log.error('request failed', { ...context, err });
  else if (gatewayError.status >= 500) log.warn('request failed', { ...context, ...gatewayError.info });
  else log.debug('request refused', context);
}

/** The one place where failures become HTTP responses. */
export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    // The client went away mid-body: nobody is left to answer.
    if ((err as { type?: unknown } | null)?.type === 'request.aborted') return void res.end();
    const gatewayError = toGatewayErrorForHttp(err);
    // The route template, never the raw URL: it is bounded and holds no client data.
    logFailure(log, gatewayError, err, { request_id: req.requestId, method: req.method, route: req.route?.path ?? 'unmatched' });
    if (res.headersSent) return void res.end();
    sendError(res, gatewayError, req.requestId);
  };
}
