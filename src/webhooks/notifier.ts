import { isTerminal, type StatusEvent } from '../status/status-event.js';
import { statusEventOf, type StatusTopicRecord } from '../status/status-record.js';
import type { WebhookLog } from './delivery.js';
import { webhookPayload, type WebhookPayload } from './payload.js';

export interface NotifierDeps {
  enqueue: (payload: WebhookPayload) => boolean;
  /** Older terminal events are skipped: a group's first start or a restart after a long outage. */
  maxEventAgeMs: number;
  now?: () => number;
  log: Pick<WebhookLog, 'debug'>;
  /** Counts records skipped because they were older than maxEventAgeMs. */
  countStale?: () => void;
}

/** Status records → webhooks: only terminal statuses, only recent ones, one payload per record. */
export function createNotifier(deps: NotifierDeps): (record: StatusTopicRecord) => void {
  const now = deps.now ?? Date.now;
  return (record) => {
    const event = terminalEvent(record);
    if (!event) return;
    if (record.timestampMs !== undefined && now() - record.timestampMs > deps.maxEventAgeMs) {
      deps.countStale?.();
      deps.log.debug('webhook skipped: event older than WEBHOOK_MAX_EVENT_AGE_S', { request_id: event.request_id, status: event.status });
      return;
    }
    deps.enqueue(webhookPayload(event));
  };
}

/** A record's JSON value → a terminal status event, or undefined (not JSON, not a status event, not terminal). */
export function terminalEvent(record: StatusTopicRecord): StatusEvent | undefined {
  // The status room's reading of a record: the same fields, bounds and vocabulary as the view's.
  const event = statusEventOf(record);
  return event && isTerminal(event.status) ? event : undefined;
}
