import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

/**
 * helmet's headers with its defaults, worked out once at start-up instead of per response: helmet
 * builds and sets a dozen headers one by one on every answer, and a JSON API's answers all get the
 * same ones. helmet runs once against a recording response; each request then gets the recorded
 * headers in one setHeaders() call. The headers are exactly helmet's (test/unit/http/middleware).
 */
export function securityHeaders(): (req: Request, res: Response, next: NextFunction) => void {
  const recorded = new Map<string, string>();
  const removed: string[] = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      recorded.set(name, String(value));
      return recorder;
    },
    removeHeader(name: string) {
      removed.push(name);
    },
  };
  let synchronous = false;
  helmet()({} as IncomingMessage, recorder as unknown as ServerResponse, () => (synchronous = true));
  // helmet finishes synchronously today; if a future version did not, fall back to it per request.
  if (!synchronous) return helmet() as unknown as (req: Request, res: Response, next: NextFunction) => void;
  const headers = new Map(recorded);
  return (_req, res, next) => {
    res.setHeaders(headers);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}
