import { loadConfig } from '../../src/config/config.js';
import { startGateway, type RunningGateway } from '../../src/gateway.js';
import { createLogger } from '../../src/logging/logger.js';
import { bootstrap } from './env.js';

/** A gateway in this process on a free port, against the test broker unless told otherwise. */
export function startTestGateway(env: Record<string, string> = {}): Promise<RunningGateway> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', KAFKA_BOOTSTRAP_SERVERS: bootstrap(), ...env });
  return startGateway(config, createLogger('error', process.env.KGATE_TEST_LOGS !== '1'));
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}
