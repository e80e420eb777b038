import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { envSchema } from '../../../src/config/schema.js';
import { ROOT } from '../../helpers/env.js';

describe('docs/configuration.md', () => {
  it('documents every setting the schema reads, and no other', () => {
    const doc = readFileSync(path.join(ROOT, 'docs/configuration.md'), 'utf8');
    const documented = [...doc.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]).sort();
    expect(documented).to.deep.equal(Object.keys(envSchema.shape).sort());
  });
});
