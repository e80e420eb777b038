import type { Limits } from '../../../config/config.js';
import { GatewayError } from '../../../errors/gateway-error.js';
import { RESERVED_HEADER_PREFIX } from '../../../pipeline/enrich.js';
import type { ProduceItem } from '../../../pipeline/types.js';

/** The embedded formats of the v2 produce API: how `key` and `value` are written in the JSON body. */
export type EmbeddedFormat = 'json' | 'binary' | 'text';

const RECORD_FIELDS = new Set(['key', 'value', 'partition', 'headers', 'timestamp']);
/** Fields of the schema-registry formats (avro, jsonschema, protobuf): not supported, named in the refusal. */
const SCHEMA_FIELDS = ['key_schema', 'value_schema', 'key_schema_id', 'value_schema_id'];
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const MAX_PARTITION = 2_147_483_647;
const MAX_HEADER_NAME_BYTES = 255;

function invalid(field: string, detail: string): never {
  throw new GatewayError('INVALID_FIELD', detail, { field });
}

function bytesOf(value: unknown, format: EmbeddedFormat, field: string): Buffer {
  if (format === 'json') return Buffer.from(JSON.stringify(value));
  if (typeof value !== 'string') invalid(field, `"${field}" must be a ${format === 'binary' ? 'base64' : 'text'} string in the ${format} format`);
  if (format === 'text') return Buffer.from(value);
  if (value.length % 4 === 1 || !BASE64.test(value)) invalid(field, `"${field}" is not base64`);
  return Buffer.from(value, 'base64');
}

/** Bytes read as JSON for the topic's schema; undefined when they are not JSON (refused on a topic with a schema). */
function jsonOfBytes(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The body `{"records": [...]}` of POST /topics/{topic}, checked whole before anything is written:
 * the REST Proxy and the Bridge refuse an invalid record list as a whole (422), so one malformed
 * record fails the request, while a record the topic's schema refuses fails alone (in the pipeline).
 */
export function recordsOf(body: unknown, limits: Limits): unknown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new GatewayError('INVALID_BODY', 'the body is {"records": [...]}');
  for (const field of SCHEMA_FIELDS) {
    if (Object.hasOwn(body, field)) {
      throw new GatewayError('INVALID_FIELD', `"${field}": schema-registry formats (Avro, JSON Schema, Protobuf) are not supported; use the json, binary or text format`, { field });
    }
  }
  const records = (body as Record<string, unknown>)['records'];
  if (!Array.isArray(records)) throw new GatewayError('MISSING_FIELD', '"records" must be an array of records', { field: 'records' });
  if (records.length === 0) throw new GatewayError('EMPTY_BATCH', '"records" must hold at least one record');
  if (records.length > limits.batchItems) {
    throw new GatewayError('BATCH_TOO_LARGE', `${records.length} records; the limit is ${limits.batchItems}`, { info: { limit: limits.batchItems } });
  }
  return records;
}

/** One v2 record as a produce item for `topic`; throws a GatewayError naming the field. */
export function recordToItem(raw: unknown, topic: string, format: EmbeddedFormat, limits: Limits, index: number): ProduceItem {
  const at = `records[${index}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new GatewayError('INVALID_BODY', `${at} must be an object`, { field: at });
  const record = raw as Record<string, unknown>;
  for (const field of Object.keys(record)) {
    if (!RECORD_FIELDS.has(field)) invalid(`${at}.${field}`, `unknown field "${field}"; allowed: ${[...RECORD_FIELDS].join(', ')}`);
  }
  if (record['value'] === undefined || record['value'] === null) {
    // A null value is a tombstone in Kafka; kgate's pipeline writes values only.
    throw new GatewayError('MISSING_FIELD', `${at}.value is required (null values, tombstones, are not supported)`, { field: `${at}.value` });
  }
  const value = bytesOf(record['value'], format, `${at}.value`);
  const item: ProduceItem = {
    topic,
    value,
    message: format === 'json' ? record['value'] : jsonOfBytes(value),
    headers: headersOf(record['headers'], limits, at),
  };
  if (record['key'] !== undefined && record['key'] !== null) {
    const key = bytesOf(record['key'], format, `${at}.key`);
    if (key.length > limits.keyBytes) {
      throw new GatewayError('INVALID_KEY', `${at}.key is longer than ${limits.keyBytes} bytes`, { field: `${at}.key`, info: { limit_bytes: limits.keyBytes } });
    }
    item.key = key;
  }
  const partition = record['partition'];
  if (partition !== undefined && partition !== null) {
    if (typeof partition !== 'number' || !Number.isInteger(partition) || partition < 0 || partition > MAX_PARTITION) {
      throw new GatewayError('INVALID_PARTITION', `${at}.partition must be an integer >= 0`, { field: `${at}.partition` });
    }
    item.partition = partition;
  }
  const timestamp = record['timestamp'];
  if (timestamp !== undefined && timestamp !== null) {
    if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0) invalid(`${at}.timestamp`, `${at}.timestamp must be milliseconds since the epoch`);
    item.timestampMs = timestamp;
  }
  return item;
}

/** The Bridge's headers: [{"key": name, "value": base64}]. */
function headersOf(raw: unknown, limits: Limits, at: string): Record<string, Buffer> {
  const out = Object.create(null) as Record<string, Buffer>;
  if (raw === undefined || raw === null) return out;
  const field = `${at}.headers`;
  if (!Array.isArray(raw)) throw new GatewayError('INVALID_HEADERS', `${field} must be an array of {"key", "value"}`, { field });
  if (raw.length > limits.headersCount) throw new GatewayError('INVALID_HEADERS', `at most ${limits.headersCount} headers are allowed`, { field, info: { limit: limits.headersCount } });
  raw.forEach((header: unknown, i) => {
    const h = header as Record<string, unknown> | null;
    const name = h?.['key'];
    if (typeof name !== 'string' || name === '' || Buffer.byteLength(name) > MAX_HEADER_NAME_BYTES) {
      throw new GatewayError('INVALID_HEADERS', `header names must be strings of 1-${MAX_HEADER_NAME_BYTES} bytes`, { field: `${field}[${i}].key` });
    }
    if (name.toLowerCase().startsWith(RESERVED_HEADER_PREFIX)) {
      throw new GatewayError('INVALID_HEADERS', `header names starting with "${RESERVED_HEADER_PREFIX}" are reserved for gateway metadata`, { field: `${field}[${i}].key` });
    }
    const value = bytesOf(h?.['value'], 'binary', `${field}[${i}].value`);
    if (value.length > limits.headerValueBytes) {
      throw new GatewayError('INVALID_HEADERS', `header value is longer than ${limits.headerValueBytes} bytes`, { field: `${field}[${i}].value` });
    }
    out[name] = value;
  });
  return out;
}
