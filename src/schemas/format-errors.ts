import type { ErrorObject } from 'ajv';

/** One problem with a message, in terms a producer can act on without reading the schema. */
export interface FieldError {
  /** JSONPath of the offending value inside the message, e.g. `$.code` or `$.items[2]["a b"]`. */
  path: string;
  message: string;
}

/** Reported per message; the rest are counted, so a huge invalid array cannot make a huge answer. */
export const MAX_REPORTED_ERRORS = 10;
const MAX_SHOWN_VALUE_CHARS = 200;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** ajv's instancePath (a JSON pointer, "/items/2/a~1b") → JSONPath ('$.items[2]["a/b"]'). */
export function jsonPath(pointer: string, child?: string): string {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) segments.push(child);
  let path = '$';
  for (const segment of segments) {
    if (/^(0|[1-9]\d*)$/.test(segment)) path += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) path += `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_SHOWN_VALUE_CHARS ? `${text.slice(0, MAX_SHOWN_VALUE_CHARS)}…` : text;
}

/** ajv errors → field errors, one per field: a missing or extra property is named in the path, not only in the text. */
export function formatErrors(errors: readonly ErrorObject[]): { errors: FieldError[]; total: number } {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const p = e.params as Record<string, unknown>;
    let path = jsonPath(e.instancePath);
    let message: string;
    switch (e.keyword) {
      case 'required':
        path = jsonPath(e.instancePath, String(p.missingProperty));
        message = 'is required';
        break;
      case 'additionalProperties':
        path = jsonPath(e.instancePath, String(p.additionalProperty));
        message = 'is not allowed here (no such field in the schema)';
        break;
      case 'unevaluatedProperties':
        path = jsonPath(e.instancePath, String(p.unevaluatedProperty));
        message = 'is not allowed here (no such field in the schema)';
        break;
      case 'enum':
        message = `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
        break;
      case 'const':
        message = `must be ${shown(p.allowedValue)}`;
        break;
      case 'minLength':
        message = p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters long`;
        break;
      case 'maxLength':
        message = `must be at most ${String(p.limit)} characters long`;
        break;
      case 'pattern':
        message = p.pattern === '\\S' ? 'must contain a character other than whitespace' : `must match the pattern ${String(p.pattern)}`;
        break;
      default:
        message = e.message ?? `fails "${e.keyword}"`;
    }
    // One message per field: ajv reports the first failed keyword first ("must not be empty" before
    // the pattern an empty string also fails), and anyOf branches repeat a spot several times.
    if (seen.has(path)) continue;
    seen.add(path);
    if (out.length < MAX_REPORTED_ERRORS) out.push({ path, message });
  }
  return { errors: out, total: seen.size };
}
