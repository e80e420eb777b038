import { expect } from 'chai';
import { clusterIdOf, metadataRequest } from '../../../src/kafka/cluster-id.js';

describe('kafka/cluster-id: Metadata v4 request and the cluster_id of its response', () => {
  it('encodes api key 3, version 4, the client id, no topics, no auto-creation', () => {
    const req = metadataRequest('kgate');
    expect(req.readInt32BE(0)).to.equal(req.length - 4);
    expect(req.readInt16BE(4)).to.equal(3);
    expect(req.readInt16BE(6)).to.equal(4);
    expect(req.toString('utf8', 14, 19)).to.equal('kgate');
    expect(req.readInt32BE(19)).to.equal(0);
    expect(req.readInt8(23)).to.equal(0);
  });

  it('reads cluster_id after the brokers (and null as unknown)', () => {
    const str = (s: string | null) => {
      if (s === null) return Buffer.from([0xff, 0xff]);
      const b = Buffer.alloc(2);
      b.writeInt16BE(s.length);
      return Buffer.concat([b, Buffer.from(s)]);
    };
    const int32 = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeInt32BE(n);
      return b;
    };
    const response = (id: string | null) => Buffer.concat([int32(1), int32(0), int32(1), int32(7), str('host'), int32(9092), str(null), str(id), int32(7), int32(0)]);
    expect(clusterIdOf(response('abc-123'))).to.equal('abc-123');
    expect(clusterIdOf(response(null))).to.equal(undefined);
  });
});
