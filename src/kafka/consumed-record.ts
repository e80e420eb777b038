/** One record as the gateway's readers hand it on: raw bytes, decoding is the reader's caller's business. */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Array<{ key: string; value: Buffer }>;
  /** Record timestamp, ms since the epoch; undefined when the broker has none. */
  timestampMs: number | undefined;
}

type RawHeader = Record<string, string | Buffer>;

export function toConsumedRecord(m: {
  topic: string;
  partition: number;
  offset: number;
  key?: Buffer | string | null | undefined;
  value: Buffer | null;
  headers?: RawHeader[] | undefined;
  timestamp?: number | undefined;
}): ConsumedRecord {
  const headers: ConsumedRecord['headers'] = [];
  for (const h of m.headers ?? []) {
    for (const [key, value] of Object.entries(h)) headers.push({ key, value: Buffer.isBuffer(value) ? value : Buffer.from(String(value)) });
  }
  return {
    topic: m.topic,
    partition: m.partition,
    offset: m.offset,
    key: m.key === undefined || m.key === null ? null : Buffer.isBuffer(m.key) ? m.key : Buffer.from(m.key),
    value: m.value,
    headers,
    timestampMs: typeof m.timestamp === 'number' && m.timestamp > 0 ? m.timestamp : undefined,
  };
}
