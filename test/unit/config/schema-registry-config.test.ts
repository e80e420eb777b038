import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { ConfigError, loadConfig } from '../../../src/config/config.js';

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('config: Schema Registry value formats', () => {
  it('nothing set: no registry settings at all (plain JSON everywhere)', () => {
    expect(loadConfig({}).schemaRegistry).to.equal(undefined);
    expect(loadConfig({ TOPIC_VALUE_FORMATS: 'orders=json' }).schemaRegistry).to.equal(undefined);
    // A URL alone (for npm run schemas:push) is not in use by the gateway: no topic has a registry format.
    expect(loadConfig({ SCHEMA_REGISTRY_URL: 'http://127.0.0.1:1/apis/ccompat/v7' }).schemaRegistry!.inUse).to.equal(false);
    expect(loadConfig({ SCHEMA_REGISTRY_URL: 'http://r', TOPIC_VALUE_FORMATS: 'a=json,b=avro' }).schemaRegistry!.inUse).to.equal(true);
  });

  it('reads the formats, the strategy, the TTL; credentials stay redacted', () => {
    const c = loadConfig({
      SCHEMA_REGISTRY_URL: 'https://registry.example/apis/ccompat/v7',
      TOPIC_VALUE_FORMATS: 'orders.*=avro:com.acme.Order',
      SCHEMA_REGISTRY_SUBJECT_NAME_STRATEGY: 'TopicRecordNameStrategy',
      SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: 'svc:s3cret',
      SCHEMA_REGISTRY_CACHE_TTL_S: '60',
    }).schemaRegistry!;
    expect(c.topicFormats).to.deep.equal([{ pattern: 'orders.*', format: 'avro', recordName: 'com.acme.Order' }]);
    expect(c.cacheTtlMs).to.equal(60_000);
    expect(c.basicAuthUserInfo!.reveal()).to.equal('svc:s3cret');
    expect(JSON.stringify(c)).to.not.contain('s3cret');
    expect(inspect(c)).to.not.contain('s3cret');
  });

  it('reads the _FILE variants and the CA once', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kgate-sr-'));
    writeFileSync(path.join(dir, 'token'), 'tok-123\n');
    writeFileSync(path.join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    const c = loadConfig({
      SCHEMA_REGISTRY_URL: 'https://r.example',
      TOPIC_VALUE_FORMATS: 'x=jsonschema',
      SCHEMA_REGISTRY_BEARER_TOKEN_FILE: path.join(dir, 'token'),
      SCHEMA_REGISTRY_CA_LOCATION: path.join(dir, 'ca.pem'),
    }).schemaRegistry!;
    expect(c.bearerToken!.reveal()).to.equal('tok-123');
    expect(c.ca).to.contain('BEGIN CERTIFICATE');
  });

  for (const [what, env, message] of [
    ['a registry format without a URL', { TOPIC_VALUE_FORMATS: 'orders=avro' }, 'TOPIC_VALUE_FORMATS: orders=avro needs SCHEMA_REGISTRY_URL'],
    ['an unknown format', { TOPIC_VALUE_FORMATS: 'orders=xml' }, 'TOPIC_VALUE_FORMATS: "orders=xml": the format must be one of'],
    ['a record strategy without record names', { SCHEMA_REGISTRY_URL: 'http://r', TOPIC_VALUE_FORMATS: 'o=avro', SCHEMA_REGISTRY_SUBJECT_NAME_STRATEGY: 'RecordNameStrategy' }, 'needs a record name'],
    ['basic and bearer together', { SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: 'a:b', SCHEMA_REGISTRY_BEARER_TOKEN: 't' }, 'SCHEMA_REGISTRY_BEARER_TOKEN: set basic authentication or a bearer token, not both'],
    ['a variable and its _FILE', { SCHEMA_REGISTRY_BEARER_TOKEN: 't', SCHEMA_REGISTRY_BEARER_TOKEN_FILE: '/x' }, 'SCHEMA_REGISTRY_BEARER_TOKEN_FILE: set SCHEMA_REGISTRY_BEARER_TOKEN or SCHEMA_REGISTRY_BEARER_TOKEN_FILE, not both'],
    ['an unreadable CA', { SCHEMA_REGISTRY_CA_LOCATION: '/nonexistent/ca.pem' }, 'SCHEMA_REGISTRY_CA_LOCATION: cannot read'],
    ['user info without a colon', { SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: 'nocolon' }, 'SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: expected user:password'],
    ['a URL that is not http(s)', { SCHEMA_REGISTRY_URL: 'ftp://r' }, 'SCHEMA_REGISTRY_URL: expected the http(s) base'],
    ['an unknown strategy', { SCHEMA_REGISTRY_SUBJECT_NAME_STRATEGY: 'Topic' }, 'SCHEMA_REGISTRY_SUBJECT_NAME_STRATEGY'],
  ] as const) {
    it(`stops start-up on ${what}, naming the variable`, () => {
      expect(problems(env as Record<string, string>)).to.contain(message);
    });
  }

  it('never echoes the user info in a refusal', () => {
    expect(problems({ SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: 'nocolon-secret' })).to.not.contain('nocolon-secret');
  });
});
