import { toStatusEvent, type StatusEvent } from './status-event.js';
import type { EventPosition } from './status-view.js';

/** The parts of a status-topic record the view needs (the Kafka reader's record fits this shape). */
export interface StatusRecordLike {
  partition: number;
  offset: number;
  value: Buffer | null;
  timestampMs: number | undefined;
}

/** Records larger than this are not status events anyone should keep in memory. */
const MAX_RECORD_BYTES = 1024 * 1024;

/**
 * A status-topic record → the event and where it sits, or undefined for what is not a status
 * event (a tombstone, junk, an unknown status): skipped, so one bad producer cannot stop the view.
 */
export function decodeStatusRecord(record: StatusRecordLike, replay: boolean): { event: StatusEvent; position: EventPosition } | undefined {
  if (!record.value || record.value.length > MAX_RECORD_BYTES) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(record.value.toString('utf8'));
  } catch {
    return undefined;
  }
  const fallback = record.timestampMs === undefined ? undefined : new Date(record.timestampMs).toISOString();
  const event = toStatusEvent(value, fallback);
  if (!event) return undefined;
  const position: EventPosition = { partition: record.partition, offset: record.offset, replay };
  if (record.timestampMs !== undefined) position.timestampMs = record.timestampMs;
  return { event, position };
}
