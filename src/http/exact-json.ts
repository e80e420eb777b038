import { isUtf8 } from 'node:buffer';
import { GatewayError } from '../errors/gateway-error.js';


/**
 * Values are written as they were sent, or refused: never changed silently (issue 26). JSON.parse
 * turns `1e400` into Infinity (written as null), `9007199254740993` into …992, and a body decoded
 * from invalid UTF-8 gets U+FFFD, so the record would differ from the bytes sent (and signed).
 * Returns the refusal for a body, or undefined when every value survives exactly.
 *
 * Kept cheap on the hot path: one native UTF-8 check, and one regular-expression scan for more than
 * 15 significant digits or an exponent (up to 15 digits always survive a double). Only a body with
 * one of those is scanned token by token, comparing each such number with what would be written.
 * The tokens are read from the text, not from JSON.parse with a reviver (30× slower, measured).
 */
export function exactValuesProblem(raw: Buffer): GatewayError | undefined {
  if (!isUtf8(raw)) return new GatewayError('INVALID_UTF8');
  // latin1: one byte, one character, no decoding; only digits, quotes and "eE.+-" matter here.
  let text: string | undefined;
  if (raw.length < LOOP_MAX_BYTES) {
    if (!mayLoseDigits(raw)) return undefined;
  } else if (!MAY_LOSE_DIGITS.test((text = raw.toString('latin1')))) {
    return undefined;
  }
  const lossy = firstInexactNumber(text ?? raw.toString('latin1'));
  if (lossy === undefined) return undefined;
  const shown = lossy.length > 40 ? `${lossy.slice(0, 40)}…` : lossy;
  return new GatewayError('NUMBER_NOT_EXACT', `the number ${shown} cannot be written exactly (a JSON number here is a 64-bit float: integers within ±2^53, about 17 significant digits, magnitudes up to 1.8e308); send it as a string`);
}

/** Below this a loop over the bytes is cheapest; above, a regular expression over a latin1 string
 * (it skips text without digits far faster: 64 KiB of text 178 → 30 µs, bench/exact-values.ts). */
const LOOP_MAX_BYTES = 2048;

/**
 * More than 15 significant digits (a "." may sit among them), or a digit followed by an exponent:
 * up to 15 digits always survive a double. One pass over the bytes, no string made (a loop over the
 * Buffer measured as fast as the best regular expression, which needs a string first).
 */
function mayLoseDigits(raw: Uint8Array): boolean {
  let run = 0;
  for (let i = 0, n = raw.length; i < n; i++) {
    const c = raw[i]!;
    if (((c - 0x30) >>> 0) <= 9) {
      if (++run > 15) return true;
    } else if (run > 0 && (c | 0x20) === 0x65) {
      return true; // "e" or "E" right after a digit
    } else if (c !== 0x2e) {
      run = 0;
    }
  }
  return false;
}

/** The same test on one number token. */
const MAY_LOSE_DIGITS = /\d(?:\.?\d){15}|\d[eE]/;
/** A JSON string (skipped) or a JSON number: the tokens of valid JSON that hold digits. */
const TOKENS = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/** The first number token JSON.parse then JSON.stringify would not give back as the same decimal. */
function firstInexactNumber(text: string): string | undefined {
  TOKENS.lastIndex = 0;
  for (let m = TOKENS.exec(text); m !== null; m = TOKENS.exec(text)) {
    const token = m[0];
    if (token.charCodeAt(0) === 0x22 || !MAY_LOSE_DIGITS.test(token)) continue;
    if (!keptExactly(token, Number(token))) return token;
  }
  return undefined;
}

/** Whether writing `value` back (JSON.stringify) denotes the same decimal number as `source`. */
function keptExactly(source: string, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  // The common case (long integer ids): exact within ±2^53; beyond, only if written back digit for digit.
  if (INTEGER.test(source)) return Number.isSafeInteger(value) || JSON.stringify(value) === source;
  return sameDecimal(source, JSON.stringify(value));
}

const INTEGER = /^-?[1-9]\d*$/;

function sameDecimal(a: string, b: string): boolean {
  const x = decimal(a);
  const y = decimal(b);
  return x.negative === y.negative && x.digits === y.digits && (x.digits === '' || x.exponent === y.exponent);
}

/** A JSON number → sign, significant digits without leading or trailing zeros, and the exponent of its first digit. */
function decimal(text: string): { negative: boolean; digits: string; exponent: number } {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return { negative: false, digits: text, exponent: 0 };
  const all = m[2]! + (m[3] ?? '');
  const lead = all.length - all.replace(/^0+/, '').length;
  const digits = all.slice(lead).replace(/0+$/, '');
  const exponent = m[2]!.length - lead + Number(m[4] ?? 0);
  return { negative: m[1] === '-' && digits !== '', digits, exponent };
}
