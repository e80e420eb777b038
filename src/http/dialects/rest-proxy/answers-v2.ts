import type { ErrorCode } from '../../../errors/codes.js';
import type { GatewayError } from '../../../errors/gateway-error.js';
import type { ItemOutcome } from '../../../pipeline/types.js';
import { retryAfterFor } from '../../error-handler.js';
import { eventualOutcomes, sharedError, type ProduceAnswer } from '../../routes/produce-answers.js';

export const V2_TYPE = 'application/vnd.kafka.v2+json';

/**
 * kgate's codes as the REST Proxy's `error_code`s (its Errors.java and the v2 API reference):
 * 40401 topic not found, 40402 partition not found, 40301 not authorised, 42206 invalid payload,
 * 42203 a value its schema cannot encode ("Conversion of JSON to Avro failed"), 40403 schema not
 * found (the registry's code, which the REST Proxy passes on), 50002 Kafka error, 50003 retriable
 * Kafka error. The rest carry their HTTP status, as the Bridge does for all of its errors.
 */
const ERROR_CODES: Partial<Record<ErrorCode, number>> = {
  UNKNOWN_TOPIC: 40401,
  UNKNOWN_PARTITION: 40402,
  TOPIC_FORBIDDEN: 40301,
  SCHEMA_VALIDATION_FAILED: 42206,
  VALUE_NOT_JSON: 42206,
  UNKNOWN_SCHEMA_VERSION: 42206,
  TOPIC_NOT_REGISTERED: 42206,
  MESSAGE_TOO_DEEP: 42206,
  VALUE_DOES_NOT_FIT_SCHEMA: 42203,
  UNKNOWN_SCHEMA: 40403,
  MESSAGE_TOO_LARGE: 50002,
  RECORD_REJECTED: 50002,
};

export function restErrorCode(error: GatewayError): number {
  return ERROR_CODES[error.code] ?? (error.retriable && error.status >= 500 ? 50003 : error.status);
}

/**
 * HTTP status of a request-level refusal: the REST Proxy's and the Bridge's choices where they
 * document them (422 for an invalid record list, 404 unknown topic), kgate's otherwise.
 */
export function restStatus(error: GatewayError): number {
  switch (error.code) {
    case 'INVALID_BODY':
    case 'MISSING_FIELD':
    case 'INVALID_FIELD':
    case 'INVALID_KEY':
    case 'INVALID_PARTITION':
    case 'INVALID_HEADERS':
    case 'EMPTY_BATCH':
      return 422;
    default:
      return error.status;
  }
}

/** The REST Proxy's error body, plus kgate's `code` (match on error_code; code says more). */
export function restErrorAnswer(error: GatewayError, contentType: string): ProduceAnswer {
  const status = restStatus(error);
  return {
    status,
    headers: { 'Content-Type': contentType, ...retryAfterFor(status) },
    body: { error_code: status === 422 && error.status === 400 ? 42206 : restErrorCode(error), message: error.message, code: error.code },
  };
}

/**
 * 200 with one `offsets` entry per record, in record order: partition and offset, or a failed
 * record's error_code and error (also as `message`, the Bridge's name for it). When no record was
 * written, all for one reason, the request fails with that reason (a topic that does not exist is
 * a 404, Kafka down a 503 with Retry-After), as both proxies answer a request they could not serve.
 */
export function offsetsAnswer(outcomes: ItemOutcome[], contentType: string): ProduceAnswer {
  const answer = offsetsAnswerNow(outcomes, contentType);
  const eventual = eventualOutcomes(outcomes);
  if (eventual) answer.eventual = eventual.then((settled) => offsetsAnswerNow(settled, contentType));
  return answer;
}

/** Refusals about the request rather than one record's content: when every record failed for one of them, the request fails. */
const REQUEST_REASONS = new Set<ErrorCode>(['UNKNOWN_TOPIC', 'TOPIC_FORBIDDEN', 'VALUE_FORMAT_MISMATCH', 'UNKNOWN_SCHEMA', 'UNKNOWN_SUBJECT']);

function offsetsAnswerNow(outcomes: ItemOutcome[], contentType: string): ProduceAnswer {
  const shared = sharedError(outcomes);
  if (shared && (REQUEST_REASONS.has(shared.code) || shared.status >= 500)) return restErrorAnswer(shared, contentType);
  // The registry schema the values were encoded with (one per request in practice: the subject's latest, or the pinned one).
  const schemaId = outcomes.find((o) => o.success && o.schemaId !== undefined);
  const retryLater = outcomes.some((o) => !o.success && o.error.status >= 503);
  return {
    status: 200,
    headers: { 'Content-Type': contentType, ...(retryLater ? retryAfterFor(503) : {}) },
    body: {
      key_schema_id: null,
      value_schema_id: schemaId?.success ? (schemaId.schemaId ?? null) : null,
      offsets: outcomes.map((o) =>
        o.success
          ? { partition: o.partition, offset: o.offset, error_code: null, error: null }
          : { partition: null, offset: null, error_code: restErrorCode(o.error), error: o.error.message, message: o.error.message, code: o.error.code },
      ),
    },
  };
}
