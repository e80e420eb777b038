import type { Limits } from '../../../config/config.js';
import { GatewayError } from '../../../errors/gateway-error.js';
import { RESERVED_HEADER_PREFIX } from '../../../pipeline/enrich.js';
import type { ProduceItem } from '../../../pipeline/types.js';
import type { RegistryFormat } from '../../../config/value-formats.js';

/** The embedded formats of the v2 produce API: how `key` and `value` are written in the JSON body.
 * The schema formats carry the value as JSON, encoded by the topic's registry value format (src/serdes/). */
export type EmbeddedFormat = 'json' | 'binary' | 'text' | RegistryFormat;

const isSchemaFormat = (format: EmbeddedFormat): format is RegistryFormat => format === 'avro' || format === 'jsonschema' || format === 'protobuf';

const RECORD_FIELDS = new Set(['key', 'value', 'partition', 'headers', 'timestamp']);
/** Fields of the schema-registry formats (avro, jsonschema, protobuf): refused in the other formats. */
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

/** A v2 body: its records, and the schema id the schema formats pin them to (`value_schema_id`). */
export interface RecordList {
  records: unknown[];
  valueSchemaId?: number;
}

/**
 * The body `{"records": [...]}` of POST /topics/{topic}, checked whole before anything is written:
 * the REST Proxy and the Bridge refuse an invalid record list as a whole (422), so one malformed
 * record fails the request, while a record the topic's schema refuses fails alone (in the pipeline).
 * In the schema formats `value_schema_id` pins the registry version; an inline `value_schema` and the
 * key schema fields are refused: kgate uses only schemas the registry holds, and writes keys as bytes.
 */
export function recordsOf(body: unknown, limits: Limits, format: EmbeddedFormat = 'json'): RecordList {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new GatewayError('INVALID_BODY', 'the body is {"records": [...]}');
  const fields = body as Record<string, unknown>;
  const given = (field: string): boolean => fields[field] !== undefined && fields[field] !== null;
  const list: RecordList = { records: [] };
  if (!isSchemaFormat(format)) {
    for (const field of SCHEMA_FIELDS) {
      if (given(field)) invalid(field, `"${field}" belongs to the schema formats (application/vnd.kafka.avro.v2+json, jsonschema, protobuf); this request is in the ${format} format`);
    }
  } else {
    if (given('value_schema')) {
      invalid('value_schema', '"value_schema": inline schemas are not supported: kgate encodes with the schemas the registry holds and never registers one; register it, then send its id as value_schema_id (or leave it out for the subject\'s latest version)');
    }
    for (const field of ['key_schema', 'key_schema_id']) {
      if (given(field)) invalid(field, `"${field}": schema-typed keys are not supported (kgate writes keys as plain strings, with no registry key format); leave it out and send string keys`);
    }
    const id = fields['value_schema_id'];
    if (given('value_schema_id')) {
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > MAX_PARTITION) invalid('value_schema_id', '"value_schema_id" must be an integer >= 1');
      list.valueSchemaId = id as number;
    }
  }
  const records = fields['records'];
  if (!Array.isArray(records)) throw new GatewayError('MISSING_FIELD', '"records" must be an array of records', { field: 'records' });
  if (records.length === 0) throw new GatewayError('EMPTY_BATCH', '"records" must hold at least one record');
  if (records.length > limits.batchItems) {
    throw new GatewayError('BATCH_TOO_LARGE', `${records.length} records; the limit is ${limits.batchItems}`, { info: { limit: limits.batchItems } });
  }
  list.records = records;
  return list;
}

/** One v2 record as a produce item for `topic`; throws a GatewayError naming the field. */
export function recordToItem(raw: unknown, topic: string, format: EmbeddedFormat, limits: Limits, index: number, valueSchemaId?: number): ProduceItem {
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
  const headers = headersOf(record['headers'], limits, at);
  let item: ProduceItem;
  if (isSchemaFormat(format)) {
    // The value is JSON for the topic's registry format to encode; the pipeline checks the topic has this format.
    item = { topic, message: record['value'], headers, declaredFormat: format };
    if (valueSchemaId !== undefined) item.schemaId = valueSchemaId;
  } else {
    const value = bytesOf(record['value'], format, `${at}.value`);
    item = { topic, value, message: format === 'json' ? record['value'] : jsonOfBytes(value), headers };
  }
  if (record['key'] !== undefined && record['key'] !== null) {
    const key = isSchemaFormat(format) ? schemaFormatKey(record['key'], at) : bytesOf(record['key'], format, `${at}.key`);
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

/** In the schema formats a key is a plain string, written as its UTF-8 bytes (as /produce writes keys on a registry topic). */
function schemaFormatKey(key: unknown, at: string): Buffer {
  if (typeof key !== 'string') {
    throw new GatewayError('INVALID_KEY', `${at}.key must be a string: in the schema formats kgate writes keys as plain strings (schema-typed keys are not supported)`, { field: `${at}.key` });
  }
  return Buffer.from(key);
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
