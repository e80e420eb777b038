import type { Express, Request } from 'express';

declare module 'express-serve-static-core' {
  interface Request {
    /** The matched route's template with its router's mount, e.g. "/produce/batch"; unset when nothing matched. */
    routeTemplate?: string;
    /** Backing store of req.route once trackRouteTemplates() has run. */
    matchedRoute?: unknown;
  }
}

export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Metrics and logs name a request by its route template, never by its raw URL (which is unbounded).
 * Express sets req.route when a route matches, but restores req.baseUrl when an error leaves a
 * mounted router, so by the time the response ends the mount may be gone. An accessor for `route`
 * on the app's request prototype records both at the moment they belong together. It is installed
 * once at start-up: redefining the property on each request (tried first) made every request
 * object a slow dictionary-mode object and cost about a third of the produce throughput.
 */
export function trackRouteTemplates(app: Express): void {
  Object.defineProperty(app.request, 'route', {
    configurable: true,
    enumerable: true,
    get(this: Request) {
      return this.matchedRoute;
    },
    set(this: Request, value: { path?: unknown } | undefined) {
      this.matchedRoute = value;
      if (value?.path !== undefined) this.routeTemplate = joinMount(this.baseUrl, unescapePath(String(value.path)));
    },
  });
}

export function routeLabel(req: Request): string {
  return req.routeTemplate ?? UNMATCHED_ROUTE;
}

function joinMount(base: string, path: string): string {
  if (!base) return path;
  return path === '/' ? base : base + path;
}

/** A path-to-regexp escape (`records\\:batch`, a literal colon) is shown as the path a client sends. */
function unescapePath(path: string): string {
  return path.includes('\\') ? path.replace(/\\(.)/g, '$1') : path;
}
