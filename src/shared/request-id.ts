import { randomUUID } from 'node:crypto';

/**
 * Request ids the gateway keeps (X-Request-Id) and accepts in URLs, keys and subscriptions: short and
 * plain, so they are safe in logs and Kafka headers. The OpenAPI document states the same rule.
 */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export function isRequestId(value: unknown): value is string {
  return typeof value === 'string' && REQUEST_ID_PATTERN.test(value);
}

/** The caller's X-Request-Id when it is acceptable, else a new UUID. */
export function requestIdOf(given: unknown): string {
  return isRequestId(given) ? given : randomUUID();
}
