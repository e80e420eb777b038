import { toStatusEvent, type StatusEvent } from './status-event.js';
import type { EventPosition } from './status-view.js';

/** The parts of a status-topic record the view needs (the Kafka reader's record fits this shape). */
export interface StatusRecordLike {
  partition: number;
  offset: number;
  value: Buffer | null;
  timestampMs: number | undefined;
}

/** What any reader of the status topic (the view, the webhooks' notifier) needs to read an event from a record. */
export type StatusTopicRecord = Pick<StatusRecordLike, 'timestampMs'> & { value: Buffer | null | undefined };

/** Records larger than this are not status events anyone should keep in memory. */
const MAX_RECORD_BYTES = 1024 * 1024;

/**
 * A status-topic record's value → its status event, or undefined (no value, too large, not JSON, not
 * a status event). The record's timestamp stands in for an event without one. Every reader of the
 * status topic (the view, the webhooks) reads records with this one function.
 */
export function statusEventOf(record: StatusTopicRecord): StatusEvent | undefined {
  if (!record.value || record.value.length > MAX_RECORD_BYTES) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(record.value.toString('utf8'));
  } catch {
    return undefined;
  }
  const fallback = record.timestampMs === undefined ? undefined : new Date(record.timestampMs).toISOString();
  return toStatusEvent(value, fallback);
}

/**
 * A status-topic record → the event and where it sits, or undefined for what is not a status
 * event (a tombstone, junk, an unknown status): skipped, so one bad producer cannot stop the view.
 */
export function decodeStatusRecord(record: StatusRecordLike, replay: boolean): { event: StatusEvent; position: EventPosition } | undefined {
  const event = statusEventOf(record);
  if (!event) return undefined;
  const position: EventPosition = { partition: record.partition, offset: record.offset, replay };
  if (record.timestampMs !== undefined) position.timestampMs = record.timestampMs;
  return { event, position };
}
