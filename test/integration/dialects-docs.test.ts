import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import type { RunningGateway } from '../../src/gateway.js';
import { ROOT, uniqueTopic } from '../helpers/env.js';
import { startTestGateway } from '../helpers/gateway.js';

const run = promisify(execFile);

/** Every ```sh block of docs/dialects.md, run by bash against a test gateway: the curl examples must work. */
describe('docs/dialects.md: the curl examples work', function () {
  this.timeout(60_000);
  let gw: RunningGateway;
  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw.shutdown());

  const doc = readFileSync(path.join(ROOT, 'docs/dialects.md'), 'utf8');
  const blocks = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);

  it('has examples for both dialects', () => {
    expect(blocks.join('\n')).to.include('/cloudevents/orders').and.include('/topics/orders').and.include('/records');
  });

  blocks.forEach((block, n) => {
    it(`block ${n + 1} answers 2xx with every message written`, async () => {
      // A topic of this run's own, and one answer per line: --fail-with-body makes an error status fail the block.
      const script = `set -e\n${block
        .replaceAll('http://localhost:8001', gw.url)
        .replaceAll('/orders', `/${uniqueTopic('docs-orders')}`)
        .replaceAll('curl -sS', `curl -sS --fail-with-body -w '\\n'`)}`;
      const { stdout } = await run('bash', ['-c', script]);
      const answers = stdout.trim().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, any>);
      expect(answers.length).to.be.at.least((block.match(/curl -sS/g) ?? []).length);
      for (const answer of answers) {
        if ('offsets' in answer) expect(answer['offsets'].every((o: { error_code: unknown }) => o.error_code === null)).to.equal(true);
        else if ('successes' in answer) expect(answer['failures'], JSON.stringify(answer)).to.deep.equal([]); // REST Proxy v3 records:batch
        else if ('error_code' in answer) expect(answer).to.include({ error_code: 200 }); // REST Proxy v3
        else expect(answer).to.include({ success: true });
      }
    });
  });
});
