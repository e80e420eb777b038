import Kafka from 'node-rdkafka';
import { GatewayError } from '../errors/gateway-error.js';
import type { ErrorCode } from '../errors/codes.js';

const c = Kafka.CODES.ERRORS;

/**
 * Where a failure happened decides what it means:
 * - 'refused': produce() threw, librdkafka never took the message. Nothing was written; a retry is safe.
 * - 'reported': a delivery report after hand-over. Only a definite refusal (the broker or librdkafka
 *   says the record cannot be written) is an answer; anything else (timeouts, transport errors,
 *   "not enough in-sync replicas after append", purges) may have been written: the outcome is unknown.
 */
export type FailureStage = 'refused' | 'reported';

// Definite refusals: the same whether thrown or reported, and never written.
const definite = new Map<number, ErrorCode>([
  [c.ERR__UNKNOWN_PARTITION, 'UNKNOWN_PARTITION'],
  [c.ERR__UNKNOWN_TOPIC, 'UNKNOWN_TOPIC'],
  [c.ERR_UNKNOWN_TOPIC_OR_PART, 'UNKNOWN_TOPIC'],
  [c.ERR_MSG_SIZE_TOO_LARGE, 'MESSAGE_TOO_LARGE'],
  [c.ERR_INVALID_MSG_SIZE, 'MESSAGE_TOO_LARGE'],
  [c.ERR_RECORD_LIST_TOO_LARGE, 'MESSAGE_TOO_LARGE'],
  [c.ERR_TOPIC_EXCEPTION, 'INVALID_TOPIC'],
  [c.ERR_INVALID_RECORD, 'RECORD_REJECTED'],
  [c.ERR_POLICY_VIOLATION, 'RECORD_REJECTED'],
  [c.ERR_TOPIC_AUTHORIZATION_FAILED, 'RECORD_REJECTED'],
]);

// Only produce() throws these: the message was refused before hand-over.
const beforeHandOver = new Map<number, ErrorCode>([
  [c.ERR__QUEUE_FULL, 'QUEUE_FULL'],
  [c.ERR__ALL_BROKERS_DOWN, 'KAFKA_UNAVAILABLE'],
  [c.ERR__TRANSPORT, 'KAFKA_UNAVAILABLE'],
  [c.ERR__DESTROY, 'SHUTTING_DOWN'],
  [c.ERR__FATAL, 'KAFKA_UNAVAILABLE'],
]);

// node-rdkafka 3.6.1 hands delivery-report errors to JavaScript as the error's text only (code
// -1; src/callbacks.cc builds them with Nan::Error(error_string)), e.g. "Local: Message timed out"
// and "Local: Unknown partition" (both measured). For those the text is all there is to go on,
// and only definite refusals are recognised: any other text is an unknown outcome.
const definiteText: Array<[RegExp, ErrorCode]> = [
  [/unknown partition/i, 'UNKNOWN_PARTITION'],
  [/unknown topic/i, 'UNKNOWN_TOPIC'],
  [/too large|message size/i, 'MESSAGE_TOO_LARGE'],
  [/topic exception|invalid topic/i, 'INVALID_TOPIC'],
  // ERR_INVALID_RECORD reaches JS as "broker failed to validate record" (measured: a keyless record to a compacted topic).
  [/invalid record|failed to validate record|policy violation|authori[sz]ation failed|corrupt/i, 'RECORD_REJECTED'],
];
const refusedText: Array<[RegExp, ErrorCode]> = [
  [/queue full/i, 'QUEUE_FULL'],
  [/destroy/i, 'SHUTTING_DOWN'],
];

const fieldOf: Partial<Record<ErrorCode, string>> = { UNKNOWN_PARTITION: 'partition', UNKNOWN_TOPIC: 'topic', MESSAGE_TOO_LARGE: 'message' };

interface RdKafkaLikeError {
  code?: number;
  message?: string;
}

function byText(table: Array<[RegExp, ErrorCode]>, text: string): ErrorCode | undefined {
  return table.find(([pattern]) => pattern.test(text))?.[1];
}

/** The code a librdkafka failure means at its stage (see FailureStage). */
export function classify(rd: RdKafkaLikeError, stage: FailureStage): ErrorCode {
  const text = typeof rd.message === 'string' ? rd.message : '';
  const code = typeof rd.code === 'number' ? rd.code : undefined;
  const known = (code === undefined ? undefined : definite.get(code)) ?? byText(definiteText, text);
  if (known) return known;
  if (stage === 'reported') return 'DELIVERY_OUTCOME_UNKNOWN';
  // Not handed over: whatever it was, the message is not in Kafka, so the refusal is a 503.
  return (code === undefined ? undefined : beforeHandOver.get(code)) ?? byText(refusedText, text) ?? 'KAFKA_UNAVAILABLE';
}

/** Turns a librdkafka error (thrown by produce() or carried by a delivery report) into a GatewayError. */
export function toGatewayError(err: unknown, stage: FailureStage = 'refused'): GatewayError {
  if (err instanceof GatewayError) return err;
  const rd = (err ?? {}) as RdKafkaLikeError;
  const reason = typeof rd.message === 'string' && rd.message ? rd.message : 'unknown librdkafka error';
  const code = classify(rd, stage);
  // The librdkafka message names the condition ("Local: Queue full"); it holds no payload data.
  const field = fieldOf[code];
  return new GatewayError(code, undefined, { cause: err, info: { kafka_error: reason }, ...(field ? { field } : {}) });
}

/** What a retried, idempotent send acknowledged as a duplicate carries instead of an offset. */
export const OFFSET_UNKNOWN_REASON = 'acknowledged as a duplicate of a retried send; the record is in Kafka once';

/** librdkafka reports -1001 (RD_KAFKA_OFFSET_INVALID) when it has no offset; any negative is not one. */
export function offsetOf(raw: unknown): number | null {
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}
