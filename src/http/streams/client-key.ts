import type { IncomingMessage } from 'node:http';
import type { ClientIdentity } from '../../shared/request-context.js';

/**
 * Whom per-client stream caps count against: the authenticated client's name when authentication
 * (src/access/) has set `req.identity`, else the remote address. Works for Express requests and for
 * the raw request of a WebSocket upgrade alike.
 */
export function clientKey(req: IncomingMessage & { identity?: ClientIdentity }): string {
  const name = req.identity?.name;
  return name ? `client:${name}` : `addr:${req.socket.remoteAddress ?? 'unknown'}`;
}
