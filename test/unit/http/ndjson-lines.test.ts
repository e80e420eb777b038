import { expect } from 'chai';
import { ndjsonLines, type NdjsonLine } from '../../../src/http/ndjson-lines.js';

async function split(chunks: string[], max: number): Promise<NdjsonLine[]> {
  async function* source(): AsyncGenerator<Buffer> {
    for (const c of chunks) yield Buffer.from(c);
  }
  const out: NdjsonLine[] = [];
  for await (const group of ndjsonLines(source(), max)) out.push(...group);
  return out;
}

describe('ndjsonLines', () => {
  it('joins lines split across chunks, numbers them, drops \\r and blank lines, keeps a last line without \\n', async () => {
    expect(await split(['{"a"', ':1}\r\n\n  \n{"b":2}\n{"c"', ':3}'], 100)).to.deep.equal([
      { line: 1, text: '{"a":1}' },
      { line: 4, text: '{"b":2}' },
      { line: 5, text: '{"c":3}' },
    ]);
  });

  it('keeps a multi-byte character split between chunks', async () => {
    const bytes = Buffer.from('{"s":"é€"}\n');
    async function* source(): AsyncGenerator<Buffer> {
      for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
    }
    const out: NdjsonLine[] = [];
    for await (const group of ndjsonLines(source(), 100)) out.push(...group);
    expect(out).to.deep.equal([{ line: 1, text: '{"s":"é€"}' }]);
  });

  it('reports a line over the limit as too long without keeping it, and goes on with the next', async () => {
    const long = 'x'.repeat(25);
    expect(await split(['ok1\n', long.slice(0, 10), long.slice(10), '\nok2\n', long], 20)).to.deep.equal([
      { line: 1, text: 'ok1' },
      { line: 2, tooLong: true },
      { line: 3, text: 'ok2' },
      { line: 4, tooLong: true },
    ]);
  });

  it('accepts a line of exactly the limit, with or without \\r', async () => {
    const exact = 'y'.repeat(20);
    expect(await split([`${exact}\n${exact}\r\n`], 20)).to.deep.equal([
      { line: 1, text: exact },
      { line: 2, text: exact },
    ]);
  });
});
