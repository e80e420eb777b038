import type { Limits } from '../../../config/config.js';
import { GatewayError } from '../../../errors/gateway-error.js';
import { RESERVED_HEADER_PREFIX } from '../../../pipeline/enrich.js';
import type { ItemOutcome, ProduceItem } from '../../../pipeline/types.js';
import type { RegistryFormat, SubjectNameStrategy } from '../../../config/value-formats.js';

/** A v3 record as the stream and the single route hand it to the pipeline: the topic comes from the path. */
export interface V3Line {
  topic: string;
  record: unknown;
}

const RECORD_FIELDS = new Set(['partition_id', 'headers', 'key', 'value', 'timestamp']);
const DATA_TYPES = new Set(['JSON', 'BINARY', 'STRING']);
/** The v3 schema types, as kgate's registry value formats (TOPIC_VALUE_FORMATS). */
const SCHEMA_TYPES: Record<string, RegistryFormat> = { AVRO: 'avro', JSONSCHEMA: 'jsonschema', PROTOBUF: 'protobuf' };
const SCHEMA_FIELDS = ['schema_id', 'schema_version', 'schema', 'subject', 'subject_name_strategy'];
/** The v3 names of Confluent's subject name strategies. */
const STRATEGIES: Record<string, SubjectNameStrategy> = { TOPIC_NAME: 'TopicNameStrategy', RECORD_NAME: 'RecordNameStrategy', TOPIC_RECORD_NAME: 'TopicRecordNameStrategy' };
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const MAX_PARTITION = 2_147_483_647;
const MAX_SUBJECT_CHARS = 255;

const invalid = (field: string, detail: string): never => {
  throw new GatewayError('INVALID_FIELD', detail, { field });
};

interface Data {
  bytes?: Buffer;
  type: string;
  json?: unknown;
  /** A schema-typed value: the registry format it says it is in, and what it names of the schema. */
  schema?: Pick<ProduceItem, 'declaredFormat' | 'schemaId' | 'schemaVersion' | 'subject' | 'subjectStrategy'>;
}

/** The schema fields of a `{"type", "data", ...}` object that are set (null is "not set", as the document allows). */
function schemaFieldsOf(data: Record<string, unknown>): string[] {
  return SCHEMA_FIELDS.filter((f) => data[f] !== undefined && data[f] !== null);
}

/** `{"type", "data"}` → bytes, and the type as the answer names it; a schema-typed value → its JSON and what it names. */
function dataOf(raw: unknown, field: 'key' | 'value'): Data {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) invalid(field, `"${field}" must be an object {"type", "data"}`);
  const data = raw as Record<string, unknown>;
  const schemaFields = schemaFieldsOf(data);
  const type = data['type'] ?? (schemaFields.length > 0 ? undefined : 'JSON');
  if (type !== undefined && typeof type !== 'string') invalid(`${field}.type`, `"${field}.type" must be a string`);
  const schemaTyped = type === undefined || Object.hasOwn(SCHEMA_TYPES, type as string);
  if (field === 'key' && schemaTyped) {
    const what = type === undefined ? `"key.${schemaFields[0]}"` : `"key.type" ${JSON.stringify(type)}`;
    invalid(type === undefined ? `key.${schemaFields[0]}` : 'key.type', `${what}: schema-typed keys are not supported (kgate writes keys as bytes, with no registry key format); send the key as JSON, BINARY or STRING`);
  }
  if (!schemaTyped && !DATA_TYPES.has(type as string)) invalid(`${field}.type`, `"${field}.type" must be JSON, BINARY, STRING, AVRO, JSONSCHEMA or PROTOBUF`);
  if (!schemaTyped && schemaFields.length > 0) invalid(`${field}.${schemaFields[0]}`, `"${field}.${schemaFields[0]}" applies to AVRO, JSONSCHEMA and PROTOBUF values only, not to type ${type as string}`);
  const value = data['data'];
  if (value === undefined || value === null) throw new GatewayError('MISSING_FIELD', `"${field}.data" is required (null values, tombstones, are not supported)`, { field: `${field}.data` });
  if (schemaTyped) return { type: (type as string | undefined) ?? 'JSON', json: value, schema: schemaOf(data, type as string | undefined) };
  if (type === 'JSON') return { bytes: Buffer.from(JSON.stringify(value)), type: 'JSON', json: value };
  if (typeof value !== 'string') invalid(`${field}.data`, `"${field}.data" must be a string for type ${type as string}`);
  if (type === 'STRING') return { bytes: Buffer.from(value as string), type: 'STRING' };
  if ((value as string).length % 4 === 1 || !BASE64.test(value as string)) invalid(`${field}.data`, `"${field}.data" is not base64`);
  return { bytes: Buffer.from(value as string, 'base64'), type: 'BINARY' };
}

/**
 * What a schema-typed value names: kgate encodes it with the topic's registry value format under its own
 * subject (src/serdes/), so a type, subject or strategy is accepted when it is that one (the pipeline
 * checks), schema_id / schema_version pin a version of that subject, and an inline schema is refused:
 * kgate never registers or uses a schema the registry does not hold.
 */
function schemaOf(data: Record<string, unknown>, type: string | undefined): NonNullable<Data['schema']> {
  if (data['schema'] !== undefined && data['schema'] !== null) {
    invalid('value.schema', '"value.schema": inline schemas are not supported: kgate encodes with the schemas the registry holds and never registers one; register it, then name it with schema_id or schema_version (or leave them out for the subject\'s latest version)');
  }
  const schema: NonNullable<Data['schema']> = { declaredFormat: type === undefined ? 'registry' : SCHEMA_TYPES[type]! };
  const id = data['schema_id'];
  const version = data['schema_version'];
  if (id !== undefined && id !== null && version !== undefined && version !== null) invalid('value.schema_version', 'give "value.schema_id" or "value.schema_version", not both');
  for (const [name, pin] of [['schema_id', id], ['schema_version', version]] as const) {
    if (pin === undefined || pin === null) continue;
    if (typeof pin !== 'number' || !Number.isInteger(pin) || pin < 1 || pin > MAX_PARTITION) invalid(`value.${name}`, `"value.${name}" must be an integer >= 1`);
    if (name === 'schema_id') schema.schemaId = pin as number;
    else schema.schemaVersion = pin as number;
  }
  const subject = data['subject'];
  if (subject !== undefined && subject !== null) {
    if (typeof subject !== 'string' || subject === '' || subject.length > MAX_SUBJECT_CHARS) invalid('value.subject', `"value.subject" must be a string of 1-${MAX_SUBJECT_CHARS} characters`);
    schema.subject = subject as string;
  }
  const strategy = data['subject_name_strategy'];
  if (strategy !== undefined && strategy !== null) {
    if (typeof strategy !== 'string' || !Object.hasOwn(STRATEGIES, strategy)) invalid('value.subject_name_strategy', `"value.subject_name_strategy" must be one of ${Object.keys(STRATEGIES).join(', ')}`);
    schema.subjectStrategy = STRATEGIES[strategy as string]!;
  }
  return schema;
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
  // A schema-typed value has no bytes of its own: the topic's registry format encodes its JSON (src/serdes/).
  const item: ProduceItem =
    value.bytes === undefined
      ? { topic: line.topic, message: value.json, headers: headersOf(record['headers'], limits), ...value.schema }
      : { topic: line.topic, value: value.bytes, message: value.json ?? jsonOfBytes(value.bytes), headers: headersOf(record['headers'], limits) };
  if (record['key'] !== undefined && record['key'] !== null) {
    const key = dataOf(record['key'], 'key') as Data & { bytes: Buffer };
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

/**
 * The type and size the v3 answer reports for a record's key or value, read from the request record:
 * the size of the data as sent (JSON text for JSON and the schema types, not the encoded bytes). A value
 * encoded with a registry schema also names its schema_id; a schema-typed value sent without a type has none to report.
 */
function sizeOf(raw: unknown, schemaId?: number): { type: string | null; size: number; schema_id?: number } | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const data = raw as Record<string, unknown>;
  const type = typeof data['type'] === 'string' ? data['type'] : schemaFieldsOf(data).length > 0 ? null : 'JSON';
  const value = data['data'];
  const size = type === 'BINARY' ? Buffer.from(String(value), 'base64').length : type === 'STRING' ? Buffer.byteLength(String(value)) : Buffer.byteLength(JSON.stringify(value));
  return schemaId === undefined ? { type, size } : { type, size, schema_id: schemaId };
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
    value: sizeOf(record['value'], outcome.schemaId),
  };
}

/** The v3 error shape; `code` is kgate's. */
export function v3Error(error: GatewayError): Record<string, unknown> {
  return { error_code: error.status, message: error.message, code: error.code };
}
