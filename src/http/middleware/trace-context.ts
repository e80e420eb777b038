import type { NextFunction, Request, Response } from 'express';
import type { RequestTrace, Tracing } from '../../tracing/tracing.js';
import { CLIENT_CLOSED } from './http-metrics.js';
import { routeLabel } from './route-template.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The request's W3C trace context (src/tracing/); absent when it has none and tracing is off. */
    trace?: RequestTrace;
  }
}

/** The response header that echoes the trace id of a request that has one. */
export const TRACE_ID_HEADER = 'X-Trace-Id';

/**
 * Reads `traceparent`/`tracestate` (tracing off or unsampled: a regex check and a copy; sampled:
 * kgate's server span, ended when the response ends, named by route template) and echoes the trace
 * id: `X-Trace-Id` whenever the request has one, `traceresponse` (W3C Trace Context level 2) when
 * kgate made a span of its own.
 */
export function traceContext(tracing: Tracing) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const trace = tracing.startRequest(req.method, req.headers.traceparent, req.headers.tracestate, req.requestId);
    if (trace !== undefined) {
      req.trace = trace;
      if (trace.traceId !== undefined) res.setHeader(TRACE_ID_HEADER, trace.traceId);
      const spans = trace.spans;
      // Unsampled, kgate made no span: no traceresponse, no listener (and no closure) per request.
      if (spans?.traceresponse !== undefined) {
        res.setHeader('traceresponse', spans.traceresponse);
        if (spans.recording) res.once('close', () => spans.end(routeLabel(req), res.writableFinished ? res.statusCode : CLIENT_CLOSED, res.locals['errorCode'] as string | undefined));
      }
    }
    next();
  };
}
