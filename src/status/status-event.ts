import { isRequestId } from '../shared/request-id.js';
/**
 * A submission's status as workers publish it to the status topic (STATUS_TOPIC, keyed by
 * request id) and as the gateway pushes it to clients: one shape everywhere (docs/status.md).
 */
export interface StatusEvent {
  request_id: string;
  status: Status;
  detail?: string;
  output?: string;
  error_output?: string;
  /** Seconds, as the execution service reports it (seed 001). */
  execution_time?: number;
  /** Kilobytes, as the execution service reports it (seed 001). */
  memory_usage?: number;
  /** RFC 3339 time of the change, set by whoever published it. */
  updated_at: string;
}

/**
 * The seeds' vocabularies side by side: seed 000 (queued, submitted), seed 004 (PENDING,
 * PROCESSING, PASSED, FAILED) and seed 001 (completed, failed, timeout, cancelled). They are
 * kept as published rather than mapped onto one another, so a worker written against any seed works.
 */
export const STATUSES = [
  'queued',
  'submitted',
  'PENDING',
  'PROCESSING',
  'PASSED',
  'FAILED',
  'completed',
  'failed',
  'timeout',
  'cancelled',
] as const;

export type Status = (typeof STATUSES)[number];

/**
 * Statuses after which nothing more happens to a submission: the SSE stream closes and webhooks
 * fire. queued, submitted, PENDING and PROCESSING are not terminal.
 */
export const TERMINAL_STATUSES: ReadonlySet<Status> = new Set<Status>(['PASSED', 'FAILED', 'completed', 'failed', 'timeout', 'cancelled']);

const known: ReadonlySet<string> = new Set(STATUSES);

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && known.has(value);
}

export function isTerminal(status: string): boolean {
  return TERMINAL_STATUSES.has(status as Status);
}

/** The status the gateway records itself when POST /submit-code accepts a submission. */
export const FIRST_STATUS: Status = 'queued';


/** Bounds on text fields kept in memory, so one oversized record cannot swell the view. */
export const MAX_TEXT_CHARS = 65_536;
const MAX_SHORT_CHARS = 1024;

function text(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  return value.length > max ? value.slice(0, max) : value;
}

function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * A record's decoded JSON value → a StatusEvent with only the known fields, or undefined when it
 * is not one (no valid request_id, unknown status, no updated_at). Anything else a producer added
 * (source, server_time...) is dropped, so clients always see the documented shape.
 * `fallbackUpdatedAt` fills a missing updated_at (e.g. from the record's timestamp).
 */
export function toStatusEvent(value: unknown, fallbackUpdatedAt?: string): StatusEvent | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (!isRequestId(v['request_id']) || !isStatus(v['status'])) return undefined;
  const updatedAt = text(v['updated_at'], 64) ?? fallbackUpdatedAt;
  if (updatedAt === undefined) return undefined;
  const event: StatusEvent = { request_id: v['request_id'], status: v['status'], updated_at: updatedAt };
  const detail = text(v['detail'], MAX_SHORT_CHARS);
  const output = text(v['output'], MAX_TEXT_CHARS);
  const errorOutput = text(v['error_output'], MAX_TEXT_CHARS);
  const executionTime = finiteNumber(v['execution_time']);
  const memoryUsage = finiteNumber(v['memory_usage']);
  if (detail !== undefined) event.detail = detail;
  if (output !== undefined) event.output = output;
  if (errorOutput !== undefined) event.error_output = errorOutput;
  if (executionTime !== undefined) event.execution_time = executionTime;
  if (memoryUsage !== undefined) event.memory_usage = memoryUsage;
  return event;
}
