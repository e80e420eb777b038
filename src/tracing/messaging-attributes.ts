// OpenTelemetry semantic conventions used by kgate's spans. The messaging ones are still "incubating",
// and the semantic-conventions package advises copying incubating names rather than importing its
// unstable entry point: these are the names of semantic conventions 1.3x.
export const MESSAGING_SYSTEM = 'messaging.system';
export const MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
export const MESSAGING_OPERATION_NAME = 'messaging.operation.name';
export const MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
export const MESSAGING_DESTINATION_PARTITION_ID = 'messaging.destination.partition.id';
export const MESSAGING_KAFKA_MESSAGE_KEY = 'messaging.kafka.message.key';
export const MESSAGING_KAFKA_OFFSET = 'messaging.kafka.offset';
export const MESSAGING_BATCH_MESSAGE_COUNT = 'messaging.batch.message_count';
export const MESSAGING_CLIENT_ID = 'messaging.client.id';

// kgate's own (no convention covers them).
export const KGATE_REQUEST_ID = 'kgate.request_id';
/** true on a producer span answered 504 DELIVERY_OUTCOME_UNKNOWN: the record may or may not be written. */
export const KGATE_OUTCOME_UNKNOWN = 'kgate.delivery.outcome_unknown';
/** On a 504's producer span, set when the late delivery report comes: `written`, or the error code. */
export const KGATE_LATE_OUTCOME = 'kgate.delivery.late_outcome';
export const KGATE_ORIGINAL_TOPIC = 'kgate.original_topic';

/** Events on the server span. */
export const EVENT_MESSAGE_REFUSED = 'kgate.message.refused';
export const EVENT_MESSAGE_DEAD_LETTERED = 'kgate.message.dead_lettered';
