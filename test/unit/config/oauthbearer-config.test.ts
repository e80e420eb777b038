import { expect } from 'chai';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { ConfigError, loadConfig } from '../../../src/config/config.js';
import { connectionProperties, describeConnection } from '../../../src/kafka/connection-config.js';

const base = {
  KAFKA_SECURITY_PROTOCOL: 'sasl_ssl',
  KAFKA_SASL_MECHANISM: 'OAUTHBEARER',
  KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL: 'https://idp.example/oauth2/token',
  KAFKA_SASL_OAUTHBEARER_CLIENT_ID: 'kgate',
  KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET: 'very-secret-value',
};
const problem = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('no ConfigError');
};

describe('KAFKA_SASL_MECHANISM=OAUTHBEARER settings', () => {
  it('reads the client credentials; librdkafka gets the mechanism only; the secret is shown nowhere', () => {
    const c = loadConfig({ ...base, KAFKA_SASL_OAUTHBEARER_SCOPE: 'kafka' });
    expect(c.kafka.security.oauthbearer).to.include({ tokenEndpointUrl: base.KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL, clientId: 'kgate', scope: 'kafka' });
    expect(c.kafka.security.sasl).to.equal(undefined);
    const props = connectionProperties(c.kafka);
    expect(props).to.include({ 'sasl.mechanisms': 'OAUTHBEARER' });
    expect(describeConnection(c.kafka)).to.include({ sasl_mechanism: 'OAUTHBEARER', oauthbearer_client_id: 'kgate' });
    for (const text of [JSON.stringify(c), inspect(c, { depth: 10 }), JSON.stringify(props), JSON.stringify(describeConnection(c.kafka))]) {
      expect(text).to.not.contain('very-secret-value');
    }
  });

  it('the secret from a file', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kgate-oauth-')), 'secret');
    writeFileSync(file, 'from-file-secret\n');
    const { KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET: _, ...rest } = base;
    expect(loadConfig({ ...rest, KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET_FILE: file }).kafka.security.oauthbearer!.clientSecret.reveal()).to.equal('from-file-secret');
  });

  it('stops start-up naming what is missing or misplaced', () => {
    const { KAFKA_SASL_OAUTHBEARER_CLIENT_ID: _, ...noId } = base;
    expect(problem(noId)).to.contain('KAFKA_SASL_OAUTHBEARER_CLIENT_ID');
    expect(problem({ ...base, KAFKA_SASL_USERNAME: 'u' })).to.contain('KAFKA_SASL_USERNAME');
    expect(problem({ ...base, KAFKA_SECURITY_PROTOCOL: 'ssl' })).to.contain('OAUTHBEARER');
    expect(problem({ KAFKA_SASL_OAUTHBEARER_CLIENT_ID: 'x' })).to.contain('KAFKA_SASL_OAUTHBEARER_CLIENT_ID: set, but KAFKA_SASL_MECHANISM is not OAUTHBEARER');
    expect(problem({ ...base, KAFKA_SASL_OAUTHBEARER_EXTENSIONS: 'logicalCluster=lkc-1,identityPoolId=pool-2' })).to.contain('KAFKA_SASL_OAUTHBEARER_EXTENSIONS');
    expect(problem({ ...base, KAFKA_SASL_OAUTHBEARER_EXTENSIONS: 'bad' })).to.contain('KAFKA_SASL_OAUTHBEARER_EXTENSIONS');
  });
});
