/**
 * Topic patterns in keys files and TOPIC_ALLOW. The rule, kept small on purpose:
 * a topic name is split into segments at "."; `*` stands for any run of characters (possibly none)
 * inside one segment and never crosses a "."; every other character matches itself.
 * So `orders.*` matches `orders.created` but neither `orders` nor `orders.eu.created`;
 * `*-events` matches `user-events`; `*` alone matches every topic without a ".".
 */
import { TOPIC_PATTERN, TOPIC_PATTERN_RULE } from './topic-pattern.js';

export function topicPatternProblem(pattern: string): string | undefined {
  if (!TOPIC_PATTERN.test(pattern)) return `a topic pattern is ${TOPIC_PATTERN_RULE}`;
  return undefined;
}

/** Compiled once at load: exact names in a Set, the globs in one anchored RegExp. */
export interface TopicMatcher {
  /** Names given without `*`: only these may reach a reserved topic. */
  readonly exact: ReadonlySet<string>;
  matches(topic: string): boolean;
}

export function compileTopicPatterns(patterns: readonly string[]): TopicMatcher {
  const exact = new Set<string>();
  const globs: string[] = [];
  for (const pattern of patterns) {
    const problem = topicPatternProblem(pattern);
    if (problem) throw new Error(`${JSON.stringify(pattern)}: ${problem}`);
    if (pattern.includes('*')) globs.push(pattern.split('*').map(escapeRegExp).join('[^.]*'));
    else exact.add(pattern);
  }
  const re = globs.length === 0 ? undefined : new RegExp(`^(?:${globs.join('|')})$`);
  return {
    exact,
    matches: re === undefined ? (topic) => exact.has(topic) : (topic) => exact.has(topic) || re.test(topic),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}
