import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../src/config/config.js';

const problem = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('no ConfigError');
};

describe('AUTH_JWT_* settings', () => {
  it('off by default; on with an issuer and an audience list', () => {
    expect(loadConfig({}).access.jwt).to.equal(undefined);
    const jwt = loadConfig({ AUTH_JWT_ISSUER: 'https://idp.example/realms/x', AUTH_JWT_AUDIENCE: 'kgate, other', AUTH_JWT_RATE_LIMIT: '5/20' }).access.jwt!;
    expect(jwt.audience).to.deep.equal(['kgate', 'other']);
    expect(jwt.algorithms).to.deep.equal(['RS256', 'ES256', 'EdDSA', 'PS256']);
    expect(jwt.clockSkewS).to.equal(60);
    expect(jwt.nameClaim).to.equal('sub');
    expect(jwt.rateLimit).to.deep.equal({ perSecond: 5, burst: 20 });
  });

  it('refuses HMAC algorithms and none, naming the variable', () => {
    for (const alg of ['HS256', 'none', 'RS256,HS512']) {
      expect(problem({ AUTH_JWT_JWKS_URL: 'http://127.0.0.1:1/jwks', AUTH_JWT_AUDIENCE: 'a', AUTH_JWT_ALGORITHMS: alg })).to.contain('AUTH_JWT_ALGORITHMS');
    }
  });

  it('needs an audience; other AUTH_JWT_* without an issuer or JWKS URL stop start-up', () => {
    expect(problem({ AUTH_JWT_ISSUER: 'https://idp.example' })).to.contain('AUTH_JWT_AUDIENCE');
    expect(problem({ AUTH_JWT_AUDIENCE: 'kgate' })).to.contain('AUTH_JWT_AUDIENCE: set, but JWT authentication is off');
    expect(problem({ AUTH_JWT_ISSUER: 'not a url', AUTH_JWT_AUDIENCE: 'a' })).to.contain('AUTH_JWT_ISSUER');
    expect(problem({ AUTH_JWT_ISSUER: 'https://idp.example', AUTH_JWT_AUDIENCE: 'a', AUTH_JWT_RATE_LIMIT: 'fast' })).to.contain('AUTH_JWT_RATE_LIMIT');
  });
});
