import { GatewayError } from '../errors/gateway-error.js';
import type { RequestContext } from '../shared/request-context.js';

/**
 * The `status` field of the code-execution message itself, as seed 000's message format has it. The
 * same moment is `queued` in the status topic and in the answer (FIRST_STATUS, src/status/status-event.ts):
 * two published wire values (docs/schemas.md, docs/status.md), each named once.
 */
export const MESSAGE_STATUS = 'submitted';

/**
 * POST /submit-code's body {code, language, input_data?, user_id?} → the code-execution message
 * (seed 000, "Kafka Message Format"). Only the envelope is decided here: the gateway sets
 * request_id, timestamp and status (a client cannot forge them); whether code, language and the
 * rest are acceptable is the topic schema's call, in the pipeline, as for every other message.
 * Other fields are passed on so the schema can name them instead of their being dropped silently.
 */
export function submissionMessage(body: unknown, ctx: RequestContext): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GatewayError('INVALID_BODY', 'POST /submit-code takes a JSON object {code, language, input_data?, user_id?}');
  }
  // Rest/spread copy own data properties: a "__proto__" key stays a plain key for the schema to refuse.
  const { input_data: inputData, user_id: userId, request_id: _r, timestamp: _t, status: _s, ...rest } = body as Record<string, unknown>;
  return {
    request_id: ctx.requestId,
    ...rest,
    input_data: inputData ?? '',
    ...(userId === undefined || userId === null ? {} : { user_id: userId }),
    timestamp: ctx.receivedAt.toISOString(),
    status: MESSAGE_STATUS,
  };
}
