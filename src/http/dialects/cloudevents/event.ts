import type { IncomingHttpHeaders } from 'node:http';
import type { Limits } from '../../../config/config.js';
import { GatewayError } from '../../../errors/gateway-error.js';

/** One CloudEvent (spec 1.0) as kgate holds it between the HTTP binding and the Kafka binding. */
export interface CloudEvent {
  /** Every context attribute, extensions included, with its JSON-format value (string, integer or boolean). */
  attributes: Record<string, string | number | boolean>;
  /** Absent: the event has no data. `json` holds parsed JSON data; `bytes` anything else. */
  data?: { json: unknown; bytes?: undefined } | { bytes: Buffer; json?: undefined };
}

const SPEC_VERSION = '1.0';
const REQUIRED = ['specversion', 'id', 'source', 'type'] as const;
/** Spec 1.0 "Attribute Naming Convention": lower-case ASCII letters and digits only. */
const ATTRIBUTE_NAME = /^[a-z0-9]{1,64}$/;
// RFC 3339 date-time (the spec's Timestamp type).
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

/** Media types whose data is JSON (the JSON format's rule: application/json, or any type ending in +json). */
export function isJsonType(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type === 'text/json' || type.endsWith('+json');
}

function refuse(code: 'MISSING_FIELD' | 'INVALID_FIELD', attribute: string, detail: string): never {
  throw new GatewayError(code, detail, { field: attribute });
}

/** The checks every CloudEvent gets, in whichever mode it came: required attributes, types, bounds. */
function checkAttributes(attributes: Record<string, string | number | boolean>, limits: Limits): void {
  for (const name of REQUIRED) {
    const value = attributes[name];
    if (value === undefined || value === '') refuse('MISSING_FIELD', name, `CloudEvents attribute "${name}" is required`);
    if (typeof value !== 'string') refuse('INVALID_FIELD', name, `CloudEvents attribute "${name}" must be a string`);
  }
  if (attributes['specversion'] !== SPEC_VERSION) {
    refuse('INVALID_FIELD', 'specversion', `CloudEvents "specversion" must be "${SPEC_VERSION}", got ${JSON.stringify(attributes['specversion'])}`);
  }
  for (const name of ['datacontenttype', 'dataschema', 'subject', 'time'] as const) {
    const value = attributes[name];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') refuse('INVALID_FIELD', name, `CloudEvents attribute "${name}" must be a non-empty string`);
  }
  const time = attributes['time'];
  if (typeof time === 'string' && (!RFC3339.test(time) || Number.isNaN(Date.parse(time)))) {
    refuse('INVALID_FIELD', 'time', 'CloudEvents "time" must be an RFC 3339 timestamp');
  }
  const dataschema = attributes['dataschema'];
  if (typeof dataschema === 'string' && !URL.canParse(dataschema)) refuse('INVALID_FIELD', 'dataschema', 'CloudEvents "dataschema" must be an absolute URI');
  const names = Object.keys(attributes);
  // Each attribute becomes a Kafka header in binary mode: the header bounds apply.
  if (names.length > REQUIRED.length + 4 + limits.headersCount) {
    throw new GatewayError('INVALID_HEADERS', `at most ${limits.headersCount} extension attributes are allowed`, { field: 'extensions', info: { limit: limits.headersCount } });
  }
  for (const name of names) {
    if (!ATTRIBUTE_NAME.test(name)) refuse('INVALID_FIELD', name, `CloudEvents attribute names are 1-64 lower-case letters and digits, got ${JSON.stringify(name.slice(0, 80))}`);
    const value = attributes[name]!;
    if (typeof value === 'string' && Buffer.byteLength(value) > limits.headerValueBytes) {
      refuse('INVALID_FIELD', name, `CloudEvents attribute "${name}" is longer than ${limits.headerValueBytes} bytes`);
    }
  }
  const key = attributes['partitionkey'];
  if (key !== undefined && (typeof key !== 'string' || Buffer.byteLength(key) > limits.keyBytes)) {
    refuse('INVALID_FIELD', 'partitionkey', `CloudEvents "partitionkey" must be a string of at most ${limits.keyBytes} bytes`);
  }
}

/**
 * Binary mode (HTTP binding 3.1): attributes in ce-* headers, percent-decoded; Content-Type is
 * datacontenttype; the body is data. `body` is the raw bytes, or the JSON the access guard
 * already parsed (signed requests), or undefined for an empty body.
 */
export function fromBinary(headers: IncomingHttpHeaders, body: Buffer | unknown, limits: Limits): CloudEvent {
  const attributes: Record<string, string> = {};
  for (const [header, value] of Object.entries(headers)) {
    if (!header.startsWith('ce-') || value === undefined) continue;
    const name = header.slice(3);
    const text = Array.isArray(value) ? value.join(',') : value;
    try {
      attributes[name] = decodeURIComponent(text);
    } catch {
      refuse('INVALID_FIELD', name, `the ce-${name} header is not valid percent-encoding`);
    }
  }
  if (attributes['specversion'] === undefined) refuse('MISSING_FIELD', 'specversion', 'a binary-mode CloudEvent needs the ce-specversion header (or send Content-Type: application/cloudevents+json)');
  if (attributes['datacontenttype'] !== undefined) refuse('INVALID_FIELD', 'datacontenttype', 'in binary mode datacontenttype is the Content-Type header, not ce-datacontenttype');
  const contentType = headers['content-type'];
  if (contentType !== undefined) attributes['datacontenttype'] = contentType;
  checkAttributes(attributes, limits);
  const event: CloudEvent = { attributes };
  if (Buffer.isBuffer(body)) {
    if (body.length === 0) return event;
    if (!isJsonType(contentType)) return { attributes, data: { bytes: body } };
    try {
      return { attributes, data: { json: JSON.parse(body.toString('utf8')) } };
    } catch {
      throw new GatewayError('INVALID_JSON', `the body is not valid JSON, and Content-Type "${contentType ?? ''}" says it is`, { field: 'data' });
    }
  }
  if (body !== undefined) event.data = { json: body };
  return event;
}

/** Structured mode and each element of a batch (JSON event format): one JSON object per event. */
export function fromStructured(value: unknown, limits: Limits): CloudEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GatewayError('INVALID_BODY', 'a structured CloudEvent is a JSON object');
  }
  const attributes: Record<string, string | number | boolean> = {};
  let data: CloudEvent['data'];
  for (const [name, v] of Object.entries(value)) {
    if (name === 'data') {
      if (v !== null) data = { json: v };
      continue;
    }
    if (name === 'data_base64') {
      if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) refuse('INVALID_FIELD', 'data_base64', '"data_base64" must be a base64 string');
      data = { bytes: Buffer.from(v, 'base64') };
      continue;
    }
    if (v === null) continue; // the JSON format: null is the same as absent
    if (typeof v === 'number' && (!Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX)) {
      refuse('INVALID_FIELD', name, `CloudEvents attribute "${name}" must be a 32-bit integer, string or boolean`);
    }
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      refuse('INVALID_FIELD', name, `CloudEvents attribute "${name}" must be a string, integer or boolean`);
    }
    attributes[name] = v;
  }
  if ('data' in value && 'data_base64' in value) refuse('INVALID_FIELD', 'data_base64', 'an event has "data" or "data_base64", not both');
  checkAttributes(attributes, limits);
  if (data?.json !== undefined && !isJsonType(attributes['datacontenttype'] as string | undefined)) {
    // JSON format 3.1: a non-JSON type with "data" carries the data as a JSON string.
    data = typeof data.json === 'string' ? { bytes: Buffer.from(data.json) } : data;
  }
  return data === undefined ? { attributes } : { attributes, data };
}
