import { timingSafeEqual } from 'node:crypto';
import { formatSignature, hmacDigest } from '../shared/hmac-signature.js';

/** X-Kgate-Signature: t=<unix seconds>,v1=<64 hex digits>, as in Stripe's webhook signatures. */
const HEADER = /^t=(\d{1,12}),\s*v1=([0-9a-fA-F]{64})$/;

export interface SignatureHeader {
  timestamp: number;
  digest: Buffer;
}

/** undefined when the header does not have the documented shape. */
export function parseSignatureHeader(value: string): SignatureHeader | undefined {
  const m = HEADER.exec(value.trim());
  if (!m) return undefined;
  return { timestamp: Number(m[1]), digest: Buffer.from(m[2]!, 'hex') };
}

/** HMAC-SHA256(secret, "<t>.<raw body bytes>"): what a client signs. */
export function signatureDigest(secret: Buffer | string, timestamp: number, body: Buffer): Buffer {
  return hmacDigest(secret, timestamp, body);
}

/** Constant-time check of a parsed header against the exact bytes received. */
export function signatureMatches(secret: Buffer, header: SignatureHeader, body: Buffer): boolean {
  return timingSafeEqual(signatureDigest(secret, header.timestamp, body), header.digest);
}

/** The header value for a body: used by tests, the benchmark and as the reference for clients. */
export function signRequest(secret: Buffer | string, timestamp: number, body: Buffer | string): string {
  return formatSignature(timestamp, hmacDigest(secret, timestamp, body));
}
