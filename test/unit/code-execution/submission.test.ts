import { expect } from 'chai';
import { languagesFromSchema } from '../../../src/code-execution/languages.js';
import { submissionMessage } from '../../../src/code-execution/submission.js';
import { loadSchemaRegistry } from '../../../src/schemas/registry.js';
import { REPO_SCHEMAS } from '../../helpers/schema-dir.js';

describe('code-execution', () => {
  const document = loadSchemaRegistry(REPO_SCHEMAS).get('code-execution')!.latest.document;

  it('derives the language list from the schema: seed 001\'s identifiers, with names and extensions', () => {
    const languages = languagesFromSchema(document);
    expect(languages.map((l) => l.value)).to.deep.equal(['python', 'javascript', 'java', 'cpp', 'c', 'csharp', 'go', 'rust']);
    expect(languages[0]).to.deep.equal({ name: 'Python', value: 'python', extension: '.py' });
    expect(languages.find((l) => l.value === 'cpp')).to.deep.equal({ name: 'C++', value: 'cpp', extension: '.cpp' });
  });

  it('refuses a schema whose language list lacks details for a value', () => {
    const broken = { properties: { language: { enum: ['python', 'zig'], 'x-enum-details': { python: { name: 'Python', extension: '.py' } } } } };
    expect(() => languagesFromSchema(broken)).to.throw(/x-enum-details"\]\.zig/);
  });

  it('builds seed 000\'s message; request_id, timestamp and status are the gateway\'s', () => {
    const ctx = { requestId: 'req-9', receivedAt: new Date('2024-12-01T14:30:22.123Z') };
    const message = submissionMessage({ code: 'x', language: 'go', user_id: 'u', status: 'completed', request_id: 'forged' }, ctx);
    expect(message).to.deep.equal({
      request_id: 'req-9',
      code: 'x',
      language: 'go',
      input_data: '',
      user_id: 'u',
      timestamp: '2024-12-01T14:30:22.123Z',
      status: 'submitted',
    });
    expect(Object.keys(message)).to.deep.equal(['request_id', 'code', 'language', 'input_data', 'user_id', 'timestamp', 'status']);
    expect(submissionMessage({ code: 'x', language: 'go', user_id: null }, ctx)).not.to.have.property('user_id');
    expect(() => submissionMessage(['x'], ctx)).to.throw(/takes a JSON object/);
  });
});
