import type { GatewayError } from '../errors/gateway-error.js';
import { exactValuesProblem } from './exact-json.js';

/** One line of an NDJSON body: its text, or the fact that it was longer than the limit. */
export type NdjsonLine =
  | { line: number; text: string; tooLong?: undefined; refused?: undefined }
  | { line: number; text?: undefined; tooLong: true; refused?: undefined }
  /** Bytes JSON.parse would change (invalid UTF-8, a number a double cannot hold): src/http/exact-json.ts. */
  | { line: number; text?: undefined; tooLong?: undefined; refused: GatewayError };

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Splits a byte stream into lines ("\n", an optional "\r" before it is dropped), numbered from 1.
 * Memory is bounded by maxLineBytes: the bytes of a line longer than that are dropped as they come
 * and the line is reported as tooLong, so one bad line never holds or ends the stream. Splitting on
 * the byte 0x0A is safe for UTF-8, where it never occurs inside a multi-byte character. Blank
 * lines are numbered but not yielded. Lines come out as the chunks arrive; the consumer's pace
 * sets the pace at which chunks are read (back-pressure).
 */
export async function* ndjsonLines(chunks: AsyncIterable<Buffer | string>, maxLineBytes: number): AsyncGenerator<NdjsonLine[]> {
  let parts: Buffer[] = [];
  let partBytes = 0;
  let tooLong = false;
  let lineNo = 0;

  const finish = (last: Buffer, out: NdjsonLine[]): void => {
    lineNo++;
    if (tooLong || partBytes + last.length > maxLineBytes + 1) {
      out.push({ line: lineNo, tooLong: true });
    } else {
      let bytes = parts.length === 0 ? last : Buffer.concat([...parts, last]);
      if (bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN) bytes = bytes.subarray(0, bytes.length - 1);
      if (bytes.length > maxLineBytes) out.push({ line: lineNo, tooLong: true });
      else {
        const refused = exactValuesProblem(bytes);
        if (refused) out.push({ line: lineNo, refused });
        else {
          const text = bytes.toString('utf8');
          if (text.trim() !== '') out.push({ line: lineNo, text });
        }
      }
    }
    parts = [];
    partBytes = 0;
    tooLong = false;
  };

  for await (const chunk of chunks) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const out: NdjsonLine[] = [];
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE, start); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
      finish(buf.subarray(start, nl), out);
      start = nl + 1;
    }
    if (start < buf.length && !tooLong) {
      const rest = buf.subarray(start);
      if (partBytes + rest.length > maxLineBytes + 1) {
        // Over the limit already: forget what we have, remember only that the line is too long.
        tooLong = true;
        parts = [];
        partBytes = 0;
      } else {
        // A copy: the chunk's memory may be a slice of a larger buffer the stream reuses.
        parts.push(Buffer.from(rest));
        partBytes += rest.length;
      }
    }
    if (out.length > 0) yield out;
  }
  if (partBytes > 0 || tooLong) {
    const out: NdjsonLine[] = [];
    finish(Buffer.alloc(0), out);
    if (out.length > 0) yield out;
  }
}
