import { expect } from 'chai';
import { IdRing } from '../../../src/kafka/id-ring.js';

describe('IdRing', () => {
  it('hands out consecutive ids and finds, deletes and lists entries oldest first', () => {
    const ring = new IdRing<string>();
    const ids = ['a', 'b', 'c'].map((v) => ring.add(v));
    expect(ids[1]! - ids[0]!).to.equal(1);
    expect(ring.get(ids[1]!)).to.equal('b');
    expect(ring.delete(ids[1]!)).to.equal(true);
    expect(ring.delete(ids[1]!)).to.equal(false);
    expect(ring.get(ids[1]!)).to.equal(undefined);
    expect(ring.ids()).to.deep.equal([ids[0], ids[2]]);
    expect(ring.first()).to.deep.equal({ id: ids[0], entry: 'a' });
    ring.delete(ids[0]!);
    expect(ring.first()).to.deep.equal({ id: ids[2], entry: 'c' });
    expect(ring.size).to.equal(1);
    ring.delete(ids[2]!);
    expect(ring.first()).to.equal(undefined);
    expect(ring.get(12345)).to.equal(undefined);
  });

  it('keeps every entry when one old entry stays while far more than its capacity pass through', () => {
    const ring = new IdRing<number>();
    const stuck = ring.add(-1);
    const live = new Map<number, number>();
    for (let i = 0; i < 10_000; i++) {
      live.set(ring.add(i), i);
      // Delete all but every 7th, so holes and survivors spread over several growths.
      if (i % 7 !== 0) {
        const id = [...live.keys()].at(-1)!;
        ring.delete(id);
        live.delete(id);
      }
    }
    expect(ring.get(stuck)).to.equal(-1);
    for (const [id, value] of live) expect(ring.get(id)).to.equal(value);
    expect(ring.size).to.equal(live.size + 1);
    expect(ring.ids()).to.deep.equal([stuck, ...live.keys()]);
  });
});
