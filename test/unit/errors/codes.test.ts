import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { carriesRetryAfter, errorCodes, RETRY_AFTER_STATUSES } from '../../../src/errors/codes.js';
import { GatewayError } from '../../../src/errors/gateway-error.js';
import { ROOT } from '../../helpers/env.js';

describe('error codes', () => {
  it('docs/errors.md lists every code with its status, and no code that does not exist', () => {
    const doc = readFileSync(path.join(ROOT, 'docs/errors.md'), 'utf8');
    const documented = new Map([...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1]!, Number(m[2])]));
    const table = new Map(Object.entries(errorCodes).map(([code, e]) => [code, e.status]));
    expect(Object.fromEntries(documented)).to.deep.equal(Object.fromEntries(table));
  });

  it('a GatewayError body holds code, detail, retriable and nothing from its cause', () => {
    const err = new GatewayError('QUEUE_FULL', undefined, { cause: new Error('secret internals') });
    const body = err.toJSON();
    expect(body).to.deep.equal({ code: 'QUEUE_FULL', detail: errorCodes.QUEUE_FULL.detail, retriable: true });
    expect(JSON.stringify(body)).not.to.contain('secret');
    expect(err.status).to.equal(503);
  });

  it('Retry-After statuses come from the table: those of the retriable 5xx codes, 503 and 504', () => {
    expect(RETRY_AFTER_STATUSES).to.deep.equal([503, 504]);
    expect([500, 503, 504, 429].map(carriesRetryAfter)).to.deep.equal([false, true, true, false]);
  });
});
