import { GatewayError } from '../errors/gateway-error.js';
import { avroCodec } from './avro-codec.js';
import { CodecUnusable, schemaTypeOf, type Codec, type RegistryFormat } from './codec.js';
import { jsonSchemaCodec } from './json-schema-codec.js';
import { protobufCodec } from './protobuf-codec.js';
import { RegistryNotFound, RegistryUnavailable, type RegisteredSchema, type RegistryClient } from './registry-client.js';

/** The two log calls the room makes (winston's logger is one). */
export interface SerdesLog {
  warn(message: string, meta: Record<string, unknown>): unknown;
  error(message: string, meta: Record<string, unknown>): unknown;
}

/** A version fixed by the request instead of the subject's latest. */
export interface Pin {
  schemaId?: number;
  schemaVersion?: number;
}

/** Hooks for metrics; the source imports nothing from src/metrics/. */
export interface SerdesObserver {
  /** One lookup of a subject's schema: served from the cache (hit), asked of the registry (miss), or an expired entry kept because the registry did not answer (stale). */
  lookup(format: RegistryFormat, result: 'hit' | 'miss' | 'stale'): void;
  /** One call to the registry, by outcome. */
  registryCall(outcome: 'ok' | 'not_found' | 'unavailable'): void;
}

export interface SchemaSourceDeps {
  client: RegistryClient;
  ttlMs: number;
  log: SerdesLog;
  observer?: SerdesObserver | undefined;
  now?: () => number;
}

export interface SchemaSource {
  /** The codec of a subject's latest version, or of the pinned one: a plain value when cached, a promise when the registry must be asked. Throws (or rejects with) a GatewayError. */
  codec(subject: string, format: RegistryFormat, pin: Pin | undefined, recordName?: string): Codec | Promise<Codec>;
  /** Whether the registry answered its last call: undefined before the first. */
  reachable(): boolean | undefined;
  /** Asks the registry every intervalMs (for /ready and /health); unref'd. */
  startProbe(intervalMs: number): void;
  close(): void;
}

interface LatestEntry {
  codec?: Codec;
  expiresAt: number;
  refreshing?: Promise<Codec>;
}

/** How long an expired entry is kept, without asking again, once the registry failed to answer. */
const STALE_RETRY_MS = 5_000;
/** Pinned versions are immutable, so kept for good; this bounds how many (client-chosen keys). */
const MAX_PINNED = 10_000;

/**
 * The subjects' schemas as codecs, cached. Latest versions are kept for the TTL, then asked again
 * (one call per subject however many requests wait for it). When the registry does not answer, a
 * subject already cached keeps its last codec; an uncached one is refused 503 with Retry-After;
 * a subject the registry does not have is refused 422 at once. Codecs are compiled once per
 * schema id: a new version is compiled when first seen, an old one is never compiled twice.
 */
export function createSchemaSource(deps: SchemaSourceDeps): SchemaSource {
  const now = deps.now ?? Date.now;
  const latest = new Map<string, LatestEntry>();
  const pinned = new Map<string, Codec | Promise<Codec>>();
  // By schema id (and, for Protobuf, the message: one .proto may hold several).
  const byId = new Map<string, Codec>();
  let up: boolean | undefined;
  let probe: NodeJS.Timeout | undefined;

  async function ask<T>(call: () => Promise<T>): Promise<T> {
    try {
      const answer = await call();
      if (up === false) deps.log.warn('schema registry answers again', {});
      up = true;
      deps.observer?.registryCall('ok');
      return answer;
    } catch (err) {
      if (err instanceof RegistryNotFound) {
        up = true;
        deps.observer?.registryCall('not_found');
      } else {
        // Logged when it stops answering, not per request: an outage must not flood the log.
        if (up !== false) deps.log.warn('schema registry not answering', { reason: (err as Error).message });
        up = false;
        deps.observer?.registryCall('unavailable');
      }
      throw err;
    }
  }

  function compile(schema: RegisteredSchema, format: RegistryFormat, recordName: string | undefined): Codec {
    const key = format === 'protobuf' ? `${schema.id}\0${recordName ?? ''}` : String(schema.id);
    const known = byId.get(key);
    if (known && known.format === format) return known;
    if (schema.schemaType !== schemaTypeOf[format]) {
      throw new CodecUnusable(`subject ${schema.subject} holds a ${schema.schemaType} schema, but the topic's value format is ${format}`);
    }
    let codec: Codec;
    if (format === 'avro') codec = avroCodec(schema.id, schema.schema);
    else if (format === 'jsonschema') codec = jsonSchemaCodec(schema.id, schema.schema);
    else codec = protobufCodec(schema.id, schema.schema, recordName);
    byId.set(key, codec);
    return codec;
  }

  function refusal(err: unknown, subject: string, pin: Pin | undefined): GatewayError {
    if (err instanceof GatewayError) return err;
    if (err instanceof RegistryNotFound) {
      if (err.errorCode === 40401) {
        return new GatewayError('UNKNOWN_SUBJECT', `the schema registry has no subject "${subject}"`, { info: { subject } });
      }
      const what = pin?.schemaId !== undefined ? `schema_id ${pin.schemaId}` : `schema_version ${pin?.schemaVersion}`;
      return new GatewayError('UNKNOWN_SCHEMA', `${what} is not a version of subject "${subject}"`, {
        field: pin?.schemaId !== undefined ? 'schema_id' : 'schema_version',
        info: { subject },
      });
    }
    if (err instanceof RegistryUnavailable) {
      return new GatewayError('SCHEMA_REGISTRY_UNAVAILABLE', `the schema registry did not answer for subject "${subject}", which is not cached; not written, retry later`, {
        info: { subject },
      });
    }
    if (err instanceof CodecUnusable) {
      deps.log.error('registry schema cannot be used', { subject, reason: err.message });
      return new GatewayError('SCHEMA_UNUSABLE', `the registry's schema for subject "${subject}" cannot be used for this topic (see the gateway log)`, { info: { subject } });
    }
    return new GatewayError('INTERNAL', undefined, { cause: err });
  }

  function latestCodec(subject: string, format: RegistryFormat, recordName: string | undefined): Codec | Promise<Codec> {
    const entry = latest.get(subject);
    const t = now();
    if (entry?.codec && t < entry.expiresAt) {
      deps.observer?.lookup(format, 'hit');
      return entry.codec;
    }
    if (entry?.refreshing) return entry.refreshing;
    deps.observer?.lookup(format, 'miss');
    const current: LatestEntry = entry ?? { expiresAt: 0 };
    const refreshing = ask(() => deps.client.version(subject, 'latest'))
      .then((schema) => compile(schema, format, recordName))
      .then(
        (codec) => {
          current.codec = codec;
          current.expiresAt = now() + deps.ttlMs;
          delete current.refreshing;
          return codec;
        },
        (err: unknown) => {
          delete current.refreshing;
          if (err instanceof RegistryUnavailable && current.codec) {
            // Cached subjects keep working through a registry outage; asked again a little later.
            current.expiresAt = now() + Math.min(deps.ttlMs, STALE_RETRY_MS);
            deps.observer?.lookup(format, 'stale');
            return current.codec;
          }
          if (!current.codec || err instanceof RegistryNotFound) latest.delete(subject);
          throw refusal(err, subject, undefined);
        },
      );
    current.refreshing = refreshing;
    latest.set(subject, current);
    return refreshing;
  }

  function pinnedCodec(subject: string, format: RegistryFormat, pin: Pin, recordName: string | undefined): Codec | Promise<Codec> {
    const key = pin.schemaId !== undefined ? `${subject}\0id\0${pin.schemaId}` : `${subject}\0v\0${pin.schemaVersion}`;
    const known = pinned.get(key);
    if (known) {
      if (!(known instanceof Promise)) deps.observer?.lookup(format, 'hit');
      return known;
    }
    deps.observer?.lookup(format, 'miss');
    const fetching = ask(() => (pin.schemaId !== undefined ? deps.client.byId(pin.schemaId, subject) : deps.client.version(subject, pin.schemaVersion!)))
      .then((schema) => compile(schema, format, recordName))
      .then(
        (codec) => {
          if (pinned.size < MAX_PINNED) pinned.set(key, codec);
          else pinned.delete(key);
          return codec;
        },
        (err: unknown) => {
          pinned.delete(key);
          throw refusal(err, subject, pin);
        },
      );
    pinned.set(key, fetching);
    return fetching;
  }

  return {
    codec(subject, format, pin, recordName) {
      return pin === undefined ? latestCodec(subject, format, recordName) : pinnedCodec(subject, format, pin, recordName);
    },
    reachable: () => up,
    startProbe(intervalMs) {
      if (probe) return;
      const run = (): void => {
        ask(() => deps.client.ping()).catch(() => {});
      };
      run();
      probe = setInterval(run, intervalMs);
      probe.unref();
    },
    close() {
      if (probe) clearInterval(probe);
      probe = undefined;
      deps.client.close();
    },
  };
}
