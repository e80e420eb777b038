import { expect } from 'chai';
import { subjectName } from '../../../src/serdes/subject-name.js';
import { ConfigError, loadConfig } from '../../../src/config/config.js';
import { parseTopicFormats } from '../../../src/config/value-formats.js';
import { startSerdes } from '../../../src/serdes/start-serdes.js';
import { compileTopicFormats } from '../../../src/serdes/topic-formats.js';

describe('serdes: TOPIC_VALUE_FORMATS and subject names', () => {
  it('parses globs, formats and record names; the first match wins; unlisted topics are plain JSON', () => {
    const parsed = parseTopicFormats('orders.*=avro, orders.legacy=json ,users=jsonschema:com.acme.User,events.*=protobuf');
    expect(parsed).to.deep.equal({
      rules: [
        { pattern: 'orders.*', format: 'avro' },
        { pattern: 'orders.legacy', format: 'json' },
        { pattern: 'users', format: 'jsonschema', recordName: 'com.acme.User' },
        { pattern: 'events.*', format: 'protobuf' },
      ],
    });
    const formats = compileTopicFormats((parsed as { rules: never[] }).rules);
    expect(formats('orders.eu')).to.deep.equal({ format: 'avro', recordName: undefined });
    expect(formats('orders.legacy')).to.deep.equal({ format: 'avro', recordName: undefined }); // orders.* comes first
    expect(formats('users')).to.deep.equal({ format: 'jsonschema', recordName: 'com.acme.User' });
    expect(formats('orders.eu.x')).to.equal(undefined); // * does not cross a dot, as in the keys file
    expect(formats('other')).to.equal(undefined);
  });

  for (const [text, problem] of [
    ['orders', 'expected <topic glob>=<format>'],
    ['orders=xml', 'the format must be one of json, jsonschema, avro, protobuf'],
    ['or ders=avro', 'a topic pattern'],
    ['orders=avro:1bad', 'a record name is a dotted name'],
    ['orders=json:com.acme.X', 'json takes no record name'],
  ] as const) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      const parsed = parseTopicFormats(text);
      expect('problem' in parsed && parsed.problem).to.contain(problem);
    });
  }

  it('start-up stops when a registry format would take the status or the dead-letter topic', () => {
    const log = { warn: () => {}, error: () => {} };
    const settings = (formats: string) => loadConfig({ SCHEMA_REGISTRY_URL: 'http://127.0.0.1:1', TOPIC_VALUE_FORMATS: formats }).schemaRegistry!;
    expect(() => startSerdes(settings('code-*=avro'), log, {}, { STATUS_TOPIC: 'code-execution-status' })).to.throw(ConfigError, 'gives STATUS_TOPIC "code-execution-status" the format avro');
    expect(() => startSerdes(settings('dl=jsonschema'), log, {}, { DEAD_LETTER_TOPIC: 'dl' })).to.throw(ConfigError, 'gives DEAD_LETTER_TOPIC "dl" the format jsonschema');
    startSerdes(settings('code-execution-status=json,code-*=avro'), log, {}, { STATUS_TOPIC: 'code-execution-status' }).close();
  });

  it('names subjects as Confluent\'s strategies do', () => {
    expect(subjectName('TopicNameStrategy', 'orders', undefined)).to.equal('orders-value');
    expect(subjectName('RecordNameStrategy', 'orders', 'com.acme.Order')).to.equal('com.acme.Order');
    expect(subjectName('TopicRecordNameStrategy', 'orders', 'com.acme.Order')).to.equal('orders-com.acme.Order');
    expect(() => subjectName('RecordNameStrategy', 'orders', undefined)).to.throw(/record name/);
  });
});
