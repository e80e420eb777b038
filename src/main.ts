import { ConfigError, loadConfig } from './config/config.js';
import { startGateway } from './gateway.js';
import { createLogger, flushLogs } from './logging/logger.js';
import { createLifecycle } from './shutdown.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  process.on('unhandledRejection', (reason) => log.error('unhandled promise rejection', { err: reason }));

  // Re-read AUTH_KEYS_FILE: a revoked key stops working without a restart. Installed before start-up,
  // so a SIGHUP that comes early is logged instead of ending the process (its default action).
  let reloadKeys: (() => boolean) | undefined;
  process.on('SIGHUP', () => {
    log.info('signal received', { signal: 'SIGHUP' });
    if (reloadKeys) reloadKeys();
    else log.warn('SIGHUP before start-up completed: keys not reloaded');
  });

  const gateway = await startGateway(config, log);
  reloadKeys = () => gateway.reloadKeys();
  log.info('gateway listening', { url: gateway.url, kafka: config.kafka.bootstrapServers, node: process.version });

  const lifecycle = createLifecycle({ shutdown: () => gateway.shutdown(), log, exit: (code) => void flushLogs().then(() => process.exit(code)) });
  // The log is written asynchronously (sonic-boom): every line reaches stdout before the process ends.
  process.once('SIGTERM', () => void lifecycle.onSignal('SIGTERM'));
  process.once('SIGINT', () => void lifecycle.onSignal('SIGINT'));
  gateway.producer.once('fatal', (err: unknown) => void lifecycle.onFatal(err));
}

main().catch((err: unknown) => {
  console.error('gateway failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
