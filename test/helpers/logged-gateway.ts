import { Writable } from 'node:stream';
import winston from 'winston';
import { loadConfig } from '../../src/config/config.js';
import { startGateway, type RunningGateway } from '../../src/gateway.js';
import { createLogger } from '../../src/logging/logger.js';
import { bootstrap } from './env.js';
import { registerGatewayDocument } from './openapi-check.js';

/** A gateway in this process whose every log line (debug and up) lands in `lines`, raw; answers checked against its document. */
export async function gatewayWithLog(env: Record<string, string>): Promise<{ gw: RunningGateway; lines: string[] }> {
  const lines: string[] = [];
  const log = createLogger('debug');
  log.clear();
  log.add(new winston.transports.Stream({ stream: new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(...chunk.toString().split('\n').filter(Boolean)), done()) }) }));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', KAFKA_BOOTSTRAP_SERVERS: bootstrap(), SHUTDOWN_ACCEPT_GRACE_MS: '0', ...env });
  const gw = await startGateway(config, log);
  await registerGatewayDocument(gw.url);
  return { gw, lines };
}
