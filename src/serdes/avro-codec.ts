import avro from 'avsc';
import { jsonPath } from '../schemas/format-errors.js';
import { MAX_REPORTED_ERRORS, type FieldError } from '../schemas/format-errors.js';
import { CodecMismatch, CodecUnusable, type Codec } from './codec.js';
import { frame } from './wire-format.js';

/**
 * A registry Avro schema, compiled once per schema id, encoding "natural" JSON: a record is an
 * object, a long/int/double a number, an enum its symbol, a map an object, an array an array.
 * Unions (docs/schemas.md): a union whose branches JSON tells apart (["null","string"],
 * ["null","long","string"], ...) takes the plain value; a union of two records, or of two
 * numbers, is ambiguous and takes the Avro JSON form {"<branch full name>": value} (avsc's
 * wrapUnions "auto"). A field the schema does not have is refused, not dropped: a typo must not
 * lose data silently. Missing fields with a default take the default.
 */
export function avroCodec(schemaId: number, text: string): Codec {
  let type: avro.Type;
  try {
    type = avro.Type.forSchema(JSON.parse(text) as avro.Schema, { wrapUnions: 'auto' });
  } catch (err) {
    throw new CodecUnusable(`schema ${schemaId} is not a usable Avro schema: ${(err as Error).message}`, { cause: err });
  }
  return {
    format: 'avro',
    schemaId,
    encode(message) {
      // Fast path first: avsc's compiled check, no hook, no copy. Defaults and field paths only when it fails.
      let value = message;
      if (!type.isValid(value)) {
        value = withDefaults(type, message);
        const problems = problemsOf(type, value);
        if (problems.length > 0) throw new CodecMismatch(problems.slice(0, MAX_REPORTED_ERRORS), problems.length);
      }
      const extra: FieldError[] = [];
      extraFields(type, value, [], extra);
      if (extra.length > 0) throw new CodecMismatch(extra, extra.length);
      return frame(schemaId, type.toBuffer(value));
    },
  };
}

/** Every field that does not fit (defaults already filled in), as JSONPath + what it should be. */
function problemsOf(type: avro.Type, value: unknown): FieldError[] {
  const out: FieldError[] = [];
  type.isValid(value, {
    errorHook(path: string[], v: unknown, t: avro.Type) {
      if (out.length < MAX_REPORTED_ERRORS * 2) out.push({ path: pathOf(path), message: expected(t, v) });
    },
  });
  return out;
}

function pathOf(segments: readonly string[]): string {
  return jsonPath(segments.length === 0 ? '' : '/' + segments.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/'));
}

function expected(t: avro.Type, v: unknown): string {
  if (v === undefined) return 'is required';
  const name = t.typeName;
  if (name === 'enum') return `must be one of ${(t as avro.types.EnumType).symbols.map((s) => JSON.stringify(s)).join(', ')}`;
  if (name === 'union:wrapped') return `must be {"<branch>": value} with a branch of ${unionBranches(t)}`;
  if (name === 'union:unwrapped') return `must be one of ${unionBranches(t)}`;
  if (name === 'record' || name === 'error') return `must be an object (record ${(t as avro.types.RecordType).name ?? ''})`;
  if (name === 'int') return 'must be an integer from -2147483648 to 2147483647 (Avro int)';
  if (name === 'long') return 'must be an integer (Avro long)';
  if (name === 'fixed') return `must be a ${(t as avro.types.FixedType).size}-byte value`;
  return `must be an Avro ${name}`;
}

function unionBranches(t: avro.Type): string {
  return (t as unknown as { types: avro.Type[] }).types.map((b) => b.branchName ?? b.typeName).join(', ');
}

/** Record fields left out that have a default get it (avsc checks the value as given). Copies, never mutates. */
function withDefaults(type: avro.Type, value: unknown): unknown {
  if (type.typeName === 'record' || type.typeName === 'error') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const v = value as Record<string, unknown>;
    let copy: Record<string, unknown> | undefined;
    for (const field of (type as avro.types.RecordType).fields) {
      const own = Object.hasOwn(v, field.name) ? v[field.name] : undefined;
      let next = own;
      if (own === undefined && field.defaultValue() !== undefined) next = field.defaultValue();
      else if (own !== undefined) next = withDefaults(field.type, own);
      if (next !== own) (copy ??= { ...v })[field.name] = next;
    }
    return copy ?? value;
  }
  if (type.typeName === 'array' && Array.isArray(value)) {
    const items = (type as avro.types.ArrayType).itemsType;
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = withDefaults(items, item);
      if (next !== item) (copy ??= [...value])[i] = next;
    });
    return copy ?? value;
  }
  if (type.typeName === 'map' && typeof value === 'object' && value !== null) {
    const values = (type as avro.types.MapType).valuesType;
    let copy: Record<string, unknown> | undefined;
    for (const [k, item] of Object.entries(value)) {
      const next = withDefaults(values, item);
      if (next !== item) (copy ??= { ...(value as Record<string, unknown>) })[k] = next;
    }
    return copy ?? value;
  }
  if (type.typeName === 'union:unwrapped') {
    const branch = (type as unknown as { types: avro.Type[] }).types.find((b) => b.isValid(withDefaults(b, value)));
    return branch ? withDefaults(branch, value) : value;
  }
  if (type.typeName === 'union:wrapped' && typeof value === 'object' && value !== null) {
    const [name] = Object.keys(value);
    const branch = (type as unknown as { types: avro.Type[] }).types.find((b) => (b.branchName ?? b.typeName) === name);
    if (branch && name !== undefined) {
      const inner = (value as Record<string, unknown>)[name];
      const next = withDefaults(branch, inner);
      return next === inner ? value : { [name]: next };
    }
  }
  return value;
}

/** Fields a record value has that its schema does not (avsc would drop them without a word). */
function extraFields(type: avro.Type, value: unknown, path: string[], out: FieldError[]): void {
  if (out.length >= MAX_REPORTED_ERRORS || typeof value !== 'object' || value === null) return;
  switch (type.typeName) {
    case 'record':
    case 'error': {
      const fields = (type as avro.types.RecordType).fields;
      const known = new Set(fields.map((f) => f.name));
      for (const key of Object.keys(value)) {
        if (!known.has(key)) out.push({ path: pathOf([...path, key]), message: 'is not allowed here (no such field in the schema)' });
      }
      for (const f of fields) {
        const v = (value as Record<string, unknown>)[f.name];
        if (Object.hasOwn(value, f.name)) extraFields(f.type, v, [...path, f.name], out);
      }
      return;
    }
    case 'array':
      if (Array.isArray(value)) value.forEach((item, i) => extraFields((type as avro.types.ArrayType).itemsType, item, [...path, String(i)], out));
      return;
    case 'map':
      for (const [k, v] of Object.entries(value)) extraFields((type as avro.types.MapType).valuesType, v, [...path, k], out);
      return;
    case 'union:unwrapped': {
      const branch = (type as unknown as { types: avro.Type[] }).types.find((b) => b.isValid(withDefaults(b, value)));
      if (branch) extraFields(branch, value, path, out);
      return;
    }
    case 'union:wrapped': {
      const [name] = Object.keys(value);
      const branch = (type as unknown as { types: avro.Type[] }).types.find((b) => (b.branchName ?? b.typeName) === name);
      if (branch && name !== undefined) extraFields(branch, (value as Record<string, unknown>)[name], [...path, name], out);
      return;
    }
    default:
      return;
  }
}
