import { compileTopicPatterns } from '../shared/topic-glob.js';
import type { RegistryFormat, TopicFormatRule } from '../config/value-formats.js';

export interface TopicFormat {
  format: RegistryFormat;
  recordName: string | undefined;
}

/** Topic → its registry format, or undefined for plain JSON. The first rule that matches wins. */
export type TopicFormats = (topic: string) => TopicFormat | undefined;

/** Topics looked up are remembered up to this many (topic names come from clients). */
const MAX_REMEMBERED = 10_000;

/** TOPIC_VALUE_FORMATS's rules (parsed by src/config/value-formats.ts), globs as in the keys file. */
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
