import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../helpers/env.js';

describe('start-up of the built gateway', () => {
  it('a bad setting stops start-up with exit code 2 and a message naming the variable', () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'dist/src/main.js')], {
      env: { PATH: process.env.PATH ?? '', PORT: 'eighty', KAFKA_LINGER_MS: '-5' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).to.equal(2);
    expect(result.stderr).to.contain('PORT').and.to.contain('"eighty"');
    expect(result.stderr).to.contain('KAFKA_LINGER_MS');
    expect(result.stderr).not.to.match(/\n\s+at .+:\d+:\d+/);
  });
});
