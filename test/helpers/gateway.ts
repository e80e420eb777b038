import { loadConfig } from '../../src/config/config.js';
import { startGateway, type RunningGateway } from '../../src/gateway.js';
import { createLogger } from '../../src/logging/logger.js';
import { bootstrap } from './env.js';
import { checkEveryGatewayResponse, registerGatewayDocument } from './openapi-check.js';

// Every answer of a test gateway is checked against its OpenAPI document (test/helpers/openapi-check.ts).
checkEveryGatewayResponse();

/** A gateway in this process on a free port, against the test broker unless told otherwise. */
export async function startTestGateway(env: Record<string, string> = {}): Promise<RunningGateway> {
  // No accept grace at shutdown unless a test asks for it: every in-process gateway would wait it out
  // (test/integration/shutdown.test.ts covers the grace on the built gateway with the default).
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', SHUTDOWN_ACCEPT_GRACE_MS: '0', ...env, KAFKA_BOOTSTRAP_SERVERS: env.KAFKA_BOOTSTRAP_SERVERS ?? bootstrap() });
  const gateway = await startGateway(config, createLogger('error', process.env.KGATE_TEST_LOGS !== '1'));
  await registerGatewayDocument(gateway.url);
  return gateway;
}

export interface JsonResponse {
  status: number;
  body: any;
  headers: Headers;
}

/** POST a JSON body; the answer is checked against the gateway's OpenAPI document. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<JsonResponse> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** GET, with the body parsed when it is JSON; the answer is checked against the gateway's OpenAPI document. */
export async function getJson(url: string, headers: Record<string, string> = {}): Promise<JsonResponse> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  const json = /[/+]json\b/.test(res.headers.get('content-type') ?? '');
  return { status: res.status, body: json && text ? JSON.parse(text) : text, headers: res.headers };
}
