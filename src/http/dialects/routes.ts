import { Router } from 'express';
import { cloudEventsRoutes, type CloudEventsRouteDeps } from './cloudevents/routes.js';
import { restProxyRoutes, type RestProxyRouteDeps } from './rest-proxy/routes.js';
import { restProxyV3Routes, type RestProxyV3Deps } from './rest-proxy/v3-routes.js';

export type DialectRouteDeps = CloudEventsRouteDeps & RestProxyV3Deps & Pick<RestProxyRouteDeps, 'topicsGet'>;

/** Every HTTP dialect kgate speaks besides its own (docs/dialects.md): the one place app.ts mounts them. */
export function dialectRoutes(deps: DialectRouteDeps): Router {
  const router = Router();
  router.use(cloudEventsRoutes(deps));
  router.use(restProxyRoutes(deps));
  router.use(restProxyV3Routes(deps));
  return router;
}
