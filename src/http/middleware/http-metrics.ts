import { performance } from 'node:perf_hooks';
import type { NextFunction, Request, Response } from 'express';
import type { Counter, Histogram } from 'prom-client';
import type { MetricSet } from '../../metrics/metrics.js';
import { routeLabel } from './route-template.js';

// Methods outside this list (Node accepts ~35) share one label value.
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** nginx's "client closed request": the client went away before the response ended. */
export const CLIENT_CLOSED = 499;

interface Children {
  requests: Counter.Internal;
  duration: Histogram.Internal<string>;
}

/** kgate_http_requests_total and kgate_http_request_duration_seconds, labelled by route template. */
export function httpMetrics(http: MetricSet['http']) {
  // route × method × status is small and fixed by the code; the children are made once each.
  const children = new Map<string, Children>();
  const childrenFor = (route: string, method: string, status: number): Children => {
    const key = `${route} ${method} ${status}`;
    let c = children.get(key);
    if (!c) {
      c = { requests: http.requests.labels(route, method, String(status)), duration: http.duration.labels(route, method) };
      children.set(key, c);
    }
    return c;
  };

  return (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    res.once('close', () => {
      const method = METHODS.has(req.method) ? req.method : 'OTHER';
      const status = res.writableFinished ? res.statusCode : CLIENT_CLOSED;
      const c = childrenFor(routeLabel(req), method, status);
      c.requests.inc();
      c.duration.observe((performance.now() - started) / 1000);
    });
    next();
  };
}
