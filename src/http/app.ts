import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Limits } from '../config/config.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { Logger } from '../logging/logger.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import { errorHandler } from './error-handler.js';
import { refuseWhileDraining, type DrainState } from './middleware/draining.js';
import { requestId } from './middleware/request-id.js';
import { infoRoutes } from './routes/info.js';
import { produceRoutes } from './routes/produce.js';

export interface AppDeps {
  name: string;
  version: string;
  limits: Limits;
  pipeline: Pipeline;
  isKafkaConnected: () => boolean;
  drain: DrainState;
  log: Logger;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(helmet());
  app.use(requestId);
  app.use(refuseWhileDraining(deps.drain));
  app.use(infoRoutes(deps));
  app.use(produceRoutes(deps));
  app.use((req) => {
    throw new GatewayError('NOT_FOUND', `no route for ${req.method} ${req.path}`);
  });
  app.use(errorHandler(deps.log));
  return app;
}
