import type { NextFunction, Request, Response } from 'express';
import { requestIdOf } from '../../shared/request-id.js';


declare module 'express-serve-static-core' {
  interface Request {
    requestId: string;
    receivedAt: Date;
  }
}

/** Keeps an incoming X-Request-Id or makes one, and echoes it on the response. */
export function requestId(req: Request, res: Response, next: NextFunction): void {
  const given = req.get('x-request-id');
  req.requestId = requestIdOf(given);
  req.receivedAt = new Date();
  res.setHeader('X-Request-Id', req.requestId);
  next();
}
