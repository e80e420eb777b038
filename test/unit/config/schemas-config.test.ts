import { expect } from 'chai';
import path from 'node:path';
import { loadConfig } from '../../../src/config/config.js';
import { ROOT } from '../../helpers/env.js';

describe('config: topic schemas', () => {
  it('defaults: schemas/ in the package root, unregistered topics accepted, no dead letters, topic code-execution', () => {
    const c = loadConfig({});
    expect(c.schemas).to.deep.equal({ dir: path.join(ROOT, 'schemas'), unregisteredTopics: 'accept', maxDepth: 64, deadLetterTopic: undefined });
    expect(c.codeExecution).to.deep.equal({ topic: 'code-execution' });
  });

  it('reads the settings, resolving a relative SCHEMA_DIR from the working directory', () => {
    const c = loadConfig({ SCHEMA_DIR: 'my-schemas', UNREGISTERED_TOPICS: 'reject', SCHEMA_MAX_DEPTH: '10', DEAD_LETTER_TOPIC: 'dlq', CODE_EXECUTION_TOPIC: 'runs' });
    expect(c.schemas).to.deep.equal({ dir: path.resolve('my-schemas'), unregisteredTopics: 'reject', maxDepth: 10, deadLetterTopic: 'dlq' });
    expect(c.codeExecution.topic).to.equal('runs');
  });
});
