import type { IncomingMessage } from 'node:http';
import type { ClientIdentity } from '../../pipeline/types.js';

/**
 * Whom per-client stream caps count against: the authenticated client's name when authentication
 * (src/access/) has set `req.client`, else the remote address. Works for Express requests and for
 * the raw request of a WebSocket upgrade alike.
 */
export function clientKey(req: IncomingMessage & { client?: ClientIdentity }): string {
  const name = req.client?.name;
  return name ? `client:${name}` : `addr:${req.socket.remoteAddress ?? 'unknown'}`;
}
