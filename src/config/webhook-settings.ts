import { valueOrFile } from './secret-file.js';
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
  // The same <NAME>_FILE rule as the Kafka secrets: one of the two, one trailing newline dropped.
  const problems: string[] = [];
  const secret = valueOrFile('WEBHOOK_SECRET', e.WEBHOOK_SECRET, e.WEBHOOK_SECRET_FILE, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  if (e.WEBHOOK_SECRET_FILE !== undefined && secret !== undefined && secret.length < 16) {
    throw new ConfigError(['WEBHOOK_SECRET_FILE: the secret must be at least 16 characters']);
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
