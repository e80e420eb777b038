import type { KafkaRecord } from '../kafka/producer.js';
import type { EnrichedItem } from './enrich.js';

/** Values are JSON text, UTF-8, unless a dialect gave the bytes; keys are the client's string as UTF-8 (or a dialect's bytes). */
export function serialise(enriched: EnrichedItem, receivedAt: Date): KafkaRecord {
  const record: KafkaRecord = {
    topic: enriched.item.topic,
    value: enriched.item.value ?? Buffer.from(JSON.stringify(enriched.body)),
    headers: enriched.headers,
    timestampMs: enriched.item.timestampMs ?? receivedAt.getTime(),
  };
  if (enriched.item.key !== undefined) record.key = enriched.item.key;
  if (enriched.item.partition !== undefined) record.partition = enriched.item.partition;
  return record;
}
