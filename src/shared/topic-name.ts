// Kafka's own rule (clients/.../internals/Topic.java): 1–249 of [a-zA-Z0-9._-], not "." or "..".
const LEGAL = /^[a-zA-Z0-9._-]{1,249}$/;

export function topicNameProblem(name: string): string | undefined {
  if (!LEGAL.test(name)) return 'topic must be 1-249 characters of a-z, A-Z, 0-9, ".", "_" and "-"';
  if (name === '.' || name === '..') return 'topic cannot be "." or ".."';
  // Internal topics (__consumer_offsets, __transaction_state) are the broker's, not a producer's.
  if (name.startsWith('__')) return 'topic names starting with "__" are reserved for Kafka internal topics';
  return undefined;
}
