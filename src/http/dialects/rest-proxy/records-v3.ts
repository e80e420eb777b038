import type { Limits } from '../../../config/config.js';
import { GatewayError } from '../../../errors/gateway-error.js';
import { RESERVED_HEADER_PREFIX } from '../../../pipeline/enrich.js';
import type { ItemOutcome, ProduceItem } from '../../../pipeline/types.js';

/** A v3 record as the stream and the single route hand it to the pipeline: the topic comes from the path. */
export interface V3Line {
  topic: string;
  record: unknown;
}

const RECORD_FIELDS = new Set(['partition_id', 'headers', 'key', 'value', 'timestamp']);
const DATA_TYPES = new Set(['JSON', 'BINARY', 'STRING']);
const SCHEMA_TYPES = new Set(['AVRO', 'JSONSCHEMA', 'PROTOBUF']);
const SCHEMA_FIELDS = ['schema_id', 'schema_version', 'schema', 'subject', 'subject_name_strategy'];
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const MAX_PARTITION = 2_147_483_647;

const invalid = (field: string, detail: string): never => {
  throw new GatewayError('INVALID_FIELD', detail, { field });
};

/** `{"type", "data"}` → bytes, and the type as the answer names it. */
function dataOf(raw: unknown, field: string): { bytes: Buffer; type: string; json?: unknown } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) invalid(field, `"${field}" must be an object {"type", "data"}`);
  const data = raw as Record<string, unknown>;
  for (const schemaField of SCHEMA_FIELDS) {
    if (Object.hasOwn(data, schemaField)) invalid(`${field}.${schemaField}`, `"${field}.${schemaField}": schema-registry records are not supported (kgate has no schema registry); send type JSON, BINARY or STRING`);
  }
  const type = data['type'] ?? 'JSON';
  if (typeof type !== 'string' || SCHEMA_TYPES.has(type)) invalid(`${field}.type`, `"${field}.type" ${JSON.stringify(type)} needs a schema registry, which kgate does not have; use JSON, BINARY or STRING`);
  if (!DATA_TYPES.has(type as string)) invalid(`${field}.type`, `"${field}.type" must be JSON, BINARY or STRING`);
  const value = data['data'];
  if (value === undefined || value === null) throw new GatewayError('MISSING_FIELD', `"${field}.data" is required (null values, tombstones, are not supported)`, { field: `${field}.data` });
  if (type === 'JSON') return { bytes: Buffer.from(JSON.stringify(value)), type: 'JSON', json: value };
  if (typeof value !== 'string') invalid(`${field}.data`, `"${field}.data" must be a string for type ${type as string}`);
  if (type === 'STRING') return { bytes: Buffer.from(value as string), type: 'STRING' };
  if ((value as string).length % 4 === 1 || !BASE64.test(value as string)) invalid(`${field}.data`, `"${field}.data" is not base64`);
  return { bytes: Buffer.from(value as string, 'base64'), type: 'BINARY' };
}

function jsonOfBytes(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The pipeline's normalise stage for a v3 record (a GatewayError names the field). */
export function v3RecordToItem(line: V3Line, limits: Limits): ProduceItem {
  const raw = line.record;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new GatewayError('INVALID_BODY', 'a record is a JSON object');
  const record = raw as Record<string, unknown>;
  for (const field of Object.keys(record)) {
    if (!RECORD_FIELDS.has(field)) invalid(field, `unknown field "${field}"; allowed: ${[...RECORD_FIELDS].join(', ')}`);
  }
  if (record['value'] === undefined || record['value'] === null) throw new GatewayError('MISSING_FIELD', '"value" is required (null values, tombstones, are not supported)', { field: 'value' });
  const value = dataOf(record['value'], 'value');
  const item: ProduceItem = { topic: line.topic, value: value.bytes, message: value.json ?? jsonOfBytes(value.bytes), headers: headersOf(record['headers'], limits) };
  if (record['key'] !== undefined && record['key'] !== null) {
    const key = dataOf(record['key'], 'key');
    if (key.bytes.length > limits.keyBytes) throw new GatewayError('INVALID_KEY', `the key is longer than ${limits.keyBytes} bytes`, { field: 'key', info: { limit_bytes: limits.keyBytes } });
    item.key = key.bytes;
  }
  const partition = record['partition_id'];
  if (partition !== undefined && partition !== null) {
    if (typeof partition !== 'number' || !Number.isInteger(partition) || partition < 0 || partition > MAX_PARTITION) {
      throw new GatewayError('INVALID_PARTITION', '"partition_id" must be an integer >= 0', { field: 'partition_id' });
    }
    item.partition = partition;
  }
  const timestamp = record['timestamp'];
  if (timestamp !== undefined && timestamp !== null) {
    const ms = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
    if (Number.isNaN(ms) || ms < 0) invalid('timestamp', '"timestamp" must be an RFC 3339 date-time');
    item.timestampMs = ms;
  }
  return item;
}

function headersOf(raw: unknown, limits: Limits): Record<string, Buffer> {
  const out = Object.create(null) as Record<string, Buffer>;
  if (raw === undefined || raw === null) return out;
  if (!Array.isArray(raw)) throw new GatewayError('INVALID_HEADERS', '"headers" must be an array of {"name", "value"}', { field: 'headers' });
  if (raw.length > limits.headersCount) throw new GatewayError('INVALID_HEADERS', `at most ${limits.headersCount} headers are allowed`, { field: 'headers', info: { limit: limits.headersCount } });
  raw.forEach((h: unknown, i) => {
    const header = h as Record<string, unknown> | null;
    const name = header?.['name'];
    const field = `headers[${i}]`;
    if (typeof name !== 'string' || name === '' || Buffer.byteLength(name) > 255) throw new GatewayError('INVALID_HEADERS', 'header names must be strings of 1-255 bytes', { field: `${field}.name` });
    if (name.toLowerCase().startsWith(RESERVED_HEADER_PREFIX)) throw new GatewayError('INVALID_HEADERS', `header names starting with "${RESERVED_HEADER_PREFIX}" are reserved for gateway metadata`, { field: `${field}.name` });
    const value = header?.['value'];
    if (value !== undefined && value !== null && (typeof value !== 'string' || !BASE64.test(value))) throw new GatewayError('INVALID_HEADERS', 'header values are base64', { field: `${field}.value` });
    const bytes = typeof value === 'string' ? Buffer.from(value, 'base64') : Buffer.alloc(0);
    if (bytes.length > limits.headerValueBytes) throw new GatewayError('INVALID_HEADERS', `header value is longer than ${limits.headerValueBytes} bytes`, { field: `${field}.value` });
    out[name] = bytes;
  });
  return out;
}

/** The type and size the v3 answer reports for a record's key or value, read from the request record. */
function sizeOf(raw: unknown): { type: string; size: number } | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const data = raw as Record<string, unknown>;
  const type = typeof data['type'] === 'string' ? data['type'] : 'JSON';
  const value = data['data'];
  const size = type === 'JSON' ? Buffer.byteLength(JSON.stringify(value)) : type === 'BINARY' ? Buffer.from(String(value), 'base64').length : Buffer.byteLength(String(value));
  return { type, size };
}

/** A v3 ProduceResponse: error_code 200 with where the record went, or the failure's status and message. */
export function v3Result(outcome: ItemOutcome, clusterId: string, line: V3Line): Record<string, unknown> {
  if (!outcome.success) return v3Error(outcome.error);
  const record = line.record as Record<string, unknown>;
  const ts = record['timestamp'];
  return {
    error_code: 200,
    cluster_id: clusterId,
    topic_name: outcome.topic,
    partition_id: outcome.partition,
    offset: outcome.offset,
    timestamp: typeof ts === 'string' ? new Date(Date.parse(ts)).toISOString() : outcome.timestamp,
    key: sizeOf(record['key']),
    value: sizeOf(record['value']),
  };
}

/** The v3 error shape; `code` is kgate's. */
export function v3Error(error: GatewayError): Record<string, unknown> {
  return { error_code: error.status, message: error.message, code: error.code };
}
