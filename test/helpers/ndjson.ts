import http from 'node:http';
import { createInterface } from 'node:readline';

export interface StreamAnswer {
  status: number;
  contentType: string | undefined;
  /** Every result line, parsed (unless keepResults is false). */
  results: Array<Record<string, any>>;
  ok: number;
  failed: number;
  bytesSent: number;
}

/**
 * POSTs an NDJSON body to /produce/batch, pulled from `lines` as the socket accepts it (never held
 * whole), and reads the NDJSON answer. `onProgress` sees the bytes sent so far after each write.
 */
export function streamNdjson(
  url: string,
  lines: Iterable<string>,
  opts: {
    keepResults?: boolean;
    onProgress?: (bytesSent: number) => void;
    headers?: Record<string, string>;
    /** How the lines' text becomes bytes: 'latin1' sends each character as the byte of its code (any bytes, invalid UTF-8 included). */
    encoding?: BufferEncoding;
  } = {},
): Promise<StreamAnswer> {
  const keep = opts.keepResults ?? true;
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/produce/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', 'transfer-encoding': 'chunked', ...opts.headers },
    });
    const it = lines[Symbol.iterator]();
    let bytesSent = 0;
    const pump = (): void => {
      for (;;) {
        let chunk = '';
        for (let i = 0; i < 64; i++) {
          const next = it.next();
          if (next.done) break;
          chunk += next.value;
        }
        if (chunk === '') return void req.end();
        const encoding = opts.encoding ?? 'utf8';
        bytesSent += Buffer.byteLength(chunk, encoding);
        const more = req.write(chunk, encoding);
        opts.onProgress?.(bytesSent);
        if (!more) return void req.once('drain', pump);
      }
    };
    req.on('error', reject);
    req.on('response', (res) => {
      const answer: StreamAnswer = { status: res.statusCode ?? 0, contentType: res.headers['content-type'], results: [], ok: 0, failed: 0, bytesSent: 0 };
      const rl = createInterface({ input: res, crlfDelay: Infinity });
      rl.on('line', (line) => {
        if (!line) return;
        const result = JSON.parse(line) as Record<string, any>;
        if (result['success'] === true) answer.ok++;
        else answer.failed++;
        if (keep) answer.results.push(result);
      });
      rl.on('close', () => resolve({ ...answer, bytesSent }));
    });
    pump();
  });
}
