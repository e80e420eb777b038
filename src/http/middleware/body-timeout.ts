import type { NextFunction, Request, Response } from 'express';
import { GatewayError } from '../../errors/gateway-error.js';
import { hasBody } from '../../shared/http-body.js';

const NDJSON_TYPE = 'application/x-ndjson';

/**
 * HTTP_REQUEST_TIMEOUT_MS for request bodies: a body that has not arrived whole that long after the
 * request began (a Content-Length the client never fills, a trickle) is answered 408 REQUEST_TIMEOUT
 * as JSON and the connection closed. Node's own server.requestTimeout would also end a long NDJSON
 * stream that is still sending: streams are exempt here and bound their idle time themselves
 * (src/http/routes/produce-stream.ts: no new data for that long while the gateway waits for it).
 */
export function bodyTimeout(timeoutMs: number, answer: (err: GatewayError, req: Request, res: Response) => void) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (timeoutMs === 0 || !hasBody(req) || req.is(NDJSON_TYPE)) return next();
    const timer = setTimeout(() => {
      if (req.complete || res.headersSent) return;
      res.setHeader('Connection', 'close');
      res.once('finish', () => req.socket.destroy());
      answer(new GatewayError('REQUEST_TIMEOUT', `the request body did not arrive whole within HTTP_REQUEST_TIMEOUT_MS (${timeoutMs} ms)`), req, res);
    }, Math.max(0, timeoutMs - (Date.now() - req.receivedAt.getTime())));
    const done = () => clearTimeout(timer);
    req.once('end', done);
    res.once('close', done);
    next();
  };
}
