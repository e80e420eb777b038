import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { keyDigest, KeysFileError, parseKeys } from '../../../src/access/keys-file.js';

const sha = (key: string) => createHash('sha256').update(key).digest('hex');

describe('keys file', () => {
  it('compiles a valid entry: digest, patterns, secret, rate limit', () => {
    const [e] = parseKeys([
      { name: 'orders-service', key_sha256: sha('k1'), topics: ['orders.*'], hmac_secret: 's'.repeat(16), rate_limit: { per_second: 200, burst: 400 } },
    ]);
    expect(e!.name).to.equal('orders-service');
    expect(e!.keyDigest!.equals(keyDigest('k1'))).to.equal(true);
    expect(e!.topics.matches('orders.x')).to.equal(true);
    expect(e!.rateLimit).to.deep.equal({ perSecond: 200, burst: 400 });
  });

  it('burst defaults to per_second', () => {
    const [e] = parseKeys([{ name: 'a', key_sha256: sha('k'), topics: [], rate_limit: { per_second: 5 } }]);
    expect(e!.rateLimit).to.deep.equal({ perSecond: 5, burst: 5 });
  });

  const broken: Array<[string, unknown, RegExp]> = [
    ['not an array', { name: 'a' }, /must be a JSON array/],
    ['a bad digest', [{ name: 'a', key_sha256: 'abc', topics: [] }], /entry 0 \(a\): key_sha256: must be the 64 hex digits/],
    ['no topics', [{ name: 'a', key_sha256: sha('k') }], /entry 0 \(a\): topics/],
    ['a bad pattern', [{ name: 'a', key_sha256: sha('k'), topics: ['x', 'o/*'] }], /entry 0 \(a\): topics\.1: "o\/\*"/],
    ['neither key nor secret', [{ name: 'a', topics: [] }], /entry 0 \(a\): needs key_sha256, hmac_secret or both/],
    ['an unknown field', [{ name: 'a', key_sha256: sha('k'), topics: [], topic: [] }], /entry 0 \(a\):.*topic/],
    ['a short secret', [{ name: 'a', hmac_secret: 'short', topics: [] }], /hmac_secret: must be at least 16/],
    ['a duplicate name', [{ name: 'a', key_sha256: sha('k'), topics: [] }, { name: 'a', key_sha256: sha('j'), topics: [] }], /entry 1 \(a\): name is used/],
    ['a duplicate key', [{ name: 'a', key_sha256: sha('k'), topics: [] }, { name: 'b', key_sha256: sha('k').toUpperCase(), topics: [] }], /entry 1 \(b\): key_sha256 is used/],
    ['a bad name', [{ name: 'x y', key_sha256: sha('k'), topics: [] }], /entry 0: name/],
    ['a zero rate', [{ name: 'a', key_sha256: sha('k'), topics: [], rate_limit: { per_second: 0 } }], /rate_limit\.per_second/],
  ];
  for (const [what, json, message] of broken) {
    it(`refuses ${what}, naming the entry and the problem`, () => {
      expect(() => parseKeys(json, 'keys.json')).to.throw(KeysFileError, message);
    });
  }
});
