import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../../helpers/env.js';

/** Runs a module script in a child whose stdout is a file, as under a supervisor; returns the file's lines. */
async function linesWrittenBy(script: string): Promise<string[]> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'kgate-log-')), 'out.log');
  const fd = openSync(file, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', fd, 'inherit'] });
  closeSync(fd);
  const code = await new Promise((resolve) => child.once('exit', resolve));
  expect(code).to.equal(0);
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

describe('createLogger: buffered asynchronous stdout', () => {
  it('loses no line logged right before the process exits through flushLogs(), as main.ts does', async function () {
    this.timeout(60_000);
    const lines = await linesWrittenBy(`
      import { createLogger, flushLogs } from './src/logging/logger.ts';
      const log = createLogger('info');
      for (let i = 0; i < 20000; i++) log.info('request', { i, pad: 'p'.repeat(100) });
      log.error('boom', { err: new Error('bad') });
      await flushLogs();
      process.exit(0);
    `);
    expect(lines).to.have.length(20001);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, any>);
    expect(parsed.slice(0, -1).map((p) => p['i'])).to.deep.equal(Array.from({ length: 20000 }, (_, i) => i));
    expect(parsed[0]).to.include({ level: 'info', message: 'request', service: 'kgate' });
    expect(parsed[0]!['timestamp']).to.match(/^\d{4}-\d\d-\d\dT/);
    expect(parsed.at(-1)!['err']).to.include({ name: 'Error', message: 'bad' });
  });

  it('writes a line that plain JSON cannot (a BigInt) through the safe serialiser', async function () {
    this.timeout(60_000);
    const lines = await linesWrittenBy(`
      import { createLogger, flushLogs } from './src/logging/logger.ts';
      createLogger('info').info('big', { n: 10n });
      await flushLogs();
    `);
    expect(lines).to.have.length(1);
    expect(JSON.parse(lines[0]!)).to.include({ message: 'big' });
  });

  it('directLines writes the same line as logger.info, in order with it, and honours the level', async function () {
    this.timeout(60_000);
    const lines = await linesWrittenBy(`
      import { createLogger, directLines, flushLogs } from './src/logging/logger.ts';
      const log = createLogger('info');
      const direct = directLines(log);
      const fields = { request_id: 'r-1', method: 'POST', route: '/produce', status: 200, latency_ms: 1.5, topic: ['a', 'b'], count: 2 };
      log.info('request', { ...fields });
      direct.info('request', { ...fields });
      for (let i = 0; i < 5000; i++) direct.info('request', { i });
      const quiet = createLogger('warn');
      directLines(quiet).info('request', { hidden: true });
      await flushLogs();
      process.exit(0);
    `);
    expect(lines).to.have.length(5002);
    const [viaWinston, viaDirect] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const withoutTime = (o: Record<string, unknown>) => Object.entries(o).filter(([k]) => k !== 'timestamp');
    expect(withoutTime(viaDirect!)).to.deep.equal(withoutTime(viaWinston!));
    expect(viaDirect!['timestamp']).to.match(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
    expect(lines.slice(2).map((l) => (JSON.parse(l) as { i: number }).i)).to.deep.equal(Array.from({ length: 5000 }, (_, i) => i));
    expect(lines.join('')).not.to.contain('hidden');
  });
});
