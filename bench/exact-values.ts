// Cost of the exact-values check (src/http/exact-json.ts) on every JSON body and NDJSON line,
// against JSON.parse of the same bytes, which every body pays anyway.
// Usage: npx tsx bench/exact-values.ts
import { exactValuesProblem } from '../src/http/exact-json.js';

const bodies: Record<string, Buffer> = {
  'small (bench /produce body)': Buffer.from(JSON.stringify({ topic: 'bench', key: 'user-42', message: { user_id: 42, action: 'click', page: '/home', at: '2026-12-04T12:00:00.000Z' } })),
  '1 KiB, text and small numbers': Buffer.from(JSON.stringify({ topic: 'bench', message: { items: Array.from({ length: 20 }, (_, i) => ({ id: i, name: `item-${i}`, price: i * 1.25 })) } })),
  '1 KiB, 16-digit ids (slow path)': Buffer.from(JSON.stringify({ topic: 'bench', message: { ids: Array.from({ length: 40 }, (_, i) => 1234567890123456 + i) } })),
  '64 KiB, text': Buffer.from(JSON.stringify({ topic: 'bench', message: { text: 'lorem ipsum dolor sit amet '.repeat(2400) } })),
};

function nsPerCall(fn: () => unknown, minMs = 400): number {
  for (let i = 0; i < 2000; i++) fn();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    for (let i = 0; i < 500; i++) fn();
    n += 500;
  }
  return ((performance.now() - start) * 1e6) / n;
}

for (const [name, raw] of Object.entries(bodies)) {
  const check = nsPerCall(() => exactValuesProblem(raw));
  const parse = nsPerCall(() => JSON.parse(raw.toString('utf8')));
  console.log(`${name.padEnd(34)} ${String(raw.length).padStart(6)} B   check ${(check / 1000).toFixed(2).padStart(7)} µs   JSON.parse ${(parse / 1000).toFixed(2).padStart(7)} µs   ${((100 * check) / parse).toFixed(0)} %`);
}
