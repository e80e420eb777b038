import { isGatewayError } from '../errors/gateway-error.js';
import { EVENT_MESSAGE_DEAD_LETTERED, EVENT_MESSAGE_REFUSED, KGATE_ORIGINAL_TOPIC, MESSAGING_DESTINATION_NAME } from '../tracing/messaging-attributes.js';
import type { RequestSpans } from '../tracing/types.js';

// The pipeline's events on a request's server span (tracing on only). Attribute names follow the
// OpenTelemetry conventions (error.type, messaging.destination.name) so a backend can filter on them.

/** A message refused before hand-over (shape, permissions, schema): its code and, when known, its topic. */
export function refusalEvent(spans: RequestSpans, err: unknown, topic: string | undefined): void {
  const code = isGatewayError(err) ? err.code : 'INTERNAL';
  spans.event(EVENT_MESSAGE_REFUSED, topic === undefined ? { 'error.type': code } : { 'error.type': code, [MESSAGING_DESTINATION_NAME]: topic });
}

/** A refused message copied to the dead-letter topic. */
export function deadLetterEvent(spans: RequestSpans, deadLetterTopic: string, originalTopic: string, code: string): void {
  spans.event(EVENT_MESSAGE_DEAD_LETTERED, { [MESSAGING_DESTINATION_NAME]: deadLetterTopic, [KGATE_ORIGINAL_TOPIC]: originalTopic, 'error.type': code });
}
