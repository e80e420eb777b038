import { ConfigError, loadConfig } from './config/config.js';
import { startGateway } from './gateway.js';
import { createLogger } from './logging/logger.js';
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

  const gateway = await startGateway(config, log);
  log.info('gateway listening', { url: gateway.url, kafka: config.kafka.bootstrapServers, node: process.version });

  const lifecycle = createLifecycle({ shutdown: () => gateway.shutdown(), log, exit: (code) => process.exit(code) });
  process.once('SIGTERM', () => void lifecycle.onSignal('SIGTERM'));
  process.once('SIGINT', () => void lifecycle.onSignal('SIGINT'));
  gateway.producer.once('fatal', (err: unknown) => void lifecycle.onFatal(err));
}

main().catch((err: unknown) => {
  console.error('gateway failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
