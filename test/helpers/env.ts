import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const KAFKA_SCRIPT = path.join(ROOT, 'scripts/kafka.sh');
/** The shared test broker, started once by the global fixture (scripts/kafka.sh). */
export const KAFKA_PORT = Number(process.env.KAFKA_PORT ?? 9092);
export const BOOTSTRAP = `127.0.0.1:${KAFKA_PORT}`;

export function uniqueTopic(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
}
