import type { Request } from 'express';
import type { RequestContext } from '../shared/request-context.js';

/** The pipeline's view of an HTTP request: its id, arrival time, (with authentication on) its client
 * and (when it has one) its W3C trace context, which every record it writes carries (src/tracing/). */
export function contextOf(req: Request): RequestContext {
  const ctx: RequestContext = { requestId: req.requestId, receivedAt: req.receivedAt, ...(req.identity ? { client: req.identity } : {}) };
  if (req.trace !== undefined) ctx.trace = req.trace;
  return ctx;
}
