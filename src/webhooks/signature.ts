import { timingSafeEqual } from 'node:crypto';
import { formatSignature, hmacDigest } from '../shared/hmac-signature.js';

export const SIGNATURE_HEADER = 'X-Webhook-Signature';
export const WEBHOOK_ID_HEADER = 'X-Webhook-Id';

/** The gateway's one signature scheme (src/shared/hmac-signature.ts) over the webhook's body. */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  return formatSignature(unixSeconds, hmacDigest(secret, unixSeconds, body));
}

export interface VerifyOptions {
  nowSeconds?: number;
  /** Accepted clock distance between sender and receiver; 300 s like most webhook senders. */
  toleranceSeconds?: number;
}

/**
 * What a receiver does (docs/webhooks.md shows it standalone): parse, recompute, compare in
 * constant time, check the timestamp. Used by the tests; exported for receivers written in TS.
 */
export function verifyWebhookSignature(secret: string, body: string, header: string | undefined, options: VerifyOptions = {}): boolean {
  if (typeof header !== 'string' || header.length > 1024) return false;
  const parts = new Map<string, string[]>();
  for (const item of header.split(',')) {
    const eq = item.indexOf('=');
    if (eq <= 0) return false;
    const name = item.slice(0, eq).trim();
    parts.set(name, [...(parts.get(name) ?? []), item.slice(eq + 1).trim()]);
  }
  const t = parts.get('t')?.[0];
  if (t === undefined || !/^\d{1,12}$/.test(t)) return false;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(t)) > (options.toleranceSeconds ?? 300)) return false;
  const expected = hmacDigest(secret, Number(t), body);
  // Several v1 values are allowed, as while a secret is being rotated.
  return (parts.get('v1') ?? []).some((v) => {
    if (!/^[0-9a-f]{64}$/.test(v)) return false;
    return timingSafeEqual(Buffer.from(v, 'hex'), expected);
  });
}
