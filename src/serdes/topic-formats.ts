import { compileTopicPatterns, topicPatternProblem } from '../access/topic-glob.js';
import type { RegistryFormat, ValueFormat } from './codec.js';

/** One entry of TOPIC_VALUE_FORMATS: `<topic glob>=<format>[:<record name>]`. */
export interface TopicFormatRule {
  pattern: string;
  format: ValueFormat;
  /** The record's full name, for RecordNameStrategy and TopicRecordNameStrategy (e.g. com.acme.Order). */
  recordName?: string;
}

const FORMATS: readonly ValueFormat[] = ['json', 'jsonschema', 'avro', 'protobuf'];
const RECORD_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Parses TOPIC_VALUE_FORMATS; a problem is returned as text naming the entry (the config names the variable). */
export function parseTopicFormats(text: string): { rules: TopicFormatRule[] } | { problem: string } {
  const rules: TopicFormatRule[] = [];
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const eq = entry.indexOf('=');
    if (eq < 1) return { problem: `${JSON.stringify(entry)}: expected <topic glob>=<format>, e.g. orders.*=avro` };
    const pattern = entry.slice(0, eq).trim();
    const [format, recordName, ...rest] = entry.slice(eq + 1).trim().split(':');
    const problem = topicPatternProblem(pattern);
    if (problem) return { problem: `${JSON.stringify(entry)}: ${problem}` };
    if (!FORMATS.includes(format as ValueFormat)) return { problem: `${JSON.stringify(entry)}: the format must be one of ${FORMATS.join(', ')}` };
    if (rest.length > 0 || (recordName !== undefined && !RECORD_NAME.test(recordName))) {
      return { problem: `${JSON.stringify(entry)}: a record name is a dotted name such as com.acme.Order` };
    }
    if (recordName !== undefined && format === 'json') return { problem: `${JSON.stringify(entry)}: json takes no record name` };
    rules.push({ pattern, format: format as ValueFormat, ...(recordName === undefined ? {} : { recordName }) });
  }
  return { rules };
}

export interface TopicFormat {
  format: RegistryFormat;
  recordName: string | undefined;
}

/** Topic → its registry format, or undefined for plain JSON. The first rule that matches wins. */
export type TopicFormats = (topic: string) => TopicFormat | undefined;

/** Topics looked up are remembered up to this many (topic names come from clients). */
const MAX_REMEMBERED = 10_000;

export function compileTopicFormats(rules: readonly TopicFormatRule[]): TopicFormats {
  const compiled = rules.map((r) => ({
    matcher: compileTopicPatterns([r.pattern]),
    value: r.format === 'json' ? undefined : { format: r.format, recordName: r.recordName },
  }));
  const seen = new Map<string, TopicFormat | undefined>();
  return (topic) => {
    if (seen.has(topic)) return seen.get(topic);
    const value = compiled.find((c) => c.matcher.matches(topic))?.value;
    if (seen.size < MAX_REMEMBERED) seen.set(topic, value);
    return value;
  };
}
