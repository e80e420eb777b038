import type { Limits } from '../config/config.js';
import { GatewayError } from '../errors/gateway-error.js';
import { RESERVED_HEADER_PREFIX } from './enrich.js';
import { topicNameProblem } from '../shared/topic-name.js';
import type { ProduceItem } from './types.js';

const ITEM_FIELDS = new Set(['topic', 'key', 'message', 'partition', 'headers', 'schema_id', 'schema_version']);
const MAX_PARTITION = 2_147_483_647;
const MAX_HEADER_NAME_BYTES = 255;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the shape of one produce item and returns it in canonical form; throws a GatewayError naming the field. */
export function normalise(raw: unknown, limits: Limits): ProduceItem {
  if (!isPlainObject(raw)) {
    throw new GatewayError('INVALID_BODY', 'each produce item must be a JSON object with "topic" and "message"');
  }
  for (const field of Object.keys(raw)) {
    if (!ITEM_FIELDS.has(field)) {
      throw new GatewayError('INVALID_FIELD', `unknown field "${field}"; allowed: ${[...ITEM_FIELDS].join(', ')}`, { field });
    }
  }

  const { topic, key, message, partition, headers } = raw;
  if (topic === undefined || topic === null || topic === '') {
    throw new GatewayError('MISSING_FIELD', '"topic" is required', { field: 'topic' });
  }
  if (typeof topic !== 'string') throw new GatewayError('INVALID_TOPIC', '"topic" must be a string', { field: 'topic' });
  const topicProblem = topicNameProblem(topic);
  if (topicProblem) throw new GatewayError('INVALID_TOPIC', topicProblem, { field: 'topic' });

  if (message === undefined || message === null) {
    throw new GatewayError('MISSING_FIELD', '"message" is required (any JSON value except null)', { field: 'message' });
  }

  const item: ProduceItem = { topic, message, headers: normaliseHeaders(headers, limits) };

  if (key !== undefined && key !== null) {
    if (typeof key !== 'string') throw new GatewayError('INVALID_KEY', '"key" must be a string', { field: 'key' });
    if (Buffer.byteLength(key) > limits.keyBytes) {
      throw new GatewayError('INVALID_KEY', `"key" is longer than ${limits.keyBytes} bytes`, {
        field: 'key',
        info: { limit_bytes: limits.keyBytes },
      });
    }
    item.key = key;
  }

  if (partition !== undefined && partition !== null) {
    if (typeof partition !== 'number' || !Number.isInteger(partition) || partition < 0 || partition > MAX_PARTITION) {
      throw new GatewayError('INVALID_PARTITION', '"partition" must be an integer >= 0', { field: 'partition' });
    }
    item.partition = partition;
  }
  // Pins of a registry schema (docs/schemas.md); whether the topic has one is the pipeline's question.
  const { schema_id: schemaId, schema_version: schemaVersion } = raw;
  if (schemaId !== undefined || schemaVersion !== undefined) pinSchema(item, schemaId, schemaVersion);
  return item;
}

function pinSchema(item: ProduceItem, schemaId: unknown, schemaVersion: unknown): void {
  if (schemaId !== undefined && schemaVersion !== undefined) {
    throw new GatewayError('INVALID_FIELD', 'give "schema_id" or "schema_version", not both', { field: 'schema_version' });
  }
  for (const [field, value] of [['schema_id', schemaId], ['schema_version', schemaVersion]] as const) {
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_PARTITION) {
      throw new GatewayError('INVALID_FIELD', `"${field}" must be an integer >= 1`, { field });
    }
    if (field === 'schema_id') item.schemaId = value;
    else item.schemaVersion = value;
  }
}

function normaliseHeaders(headers: unknown, limits: Limits): Record<string, string> {
  if (headers === undefined || headers === null) return {};
  if (!isPlainObject(headers)) {
    throw new GatewayError('INVALID_HEADERS', '"headers" must be an object of string values', { field: 'headers' });
  }
  const entries = Object.entries(headers);
  if (entries.length > limits.headersCount) {
    throw new GatewayError('INVALID_HEADERS', `at most ${limits.headersCount} headers are allowed`, {
      field: 'headers',
      info: { limit: limits.headersCount },
    });
  }
  // No prototype: a header named "__proto__" must be kept as data, not swallowed by the setter.
  const out = Object.create(null) as Record<string, string>;
  for (const [name, value] of entries) {
    const field = `headers.${name}`;
    if (name === '' || Buffer.byteLength(name) > MAX_HEADER_NAME_BYTES) {
      throw new GatewayError('INVALID_HEADERS', `header names must be 1-${MAX_HEADER_NAME_BYTES} bytes`, { field });
    }
    if (name.toLowerCase().startsWith(RESERVED_HEADER_PREFIX)) {
      throw new GatewayError('INVALID_HEADERS', `header names starting with "${RESERVED_HEADER_PREFIX}" are reserved for gateway metadata`, { field });
    }
    if (typeof value !== 'string') throw new GatewayError('INVALID_HEADERS', 'header values must be strings', { field });
    if (Buffer.byteLength(value) > limits.headerValueBytes) {
      throw new GatewayError('INVALID_HEADERS', `header value is longer than ${limits.headerValueBytes} bytes`, { field });
    }
    out[name] = value;
  }
  return out;
}
