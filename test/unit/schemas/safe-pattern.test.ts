import { expect } from 'chai';
import { patternsIn, unsafePatternReason } from '../../../src/schemas/safe-pattern.js';

describe('safe-pattern', () => {
  for (const pattern of ['\\S', '^[A-Za-z0-9._:-]+$', '^(ab)*$', '^(?:a|b)+c$', '^\\d{4}-\\d{2}$', '^([a-z]{2,3})(-[A-Z]{2})?$', '[(+*)]+', '^(a+){2}$']) {
    it(`accepts ${pattern}`, () => expect(unsafePatternReason(pattern)).to.equal(undefined));
  }
  for (const pattern of ['^(a+)+$', '(a*)*', '^(\\w+\\s?)*$', '((ab+)c)*', '(a+){2,}', '(x+x+)+y', '^(a)\\1$', '(?<q>a)\\k<q>']) {
    it(`refuses ${pattern}`, () => expect(unsafePatternReason(pattern)).to.be.a('string'));
  }

  it('finds patterns in nested subschemas and patternProperties, not in enum values or annotations', () => {
    const found = patternsIn({
      properties: { a: { type: 'string', pattern: 'x+' }, pattern: { type: 'string' } },
      items: [{ patternProperties: { '^k': true } }],
      enum: [{ pattern: 'not-a-schema' }],
      'x-enum-details': { pattern: 'annotation' },
    });
    expect(found.map((f) => f.pattern).sort()).to.deep.equal(['^k', 'x+']);
    expect(found.find((f) => f.pattern === 'x+')?.pointer).to.equal('/properties/a/pattern');
  });

  it('finishes at once on a hostile-length pattern string', () => {
    const started = process.hrtime.bigint();
    unsafePatternReason('(a'.repeat(50_000) + ')'.repeat(50_000));
    expect(Number(process.hrtime.bigint() - started) / 1e6).to.be.below(500);
  });
});
