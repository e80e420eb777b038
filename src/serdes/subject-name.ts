import type { SubjectNameStrategy } from '../config/value-formats.js';

export type { SubjectNameStrategy } from '../config/value-formats.js';

/**
 * The subject a topic's values are looked up under: `<topic>-value` (TopicNameStrategy, the
 * default), `<record name>` or `<topic>-<record name>`. Confluent's serializers take the record
 * name from the schema they are given; kgate has no schema before the lookup, so the record name
 * comes with the topic's format (TOPIC_VALUE_FORMATS `orders=avro:com.acme.Order`).
 */
export function subjectName(strategy: SubjectNameStrategy, topic: string, recordName: string | undefined): string {
  if (strategy === 'TopicNameStrategy') return `${topic}-value`;
  if (recordName === undefined) throw new Error(`${strategy} needs a record name for topic ${topic}`);
  return strategy === 'RecordNameStrategy' ? recordName : `${topic}-${recordName}`;
}
