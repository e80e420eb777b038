// Streams produce items as NDJSON into POST /produce/batch, generated on the fly (never held in
// memory), honouring the socket's back-pressure, and reads the NDJSON answer line by line.
import http from 'node:http';
import { createInterface } from 'node:readline';

/**
 * @param {string} url   the gateway's base URL
 * @param {{ topic: string, lines?: number, bytes?: number, keys?: number, record: object }} opts
 *   stops after `lines` lines or once `bytes` bytes were sent, whichever is given
 * @returns {Promise<{ lines: number, bytesSent: number, ok: number, failed: number, firstError?: object, seconds: number, status: number }>}
 */
export function streamNdjson(url, { topic, lines = Infinity, bytes = Infinity, keys = 16, record }) {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/produce/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', 'transfer-encoding': 'chunked' },
    });
    let sent = 0;
    let bytesSent = 0;
    const write = () => {
      while (sent < lines && bytesSent < bytes) {
        // 64 lines per write: fewer, larger chunks, as a real loader would send.
        let chunk = '';
        for (let i = 0; i < 64 && sent < lines; i++, sent++) {
          chunk += `${JSON.stringify({ topic, key: `k${sent % keys}`, message: { ...record, seq: sent } })}\n`;
        }
        bytesSent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', write);
      }
      req.end();
    };
    req.on('error', reject);
    req.on('response', (res) => {
      let ok = 0;
      let failed = 0;
      let firstError;
      const rl = createInterface({ input: res, crlfDelay: Infinity });
      rl.on('line', (line) => {
        if (!line) return;
        const result = JSON.parse(line);
        if (result.success) ok++;
        else {
          failed++;
          firstError ??= result;
        }
      });
      rl.on('close', () =>
        resolve({ lines: sent, bytesSent, ok, failed, firstError, status: res.statusCode, seconds: Number(process.hrtime.bigint() - started) / 1e9 }),
      );
    });
    write();
  });
}
