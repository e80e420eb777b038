import type { IncomingMessage } from 'node:http';

/** The Content-Types read as JSON bodies (by the routes' parser and by signature checks alike). */
export const JSON_TYPES = ['application/json', 'application/*+json'];

/** Whether a request carries a body at all (the same test body-parser makes). */
export function hasBody(req: Pick<IncomingMessage, 'headers'>): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}
