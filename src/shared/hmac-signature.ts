import { createHmac } from 'node:crypto';

/**
 * The one signature scheme of the gateway, both ways (signed requests in src/access/, webhooks out of
 * src/webhooks/), as in Stripe's: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. The
 * timestamp is inside the MAC, so refusing old timestamps also refuses a replayed request.
 * Parsing stays with each side: the gateway reads a client's header strictly (one v1); a webhook
 * receiver accepts several v1 values, as while a secret is being rotated.
 */
export function hmacDigest(secret: Buffer | string, timestamp: number, body: Buffer | string, bound = ''): Buffer {
  // `bound`: what else the signature covers, between the timestamp and the body. Signed requests
  // bind their method and target there ("<METHOD>.<path?query>."), so one signature opens no other
  // request (src/access/signature.ts); webhooks sign "<t>.<body>" alone.
  return createHmac('sha256', secret).update(`${timestamp}.${bound}`).update(body).digest();
}

export function formatSignature(timestamp: number, digest: Buffer): string {
  return `t=${timestamp},v1=${digest.toString('hex')}`;
}
