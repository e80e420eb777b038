import { ConfigError, loadConfig } from './config/config.js';
import { startGateway } from './gateway.js';
import { createLogger, flushLogs } from './logging/logger.js';

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

  const gateway = await startGateway(config, log);
  log.info('gateway listening', { url: gateway.url, kafka: config.kafka.bootstrapServers, node: process.version });

  const stop = (signal: string) => {
    log.info('signal received', { signal });
    // The log is written asynchronously: every line reaches stdout before the process ends.
    gateway.shutdown().then(
      () => flushLogs().then(() => process.exit(0)),
      (err: unknown) => {
        log.error('shutdown failed', { err });
        void flushLogs().then(() => process.exit(1));
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
