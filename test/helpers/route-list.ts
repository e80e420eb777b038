import type { Express } from 'express';

export interface ServedRoute {
  /** OpenAPI form: /schemas/{topic}. */
  path: string;
  /** Lower-case methods with a handler of their own; a route with only a catch-all (router.all → 405) has none. */
  methods: string[];
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: string;
}

/** Express ":name" parameters → OpenAPI "{name}"; an escaped "\\:" is a literal colon (`records:batch`). */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/(?<!\\):([A-Za-z0-9_]+)/g, '{$1}').replace(/\\:/g, ':');
}

/**
 * The routes an Express app really serves, read from its router stack (as
 * src/http/middleware/route-template.ts names them): routes of the app and of every mounted router.
 * Middleware that is not a route (static files, the 404 fallback) is not an operation and is left out.
 */
export function listRoutes(app: Express): ServedRoute[] {
  const byPath = new Map<string, Set<string>>();
  const walk = (stack: Layer[], mount: string): void => {
    for (const layer of stack) {
      if (layer.route) {
        const path = openApiPath(mount + (layer.route.path === '/' && mount ? '' : layer.route.path));
        const methods = byPath.get(path) ?? new Set<string>();
        for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') methods.add(method);
        byPath.set(path, methods);
      } else if (layer.handle?.stack) {
        const rawPath = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, mount + rawPath);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return [...byPath].map(([path, methods]) => ({ path, methods: [...methods].sort() }));
}
