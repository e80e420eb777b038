import type { Request } from 'express';
import type { RequestContext } from '../shared/request-context.js';

/** The pipeline's view of an HTTP request: its id, arrival time and (with authentication on) its client. */
export function contextOf(req: Request): RequestContext {
  return { requestId: req.requestId, receivedAt: req.receivedAt, ...(req.identity ? { client: req.identity } : {}) };
}
