import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

// A caller's id is kept only if it is short and plain, so it is safe in logs and Kafka headers.
const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

declare module 'express-serve-static-core' {
  interface Request {
    requestId: string;
    receivedAt: Date;
  }
}

/** Keeps an incoming X-Request-Id or makes one, and echoes it on the response. */
export function requestId(req: Request, res: Response, next: NextFunction): void {
  const given = req.get('x-request-id');
  req.requestId = given && ACCEPTABLE.test(given) ? given : randomUUID();
  req.receivedAt = new Date();
  res.setHeader('X-Request-Id', req.requestId);
  next();
}
