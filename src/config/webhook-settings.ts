import { readFileSync } from 'node:fs';
import { ConfigError } from './config-error.js';
import type { Env } from './schema.js';

export interface WebhookSettings {
  url: string;
  /** HMAC key: never logged, never shown by a status endpoint. */
  secret: string;
  maxAttempts: number;
  timeoutMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  queueMax: number;
  concurrency: number;
  consumerGroup: string;
  /** Terminal events whose record is older than this are not sent (a restart after a long outage). */
  maxEventAgeMs: number;
}

/** Cross-field rules of the webhook settings: a URL needs exactly one source of secret (no unsigned webhooks). */
export function webhookSettings(e: Env): WebhookSettings | undefined {
  if (e.WEBHOOK_SECRET !== undefined && e.WEBHOOK_SECRET_FILE !== undefined) {
    throw new ConfigError(['WEBHOOK_SECRET_FILE: set WEBHOOK_SECRET or WEBHOOK_SECRET_FILE, not both']);
  }
  let secret = e.WEBHOOK_SECRET;
  if (e.WEBHOOK_SECRET_FILE !== undefined) {
    try {
      // A trailing newline is an editor's, not part of the key.
      secret = readFileSync(e.WEBHOOK_SECRET_FILE, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new ConfigError([`WEBHOOK_SECRET_FILE: cannot read ${JSON.stringify(e.WEBHOOK_SECRET_FILE)} (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
    }
    if (secret.length < 16) throw new ConfigError(['WEBHOOK_SECRET_FILE: the secret must be at least 16 characters']);
  }
  if (e.WEBHOOK_URL === undefined) return undefined;
  if (secret === undefined) throw new ConfigError(['WEBHOOK_SECRET: required when WEBHOOK_URL is set (webhooks are always signed)']);
  if (e.WEBHOOK_BACKOFF_MAX_MS < e.WEBHOOK_BACKOFF_BASE_MS) {
    throw new ConfigError(['WEBHOOK_BACKOFF_MAX_MS: must be at least WEBHOOK_BACKOFF_BASE_MS']);
  }
  return {
    url: e.WEBHOOK_URL,
    secret,
    maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
    timeoutMs: e.WEBHOOK_TIMEOUT_MS,
    backoffBaseMs: e.WEBHOOK_BACKOFF_BASE_MS,
    backoffMaxMs: e.WEBHOOK_BACKOFF_MAX_MS,
    queueMax: e.WEBHOOK_QUEUE_MAX,
    concurrency: e.WEBHOOK_CONCURRENCY,
    consumerGroup: e.WEBHOOK_CONSUMER_GROUP,
    maxEventAgeMs: e.WEBHOOK_MAX_EVENT_AGE_S * 1000,
  };
}
