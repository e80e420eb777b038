import { ConfigError, loadConfig } from './config/config.js';
import { startGateway } from './gateway.js';
import { createLogger } from './logging/logger.js';

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

  const stop = (signal: string) => {
    log.info('signal received', { signal });
    gateway.shutdown().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error('shutdown failed', { err });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error('gateway failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
