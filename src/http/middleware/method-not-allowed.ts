import type { Express, NextFunction, Request, Response } from 'express';
import { GatewayError } from '../../errors/gateway-error.js';

interface Layer {
  route?: { methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  match(path: string): { path: string } | false;
}

/** The methods some route of the stack serves on this path ('_all' catch-alls answer 405 themselves). */
function allowedMethods(stack: Layer[], path: string, into: Set<string>): void {
  for (const layer of stack) {
    let matched: { path: string } | false;
    try {
      matched = layer.match(path);
    } catch {
      continue; // a malformed %-escape: no route of this layer can serve it
    }
    if (!matched) continue;
    if (layer.route) {
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (!on || method === '_all') continue;
        into.add(method.toUpperCase());
        if (method === 'get') into.add('HEAD');
      }
    } else if (layer.handle?.stack) {
      allowedMethods(layer.handle.stack, path.slice(matched.path.length) || '/', into);
    }
  }
}

/**
 * Placed after every route: a path that exists but not for this method gets 405 with Allow
 * (RFC 9110 §15.5.6), not 404. Read from the router itself, so a new route needs nothing here.
 * Runs only for requests no route answered.
 */
export function methodNotAllowed(app: Express) {
  const stack = (app as unknown as { router: { stack: Layer[] } }).router.stack;
  return (req: Request, res: Response, next: NextFunction): void => {
    const allowed = new Set<string>();
    allowedMethods(stack, req.path, allowed);
    // A route placed after this middleware serves the method: not ours to refuse (GET /live answered 405 so).
    if (allowed.size === 0 || allowed.has(req.method)) return next();
    const list = [...allowed].sort().join(', ');
    res.setHeader('Allow', list);
    next(new GatewayError('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${req.path}; allowed: ${list}`));
  };
}
