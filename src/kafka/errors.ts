import Kafka from 'node-rdkafka';
import { GatewayError } from '../errors/gateway-error.js';
import type { ErrorCode } from '../errors/codes.js';

const c = Kafka.CODES.ERRORS;

// librdkafka error codes → our codes. Anything not listed is KAFKA_ERROR (502, retriable),
// explicitly, so an unknown code never turns into an undefined status.
const table = new Map<number, ErrorCode>([
  [c.ERR__QUEUE_FULL, 'QUEUE_FULL'],
  [c.ERR__MSG_TIMED_OUT, 'DELIVERY_TIMEOUT'],
  [c.ERR__TIMED_OUT, 'DELIVERY_TIMEOUT'],
  [c.ERR_REQUEST_TIMED_OUT, 'DELIVERY_TIMEOUT'],
  [c.ERR__ALL_BROKERS_DOWN, 'KAFKA_UNAVAILABLE'],
  [c.ERR__TRANSPORT, 'KAFKA_UNAVAILABLE'],
  [c.ERR__DESTROY, 'SHUTTING_DOWN'],
  [c.ERR__UNKNOWN_PARTITION, 'UNKNOWN_PARTITION'],
  [c.ERR__UNKNOWN_TOPIC, 'UNKNOWN_TOPIC'],
  [c.ERR_UNKNOWN_TOPIC_OR_PART, 'UNKNOWN_TOPIC'],
  [c.ERR_MSG_SIZE_TOO_LARGE, 'MESSAGE_TOO_LARGE'],
  [c.ERR_INVALID_MSG_SIZE, 'MESSAGE_TOO_LARGE'],
  [c.ERR_RECORD_LIST_TOO_LARGE, 'MESSAGE_TOO_LARGE'],
  [c.ERR_TOPIC_EXCEPTION, 'INVALID_TOPIC'],
]);

// Failures that are about one field of the item, so the client is told which.
const fieldOf: Partial<Record<ErrorCode, string>> = { UNKNOWN_PARTITION: 'partition', UNKNOWN_TOPIC: 'topic', MESSAGE_TOO_LARGE: 'message' };

// node-rdkafka 3.6.1 hands delivery-report errors to JavaScript as the error's text only (code
// -1; src/callbacks.cc builds them with Nan::Error(error_string)), e.g. "message timed out" and
// "unknown partition" (both measured). For those the text is all there is to go on.
const textTable: Array<[RegExp, ErrorCode]> = [
  [/timed out/i, 'DELIVERY_TIMEOUT'],
  [/unknown partition/i, 'UNKNOWN_PARTITION'],
  [/unknown topic/i, 'UNKNOWN_TOPIC'],
  [/too large|message size/i, 'MESSAGE_TOO_LARGE'],
  [/queue full/i, 'QUEUE_FULL'],
  [/brokers down|transport|connection refused/i, 'KAFKA_UNAVAILABLE'],
  [/purged|destroy/i, 'SHUTTING_DOWN'],
];

function codeFromText(text: string): ErrorCode | undefined {
  return textTable.find(([pattern]) => pattern.test(text))?.[1];
}

interface RdKafkaLikeError {
  code?: number;
  message?: string;
}

/** Turns a librdkafka error (thrown by produce() or carried by a delivery report) into a GatewayError. */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  const rd = (err ?? {}) as RdKafkaLikeError;
  const reason = typeof rd.message === 'string' && rd.message ? rd.message : 'unknown librdkafka error';
  let code: ErrorCode = typeof rd.code === 'number' ? (table.get(rd.code) ?? 'KAFKA_ERROR') : 'KAFKA_ERROR';
  if (code === 'KAFKA_ERROR') code = codeFromText(reason) ?? code;
  // The librdkafka message names the condition ("Local: Queue full"); it holds no payload data.
  const field = fieldOf[code];
  return new GatewayError(code, undefined, { cause: err, info: { kafka_error: reason }, ...(field ? { field } : {}) });
}
