import { AssertionError } from 'chai';
import { OpenApiResponseValidator } from './openapi-validator.js';

/** The document each test gateway serves, by origin (http://127.0.0.1:port), registered when it starts. */
const validators = new Map<string, OpenApiResponseValidator>();
const realFetch = globalThis.fetch;
let installed = false;

/** Records the document of a gateway the tests just started; a later gateway on the same port replaces it. */
export async function registerGatewayDocument(origin: string): Promise<void> {
  const res = await realFetch(`${origin}/openapi.json`);
  if (res.status !== 200) throw new Error(`GET ${origin}/openapi.json answered ${res.status}`);
  validators.set(origin, new OpenApiResponseValidator((await res.json()) as Record<string, unknown>));
}

/** Throws when the response breaks the document of the gateway at its origin (none registered: not checked). */
export async function checkResponse(method: string, url: string, res: Response): Promise<void> {
  const { origin, pathname, search } = new URL(url);
  const validator = validators.get(origin);
  // A stream (server-sent events) has no end to wait for; its status and headers are checked by its own tests.
  if (!validator || res.headers.get('content-type')?.startsWith('text/event-stream')) return;
  const body = await res.clone().text();
  const problems = validator.problems({ method, path: pathname + search, status: res.status, headers: res.headers, body });
  if (problems.length > 0) throw new AssertionError(`response breaks the OpenAPI document (src/http/openapi/):\n  ${problems.join('\n  ')}`);
}

/**
 * Every response a test receives from a test gateway, through any fetch call, is checked against
 * the document that gateway serves: a test fails on the first answer the document does not allow.
 */
export function checkEveryGatewayResponse(): void {
  if (installed) return;
  installed = true;
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const res = await realFetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    await checkResponse(method.toUpperCase(), url, res);
    return res;
  };
}
