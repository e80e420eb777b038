import { timingSafeEqual } from 'node:crypto';
import { formatSignature, hmacDigest } from '../shared/hmac-signature.js';

/** X-Kgate-Signature: t=<unix seconds>,v1=<64 hex digits>, as in Stripe's webhook signatures. */
const HEADER = /^t=(\d{1,12}),\s*v1=([0-9a-fA-F]{64})$/;

export interface SignatureHeader {
  timestamp: number;
  digest: Buffer;
}

/**
 * What a signature covers: the method and the request target (path and query, exactly as sent)
 * besides the body, so a signature made for one request opens no other (a signature over an empty
 * body used to open every GET for the whole tolerance window).
 */
export interface SignedRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** The request target as sent: path and query, e.g. "/topics/orders/events?from=earliest". */
  target: string;
  body: Buffer;
}

/** undefined when the header does not have the documented shape. */
export function parseSignatureHeader(value: string): SignatureHeader | undefined {
  const m = HEADER.exec(value.trim());
  if (!m) return undefined;
  return { timestamp: Number(m[1]), digest: Buffer.from(m[2]!, 'hex') };
}

/** HMAC-SHA256(secret, "<t>.<METHOD>.<path?query>.<raw body bytes>"): what a client signs. */
export function signatureDigest(secret: Buffer | string, timestamp: number, request: SignedRequest): Buffer {
  return hmacDigest(secret, timestamp, request.body, `${request.method}.${request.target}.`);
}

/** Constant-time check of a parsed header against the exact request received. */
export function signatureMatches(secret: Buffer, header: SignatureHeader, request: SignedRequest): boolean {
  return timingSafeEqual(signatureDigest(secret, header.timestamp, request), header.digest);
}

/** The header value for a request: used by tests, the benchmark and as the reference for clients. */
export function signRequest(secret: Buffer | string, timestamp: number, request: { method: string; target: string; body?: Buffer | string }): string {
  const body = request.body === undefined ? Buffer.alloc(0) : typeof request.body === 'string' ? Buffer.from(request.body) : request.body;
  return formatSignature(timestamp, signatureDigest(secret, timestamp, { method: request.method.toUpperCase(), target: request.target, body }));
}
