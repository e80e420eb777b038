import { TOPIC_PATTERN, TOPIC_PATTERN_RULE } from '../shared/topic-pattern.js';

/** The value formats a topic can have (TOPIC_VALUE_FORMATS); json is today's plain JSON, no registry. */
export type ValueFormat = 'json' | 'jsonschema' | 'avro' | 'protobuf';
export type RegistryFormat = Exclude<ValueFormat, 'json'>;

/** Confluent's subject name strategies, under the names its serializers give them. */
export type SubjectNameStrategy = 'TopicNameStrategy' | 'RecordNameStrategy' | 'TopicRecordNameStrategy';
export const SUBJECT_NAME_STRATEGIES = ['TopicNameStrategy', 'RecordNameStrategy', 'TopicRecordNameStrategy'] as const satisfies readonly SubjectNameStrategy[];

/** One entry of TOPIC_VALUE_FORMATS: `<topic glob>=<format>[:<record name>]`. */
export interface TopicFormatRule {
  pattern: string;
  format: ValueFormat;
  /** The record's full name, for RecordNameStrategy and TopicRecordNameStrategy (e.g. com.acme.Order). */
  recordName?: string;
}

const FORMATS: readonly ValueFormat[] = ['json', 'jsonschema', 'avro', 'protobuf'];
const RECORD_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Parses TOPIC_VALUE_FORMATS; a problem is returned as text naming the entry (the caller names the variable). */
export function parseTopicFormats(text: string): { rules: TopicFormatRule[] } | { problem: string } {
  const rules: TopicFormatRule[] = [];
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const eq = entry.indexOf('=');
    if (eq < 1) return { problem: `${JSON.stringify(entry)}: expected <topic glob>=<format>, e.g. orders.*=avro` };
    const pattern = entry.slice(0, eq).trim();
    const [format, recordName, ...rest] = entry.slice(eq + 1).trim().split(':');
    if (!TOPIC_PATTERN.test(pattern)) return { problem: `${JSON.stringify(entry)}: a topic pattern is ${TOPIC_PATTERN_RULE}` };
    if (!FORMATS.includes(format as ValueFormat)) return { problem: `${JSON.stringify(entry)}: the format must be one of ${FORMATS.join(', ')}` };
    if (rest.length > 0 || (recordName !== undefined && !RECORD_NAME.test(recordName))) {
      return { problem: `${JSON.stringify(entry)}: a record name is a dotted name such as com.acme.Order` };
    }
    if (recordName !== undefined && format === 'json') return { problem: `${JSON.stringify(entry)}: json takes no record name` };
    rules.push({ pattern, format: format as ValueFormat, ...(recordName === undefined ? {} : { recordName }) });
  }
  return { rules };
}
