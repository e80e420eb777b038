import protobuf from 'protobufjs';
import { jsonPath, MAX_REPORTED_ERRORS, type FieldError } from '../schemas/format-errors.js';
import { CodecMismatch, CodecUnusable, type Codec } from './codec.js';
import { frame } from './wire-format.js';

/**
 * A registry .proto, compiled once per schema id by protobufjs. The message is the one named by the
 * topic's record name (TOPIC_VALUE_FORMATS `events=protobuf:com.acme.Event`), else the file's first
 * message, as Confluent's serializers default to. JSON uses the .proto's field names as written
 * (snake_case stays snake_case), enums by name (or number), 64-bit integers as numbers or decimal
 * strings, bytes as base64. A field the message does not have is refused, not dropped; null is
 * "not set". The value is magic byte + id + the message-index list (zig-zag varints; [0] is one
 * zero byte) + the Protobuf encoding.
 */
export function protobufCodec(schemaId: number, text: string, recordName: string | undefined): Codec {
  let root: protobuf.Root;
  let pkg: string | undefined;
  try {
    const parsed = protobuf.parse(text, { keepCase: true });
    root = parsed.root;
    pkg = parsed.package ?? undefined;
    if ((parsed.imports ?? []).length > 0 || (parsed.weakImports ?? []).length > 0) {
      throw new Error('imports (schema references) are not supported');
    }
    root.resolveAll();
  } catch (err) {
    throw new CodecUnusable(`schema ${schemaId} is not a usable .proto: ${(err as Error).message}`, { cause: err });
  }
  const top = topLevelMessages(root, pkg);
  const type = recordName === undefined ? top[0] : lookupType(root, recordName);
  if (!type) throw new CodecUnusable(`schema ${schemaId} has no message${recordName ? ` ${recordName}` : ''}`);
  const indexes = messageIndexes(type, top);
  if (!indexes) throw new CodecUnusable(`schema ${schemaId}: ${type.fullName} is not a message of this file`);
  const prefix = encodeIndexes(indexes);
  return {
    format: 'protobuf',
    schemaId,
    encode(message) {
      const problems: FieldError[] = [];
      check(type, message, [], problems);
      if (problems.length > 0) throw new CodecMismatch(problems.slice(0, MAX_REPORTED_ERRORS), problems.length);
      const payload = type.encode(type.fromObject(message as Record<string, unknown>)).finish();
      return frame(schemaId, payload, prefix);
    },
  };
}

function topLevelMessages(root: protobuf.Root, pkg: string | undefined): protobuf.Type[] {
  const ns = pkg ? root.lookup(pkg) : root;
  if (!(ns instanceof protobuf.Namespace)) return [];
  return ns.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type);
}

function lookupType(root: protobuf.Root, name: string): protobuf.Type | undefined {
  try {
    return root.lookupType(name);
  } catch {
    return undefined;
  }
}

/** The path of indexes from the file's top-level messages down to this one (nested messages count inside their parent). */
function messageIndexes(type: protobuf.Type, top: protobuf.Type[]): number[] | undefined {
  const path: number[] = [];
  let current: protobuf.ReflectionObject = type;
  while (current.parent instanceof protobuf.Type) {
    const parent: protobuf.Type = current.parent;
    path.unshift(parent.nestedArray.filter((n) => n instanceof protobuf.Type).indexOf(current as protobuf.Type));
    current = parent;
  }
  const first = top.indexOf(current as protobuf.Type);
  if (first < 0) return undefined;
  return [first, ...path];
}

/** Confluent's message-index list: a count and the indexes as zig-zag varints; the common [0] as a single 0. */
export function encodeIndexes(indexes: readonly number[]): Buffer {
  if (indexes.length === 1 && indexes[0] === 0) return Buffer.from([0]);
  const bytes: number[] = [];
  for (const n of [indexes.length, ...indexes]) {
    let z = (n << 1) ^ (n >> 31);
    while (z > 0x7f) {
      bytes.push((z & 0x7f) | 0x80);
      z >>>= 7;
    }
    bytes.push(z);
  }
  return Buffer.from(bytes);
}

const INT32 = new Set(['int32', 'sint32', 'sfixed32']);
const UINT32 = new Set(['uint32', 'fixed32']);
const INT64 = new Set(['int64', 'sint64', 'sfixed64', 'uint64', 'fixed64']);

function at(path: readonly string[]): string {
  return jsonPath(path.length === 0 ? '' : '/' + path.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/'));
}

/** Every field that does not fit, with its JSONPath (protobufjs's fromObject would coerce or drop it silently). */
function check(type: protobuf.Type, value: unknown, path: string[], out: FieldError[]): void {
  if (out.length >= MAX_REPORTED_ERRORS) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    out.push({ path: at(path), message: `must be an object (message ${type.fullName.replace(/^\./, '')})` });
    return;
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const field = type.fields[key];
    if (!field) {
      out.push({ path: at([...path, key]), message: 'is not allowed here (no such field in the schema)' });
      continue;
    }
    const v = obj[key];
    if (v === null) continue;
    const here = [...path, key];
    if (field.map) {
      if (typeof v !== 'object' || Array.isArray(v)) out.push({ path: at(here), message: 'must be an object (a map)' });
      else for (const [k, item] of Object.entries(v)) checkValue(field, item, [...here, k], out);
    } else if (field.repeated) {
      if (!Array.isArray(v)) out.push({ path: at(here), message: 'must be an array (repeated field)' });
      else v.forEach((item, i) => checkValue(field, item, [...here, String(i)], out));
    } else {
      checkValue(field, v, here, out);
    }
  }
  for (const oneof of type.oneofsArray) {
    const set = oneof.fieldsArray.filter((f) => obj[f.name] !== undefined && obj[f.name] !== null);
    if (set.length > 1) out.push({ path: at([...path, set[1]!.name]), message: `only one of ${oneof.fieldsArray.map((f) => f.name).join(', ')} may be set (oneof ${oneof.name})` });
  }
}

function checkValue(field: protobuf.Field, v: unknown, path: string[], out: FieldError[]): void {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return check(resolved, v, path, out);
  if (resolved instanceof protobuf.Enum) {
    const ok = (typeof v === 'string' && Object.hasOwn(resolved.values, v)) || (typeof v === 'number' && Object.values(resolved.values).includes(v));
    if (!ok) out.push({ path: at(path), message: `must be one of ${Object.keys(resolved.values).map((s) => JSON.stringify(s)).join(', ')}` });
    return;
  }
  const t = field.type;
  let problem: string | undefined;
  if (t === 'string') problem = typeof v === 'string' ? undefined : 'must be a string';
  else if (t === 'bool') problem = typeof v === 'boolean' ? undefined : 'must be a boolean';
  else if (t === 'double' || t === 'float') problem = typeof v === 'number' ? undefined : `must be a number (${t})`;
  else if (INT32.has(t)) problem = Number.isInteger(v) && (v as number) >= -2147483648 && (v as number) <= 2147483647 ? undefined : `must be an integer from -2147483648 to 2147483647 (${t})`;
  else if (UINT32.has(t)) problem = Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 4294967295 ? undefined : `must be an integer from 0 to 4294967295 (${t})`;
  else if (INT64.has(t)) {
    const unsigned = t.startsWith('u') || t === 'fixed64';
    const ok = (Number.isSafeInteger(v) && (!unsigned || (v as number) >= 0)) || (typeof v === 'string' && (unsigned ? /^\d{1,20}$/ : /^-?\d{1,19}$/).test(v));
    problem = ok ? undefined : `must be an integer, or a decimal string for values beyond 2^53 (${t})`;
  } else if (t === 'bytes') problem = typeof v === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(v) ? undefined : 'must be a base64 string (bytes)';
  if (problem) out.push({ path: at(path), message: problem });
}
