// CPU per access-log line through sonic-boom (issue 15): a line per write in string mode (sonic-boom
// measures its whole pending string on each write), in buffer mode (cheap here, but in the gateway
// its small Buffers kept Buffer pool slabs alive: peak RSS 145 → 240 MiB), and the lines of one
// event-loop turn joined into one write (what src/logging/logger.ts does).
// A 250-byte JSON line, 100 per event-loop turn (as requests arrive), to a real file.
// Usage: node bench/log-write.mjs [--n 400000] [--file bench/out/log-write.out]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import SonicBoom from 'sonic-boom';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({ options: { n: { type: 'string', default: '400000' }, file: { type: 'string', default: path.join(root, 'bench/out/log-write.out') } } });
const n = Number(opt.n);
const line = `${JSON.stringify({ service: 'kgate', request_id: '6c1f6a0e-2a8e-4a36-9b0e-7d8f2b1e4c11', method: 'POST', route: '/produce', status: 200, latency_ms: 1.234, topic: 'bench', count: 1, failed: 0, level: 'info', message: 'request', timestamp: new Date().toISOString() })}\n`;

async function cpuPerLine(destination, mode) {
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i += 100) {
    if (mode === 'turn') {
      const lines = [];
      for (let j = 0; j < 100; j++) lines.push(line.slice(0, -1));
      destination.write(`${lines.join('\n')}\n`);
    } else {
      for (let j = 0; j < 100; j++) destination.write(mode === 'buffer' ? Buffer.from(line) : line.slice(0));
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  await new Promise((resolve) => destination.flush(resolve));
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / n;
}

fs.mkdirSync(path.dirname(opt.file), { recursive: true });
const fd = fs.openSync(opt.file, 'w');
const variants = [
  ['string mode, 8 KiB buffer, a write per line', { minLength: 8192 }, 'line'],
  ['string mode, 64 KiB buffer, a write per line', { minLength: 65536, maxWrite: 131072 }, 'line'],
  ['buffer mode, 64 KiB buffer, a write per line', { minLength: 65536, maxWrite: 131072, contentMode: 'buffer' }, 'buffer'],
  ['string mode, 8 KiB buffer, a write per turn (kgate)', { minLength: 8192 }, 'turn'],
];
for (let round = 1; round <= 2; round++) {
  for (const [name, options, mode] of variants) {
    const us = await cpuPerLine(new SonicBoom({ fd, sync: false, ...options }), mode);
    console.log(`round ${round}  ${name.padEnd(52)} ${us.toFixed(2)} µs CPU per line`);
  }
}
fs.closeSync(fd);
fs.rmSync(opt.file);
