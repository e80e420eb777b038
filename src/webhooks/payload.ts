import { createHash } from 'node:crypto';
import type { StatusEvent } from '../status/status-event.js';

/** The fields of a status event a webhook carries (the status topic's shape, docs/status.md). */
export type TerminalStatusEvent = Pick<StatusEvent, 'request_id' | 'status' | 'output' | 'error_output' | 'execution_time' | 'memory_usage' | 'updated_at'>;

/** Seed 001's payload, with the status as the worker published it, plus an id to dedupe on. */
export interface WebhookPayload {
  event_id: string;
  submission_id: string;
  request_id: string;
  status: string;
  output: string | null;
  error_output: string | null;
  execution_time: number | null;
  memory_usage: number | null;
  completed_at: string;
}

/**
 * Deterministic from request id and terminal status, not from the record's offset: every replica,
 * every retry and a worker that republishes the same outcome all yield the same id, so a receiver
 * that remembers ids it has processed sees each outcome once.
 */
export function webhookEventId(requestId: string, status: string): string {
  return `evt_${createHash('sha256').update(`${requestId}\n${status}`).digest('hex').slice(0, 32)}`;
}

export function webhookPayload(event: TerminalStatusEvent): WebhookPayload {
  return {
    event_id: webhookEventId(event.request_id, event.status),
    // Seed 001 names it submission_id; the gateway's name for the same thing is request_id.
    submission_id: event.request_id,
    request_id: event.request_id,
    status: event.status,
    output: event.output ?? null,
    error_output: event.error_output ?? null,
    execution_time: event.execution_time ?? null,
    memory_usage: event.memory_usage ?? null,
    completed_at: event.updated_at,
  };
}
