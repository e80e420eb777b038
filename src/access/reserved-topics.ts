/**
 * Topics the gateway or its workers write for their own purposes. A client reaches one only when
 * its keys-file entry names that topic exactly (a glob never does): a forged dead letter or a
 * forged "completed" status would fool every reader of those topics.
 */
export interface ReservedTopicSources {
  /** DEAD_LETTER_TOPIC, when set. */
  deadLetterTopic?: string | undefined;
  /** STATUS_TOPIC: submission status events. */
  statusTopic: string;
}

export function reservedTopics(sources: ReservedTopicSources): ReadonlySet<string> {
  const topics = new Set<string>([sources.statusTopic]);
  if (sources.deadLetterTopic !== undefined) topics.add(sources.deadLetterTopic);
  return topics;
}
