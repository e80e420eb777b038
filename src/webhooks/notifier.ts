import type { WebhookLog } from './delivery.js';
import type { TerminalStatusEvent, WebhookPayload } from './payload.js';
import { webhookPayload } from './payload.js';

/** Statuses after which nothing more happens to a submission (docs/status.md). */
const TERMINAL = new Set(['PASSED', 'FAILED', 'completed', 'failed', 'timeout', 'cancelled']);
const MAX_TEXT_CHARS = 65_536;

export interface StatusRecord {
  value: Buffer | undefined;
  /** The record's timestamp (producer time unless the topic says log-append time). */
  timestampMs: number | undefined;
}

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
export function createNotifier(deps: NotifierDeps): (record: StatusRecord) => void {
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

/** A record's JSON value → a terminal status event, or undefined (not JSON, not a status, not terminal). */
export function terminalEvent(record: StatusRecord): TerminalStatusEvent | undefined {
  if (!record.value || record.value.length === 0) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(record.value.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const requestId = o['request_id'];
  const status = o['status'];
  if (typeof requestId !== 'string' || !/^[A-Za-z0-9._:-]{1,128}$/.test(requestId)) return undefined;
  if (typeof status !== 'string' || !TERMINAL.has(status)) return undefined;
  const updatedAt = typeof o['updated_at'] === 'string' ? o['updated_at'].slice(0, 64) : undefined;
  const event: TerminalStatusEvent = {
    request_id: requestId,
    status,
    updated_at: updatedAt ?? new Date(record.timestampMs ?? Date.now()).toISOString(),
  };
  const text = (x: unknown) => (typeof x === 'string' ? x.slice(0, MAX_TEXT_CHARS) : undefined);
  const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
  const output = text(o['output']);
  const errorOutput = text(o['error_output']);
  const executionTime = num(o['execution_time']);
  const memoryUsage = num(o['memory_usage']);
  if (output !== undefined) event.output = output;
  if (errorOutput !== undefined) event.error_output = errorOutput;
  if (executionTime !== undefined) event.execution_time = executionTime;
  if (memoryUsage !== undefined) event.memory_usage = memoryUsage;
  return event;
}
