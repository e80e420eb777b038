import { createHmac } from 'node:crypto';

/**
 * The one signature scheme of the gateway, both ways (signed requests in src/access/, webhooks out of
 * src/webhooks/), as in Stripe's: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. The
 * timestamp is inside the MAC, so refusing old timestamps also refuses a replayed request.
 * Parsing stays with each side: the gateway reads a client's header strictly (one v1); a webhook
 * receiver accepts several v1 values, as while a secret is being rotated.
 */
export function hmacDigest(secret: Buffer | string, timestamp: number, body: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

export function formatSignature(timestamp: number, digest: Buffer): string {
  return `t=${timestamp},v1=${digest.toString('hex')}`;
}
