import { ConfigError, type SchemaRegistrySettings } from '../config/config.js';
import type { RegistryFormat } from './codec.js';
import { registryClientFor } from './registry-client.js';
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

/**
 * The serdes room's one entry point: the registry client, the schema cache and the encoder, built once.
 * `ownTopics` are the gateway's own topics by setting name (STATUS_TOPIC, DEAD_LETTER_TOPIC): they stay
 * JSON (the status view reads its topic back; dead letters are JSON by design), so a TOPIC_VALUE_FORMATS
 * that gives one a registry format stops start-up.
 */
export function startSerdes(
  settings: SchemaRegistrySettings,
  log: SerdesLog,
  hooks: { observer?: SerdesObserver | undefined; onFailure?: ((format: RegistryFormat, code: string) => void) | undefined } = {},
  ownTopics: Record<string, string | undefined> = {},
): Serdes {
  const formats = compileTopicFormats(settings.topicFormats);
  const taken = Object.entries(ownTopics).flatMap(([name, topic]) => {
    const format = topic === undefined ? undefined : formats(topic);
    return format ? [`TOPIC_VALUE_FORMATS: gives ${name} ${JSON.stringify(topic)} the format ${format.format}; the gateway's own topics stay JSON (list ${topic}=json first, or narrow the glob)`] : [];
  });
  if (taken.length > 0) throw new ConfigError(taken);
  const client = registryClientFor(settings);
  const source = createSchemaSource({ client, ttlMs: settings.cacheTtlMs, log, observer: hooks.observer });
  source.startProbe(PROBE_INTERVAL_MS);
  const encoder = createValueEncoder({
    formats,
    strategy: settings.subjectNameStrategy,
    source,
    onFailure: hooks.onFailure,
  });
  return { encoder, reachable: () => source.reachable(), close: () => source.close() };
}
