import type { SchemaRegistrySettings } from '../config/config.js';
import type { RegistryFormat } from './codec.js';
import { createRegistryClient } from './registry-client.js';
import { createSchemaSource, type SchemaSource, type SerdesLog, type SerdesObserver } from './schema-source.js';
import { compileTopicFormats } from './topic-formats.js';
import { createValueEncoder, type ValueEncoder } from './value-encoder.js';

export interface Serdes {
  encoder: ValueEncoder;
  reachable: SchemaSource['reachable'];
  close(): void;
}

/** How often /ready's view of the registry is refreshed when no lookup happens. */
const PROBE_INTERVAL_MS = 10_000;

/** The serdes room's one entry point: the registry client, the schema cache and the encoder, built once. */
export function startSerdes(
  settings: SchemaRegistrySettings,
  log: SerdesLog,
  hooks: { observer?: SerdesObserver | undefined; onFailure?: ((format: RegistryFormat, code: string) => void) | undefined } = {},
): Serdes {
  const client = createRegistryClient({
    url: settings.url,
    basicAuthUserInfo: settings.basicAuthUserInfo?.reveal(),
    bearerToken: settings.bearerToken?.reveal(),
    ca: settings.ca,
    timeoutMs: settings.timeoutMs,
  });
  const source = createSchemaSource({ client, ttlMs: settings.cacheTtlMs, log, observer: hooks.observer });
  source.startProbe(PROBE_INTERVAL_MS);
  const encoder = createValueEncoder({
    formats: compileTopicFormats(settings.topicFormats),
    strategy: settings.subjectNameStrategy,
    source,
    onFailure: hooks.onFailure,
  });
  return { encoder, reachable: () => source.reachable(), close: () => source.close() };
}
