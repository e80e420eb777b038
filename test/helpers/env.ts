import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const KAFKA_SCRIPT = path.join(ROOT, 'scripts/kafka.sh');
/** Jars shared by every broker the tests start (fetched once by scripts/kafka.sh). */
export const KAFKA_LIBS_DIR = path.join(ROOT, '.kafka', 'libs');
/** Home of the shared test broker, apart from ./run.sh's broker in .kafka/. */
export const TEST_BROKER_HOME = path.join(ROOT, '.kafka', 'test-shared');

/** The shared test broker's port: chosen free by test/helpers/global-fixture.ts before any spec loads. */
export function kafkaPort(): number {
  const port = Number(process.env.KGATE_TEST_KAFKA_PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error('KGATE_TEST_KAFKA_PORT is not set: run the tests through mocha (.mocharc.json loads the global fixture)');
  return port;
}

export function bootstrap(): string {
  return `127.0.0.1:${kafkaPort()}`;
}

export function uniqueTopic(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
}
