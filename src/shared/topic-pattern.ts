/** A topic pattern (keys files, TOPIC_ALLOW) is a topic name that may hold `*`: Kafka's legal characters plus the wildcard. */
export const TOPIC_PATTERN = /^[a-zA-Z0-9._*-]{1,249}$/;

/** The rule in words, for the messages of every reader of patterns. */
export const TOPIC_PATTERN_RULE = '1-249 characters of a-z, A-Z, 0-9, ".", "_", "-" and "*"';
