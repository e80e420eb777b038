import type { ConsumedRecord } from '../../kafka/consumed-record.js';

export type ValueEncoding = 'json' | 'string' | 'base64';

/** Bytes → text only when they are valid UTF-8; otherwise the caller falls back to base64. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeText(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * A consumed record as the tail sends it: the value JSON-parsed when it is JSON, else the text
 * when it is UTF-8, else base64; `value_encoding` says which, so a client never has to guess.
 */
export function recordJson(r: ConsumedRecord): Record<string, unknown> {
  let value: unknown = null;
  let encoding: ValueEncoding | null = null;
  if (r.value) {
    const text = decodeText(r.value);
    if (text === undefined) {
      value = r.value.toString('base64');
      encoding = 'base64';
    } else {
      try {
        value = JSON.parse(text);
        encoding = 'json';
      } catch {
        value = text;
        encoding = 'string';
      }
    }
  }
  const key = r.key ? (decodeText(r.key) ?? r.key.toString('base64')) : null;
  return {
    topic: r.topic,
    partition: r.partition,
    offset: r.offset,
    key,
    headers: r.headers.map((h) => ({ key: h.key, value: decodeText(h.value) ?? h.value.toString('base64') })),
    timestamp: r.timestampMs === undefined ? null : new Date(r.timestampMs).toISOString(),
    value,
    value_encoding: encoding,
  };
}
