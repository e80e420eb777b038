import http from 'node:http';
import https from 'node:https';
import type { SchemaRegistrySettings } from '../config/config.js';

/** One schema as the Confluent API gives it (GET /subjects/{s}/versions/{v}, /schemas/ids/{id}). */
export interface RegisteredSchema {
  subject: string;
  version: number;
  id: number;
  /** The schema text: an Avro JSON document, a JSON Schema document or a .proto file. */
  schema: string;
  /** AVRO when the registry leaves it out, as the Confluent API does. */
  schemaType: 'AVRO' | 'JSON' | 'PROTOBUF';
}

export interface RegistryClientSettings {
  /** The Confluent-compatible API base, e.g. http://registry:8080/apis/ccompat/v7. */
  url: string;
  /** "user:password" for HTTP basic authentication; never logged. */
  basicAuthUserInfo?: string | undefined;
  bearerToken?: string | undefined;
  /** PEM text of the CA that signed the registry's certificate (SCHEMA_REGISTRY_CA_LOCATION, read once). */
  ca?: string | undefined;
  timeoutMs: number;
}

/** The registry answered, and says there is no such thing (error_code 40401/40402/40403). */
export class RegistryNotFound extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryNotFound';
  }
}

/** The registry did not answer usefully: refused, timed out, 5xx, 401/403, or an answer we cannot read. */
export class RegistryUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RegistryUnavailable';
  }
}

export interface RegistryClient {
  /** version: a number or "latest". */
  version(subject: string, version: number | 'latest'): Promise<RegisteredSchema>;
  /** The subject's version holding this schema id (a pinned schema_id is checked against its subject). */
  byId(id: number, subject: string): Promise<RegisteredSchema>;
  /** POST /compatibility/subjects/{s}/versions/latest: undefined when the subject does not exist yet. */
  isCompatible(subject: string, schema: string, schemaType: RegisteredSchema['schemaType']): Promise<{ compatible: boolean; messages: string[] } | undefined>;
  register(subject: string, schema: string, schemaType: RegisteredSchema['schemaType']): Promise<number>;
  /** POST /subjects/{s}: the version of the subject holding exactly this schema, or undefined. */
  lookup(subject: string, schema: string, schemaType: RegisteredSchema['schemaType']): Promise<RegisteredSchema | undefined>;
  /** GET /schemas/types: cheap, and answers whether the registry is there. */
  ping(): Promise<void>;
  close(): void;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
/** Answers larger than this are refused: a schema is kilobytes, and the registry is not trusted to bound it. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** A small client of the Confluent Schema Registry API (Confluent, Apicurio ccompat, Karapace, Redpanda). */
export function createRegistryClient(settings: RegistryClientSettings): RegistryClient {
  const base = new URL(settings.url.replace(/\/+$/, '') + '/');
  const secure = base.protocol === 'https:';
  const agent = secure
    ? new https.Agent({ keepAlive: true, maxSockets: 8, ...(settings.ca ? { ca: settings.ca } : {}) })
    : new http.Agent({ keepAlive: true, maxSockets: 8 });
  const headers: Record<string, string> = { Accept: `${CONTENT_TYPE}, application/json` };
  if (settings.basicAuthUserInfo !== undefined) headers.Authorization = `Basic ${Buffer.from(settings.basicAuthUserInfo).toString('base64')}`;
  else if (settings.bearerToken !== undefined) headers.Authorization = `Bearer ${settings.bearerToken}`;

  function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const url = new URL(path, base);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = (secure ? https : http).request(
        url,
        {
          method,
          agent,
          timeout: settings.timeoutMs,
          // The whole call, waiting for a free socket included, is bounded: never a hang.
          signal: AbortSignal.timeout(settings.timeoutMs),
          headers: payload ? { ...headers, 'Content-Type': CONTENT_TYPE, 'Content-Length': String(payload.length) } : headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_ANSWER_BYTES) req.destroy(new RegistryUnavailable(`answer of ${method} ${url.pathname} is larger than ${MAX_ANSWER_BYTES} bytes`));
            else chunks.push(c);
          });
          res.on('error', (err) => reject(unavailable(err, `${method} ${url.pathname}`, settings.timeoutMs)));
          res.on('end', () => {
            let parsed: unknown;
            try {
              parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              parsed = undefined;
            }
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve(parsed);
            const errorCode = Number((parsed as { error_code?: unknown } | undefined)?.error_code);
            const message = String((parsed as { message?: unknown } | undefined)?.message ?? `HTTP ${status}`);
            if (status === 404 && (errorCode === 40401 || errorCode === 40402 || errorCode === 40403)) {
              return reject(new RegistryNotFound(errorCode, message));
            }
            reject(new RegistryUnavailable(`${method} ${url.pathname} answered ${status}${Number.isFinite(errorCode) ? ` (${errorCode})` : ''}: ${message.slice(0, 200)}`));
          });
        },
      );
      // A registry that accepts the connection and never answers must not hold a request.
      req.on('timeout', () => req.destroy(new RegistryUnavailable(`${method} ${url.pathname}: no answer within ${settings.timeoutMs} ms`)));
      req.on('error', (err) => reject(unavailable(err, `${method} ${url.pathname}`, settings.timeoutMs)));
      req.end(payload);
    });
  }

  return {
    async version(subject, version) {
      return asSchema(await call('GET', `subjects/${encodeURIComponent(subject)}/versions/${version}`), subject);
    },
    async byId(id, subject) {
      // The versions of the subject that use this id; then that version, with its subject facts.
      const refs = await call('GET', `schemas/ids/${id}/versions`);
      const ref = Array.isArray(refs) ? (refs as Array<{ subject?: unknown; version?: unknown }>).find((r) => r.subject === subject) : undefined;
      if (!ref || typeof ref.version !== 'number') throw new RegistryNotFound(40403, `schema id ${id} is not a version of subject ${subject}`);
      return this.version(subject, ref.version);
    },
    async isCompatible(subject, schema, schemaType) {
      try {
        const body = { schema, ...(schemaType === 'AVRO' ? {} : { schemaType }) };
        const answer = (await call('POST', `compatibility/subjects/${encodeURIComponent(subject)}/versions/latest?verbose=true`, body)) as {
          is_compatible?: unknown;
          messages?: unknown;
        };
        return { compatible: answer.is_compatible === true, messages: Array.isArray(answer.messages) ? answer.messages.map(String) : [] };
      } catch (err) {
        if (err instanceof RegistryNotFound && err.errorCode === 40401) return undefined;
        throw err;
      }
    },
    async register(subject, schema, schemaType) {
      const body = { schema, ...(schemaType === 'AVRO' ? {} : { schemaType }) };
      const answer = (await call('POST', `subjects/${encodeURIComponent(subject)}/versions`, body)) as { id?: unknown };
      if (typeof answer?.id !== 'number') throw new RegistryUnavailable('register answered without an id');
      return answer.id;
    },
    async lookup(subject, schema, schemaType) {
      const body = { schema, ...(schemaType === 'AVRO' ? {} : { schemaType }) };
      try {
        return asSchema(await call('POST', `subjects/${encodeURIComponent(subject)}`, body), subject);
      } catch (err) {
        if (err instanceof RegistryNotFound) return undefined;
        throw err;
      }
    },
    async ping() {
      await call('GET', 'schemas/types');
    },
    close() {
      agent.destroy();
    },
  };
}

function unavailable(err: unknown, what: string, timeoutMs: number): Error {
  if (err instanceof RegistryUnavailable) return err;
  if ((err as Error).name === 'AbortError' || (err as Error).name === 'TimeoutError') return new RegistryUnavailable(`${what}: no answer within ${timeoutMs} ms`, { cause: err });
  const code = (err as NodeJS.ErrnoException).code;
  return new RegistryUnavailable(`schema registry not reachable${code ? ` (${code})` : ''}`, { cause: err });
}

function asSchema(raw: unknown, subject: string): RegisteredSchema {
  const r = raw as Partial<Record<keyof RegisteredSchema, unknown>> | undefined;
  if (!r || typeof r.id !== 'number' || typeof r.version !== 'number' || typeof r.schema !== 'string') {
    throw new RegistryUnavailable(`unexpected answer for subject ${subject}`);
  }
  const type = r.schemaType === undefined ? 'AVRO' : r.schemaType;
  if (type !== 'AVRO' && type !== 'JSON' && type !== 'PROTOBUF') throw new RegistryUnavailable(`unknown schemaType ${String(type)}`);
  return { subject, version: r.version, id: r.id, schema: r.schema, schemaType: type };
}

/** The client for the gateway's typed SCHEMA_REGISTRY_* settings (the gateway and `npm run schemas:push` alike). */
export function registryClientFor(settings: SchemaRegistrySettings): RegistryClient {
  return createRegistryClient({
    url: settings.url,
    basicAuthUserInfo: settings.basicAuthUserInfo?.reveal(),
    bearerToken: settings.bearerToken?.reveal(),
    ca: settings.ca,
    timeoutMs: settings.timeoutMs,
  });
}
