import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Registry } from 'prom-client';
import { GatewayError } from '../errors/gateway-error.js';
import type { Logger } from '../logging/logger.js';
import { errorHandler } from './error-handler.js';
import { requestId } from './middleware/request-id.js';
import { metricsRoutes } from './routes/metrics.js';

export interface MetricsServer {
  server: Server;
  /** http://host:port of the metrics listener. */
  url: string;
  close(): Promise<void>;
}

/**
 * METRICS_PORT: /metrics on a listener of its own (the usual way on Kubernetes: the scrape port is
 * not exposed by the Service clients use), so the main port no longer shows every topic written and
 * the brokers to anyone who can reach it. Nothing else is served here.
 */
export async function startMetricsServer(registry: Registry, host: string, port: number, log: Logger): Promise<MetricsServer> {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestId);
  app.use(metricsRoutes(registry));
  app.use((req) => {
    throw new GatewayError('NOT_FOUND', `no route for ${req.method} ${req.path}; this port serves GET /metrics only`);
  });
  app.use(errorHandler(log));
  const server = createServer(app);
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  const shown = host === '0.0.0.0' ? '127.0.0.1' : host;
  log.info('metrics listening on their own port', { port: address.port });
  return {
    server,
    url: `http://${shown}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
