import { expect } from 'chai';
import { pushSchemas, registryDocument, type PushLine } from '../../../src/serdes/push-schemas.js';

describe('serdes: pushSchemas', () => {
  const version = (v: string) => ({ topic: 't', version: v, id: `/t/${v}`, file: `schemas/t/${v}.json`, document: { $schema: 'https://json-schema.org/draft/2020-12/schema', $id: `/t/${v}`, type: 'object', title: v }, validate: (() => true) as never });
  const local = { topics: () => [{ topic: 't', versions: [version('1.0.0'), version('1.1.0'), version('2.0.0')], latest: version('2.0.0') }] };

  it('sends the file without its $id (and without $schema with omitDialect)', () => {
    expect(JSON.parse(registryDocument(version('1.0.0').document, false))).to.deep.equal({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', title: '1.0.0' });
    expect(JSON.parse(registryDocument(version('1.0.0').document, true))).to.deep.equal({ type: 'object', title: '1.0.0' });
  });

  it('skips versions already there, registers compatible ones in order, stops at the first incompatible one', async () => {
    const registered: string[] = [];
    const lines: PushLine[] = [];
    const ok = await pushSchemas(
      local,
      {
        lookup: async (_s, text) => (JSON.parse(text).title === '1.0.0' ? { subject: 't-value', version: 1, id: 1, schema: text, schemaType: 'JSON' } : undefined),
        isCompatible: async (_s, text) => ({ compatible: JSON.parse(text).title !== '2.0.0', messages: ['age is required now'] }),
        register: async (_s, text) => {
          registered.push(JSON.parse(text).title);
          return 2;
        },
      },
      (l) => lines.push(l),
    );
    expect(ok).to.equal(false);
    expect(registered).to.deep.equal(['1.1.0']);
    expect(lines.map((l) => [l.file, l.outcome])).to.deep.equal([
      ['schemas/t/1.0.0.json', 'present'],
      ['schemas/t/1.1.0.json', 'registered'],
      ['schemas/t/2.0.0.json', 'incompatible'],
    ]);
    expect(lines[2]!.detail).to.contain('age is required now');
  });
});
