import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config/config.js';

const SECRET = 'a-webhook-secret-0123456789';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('webhook settings', () => {
  it('are off without WEBHOOK_URL', () => {
    expect(loadConfig({}).webhooks).to.equal(undefined);
  });

  it('read URL, secret and bounds', () => {
    const w = loadConfig({ WEBHOOK_URL: 'https://hooks.example.com/kgate', WEBHOOK_SECRET: SECRET, WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_MAX_EVENT_AGE_S: '60' }).webhooks!;
    expect(w).to.include({ url: 'https://hooks.example.com/kgate', secret: SECRET, maxAttempts: 3, maxEventAgeMs: 60_000, consumerGroup: 'kgate-webhooks' });
  });

  it('read the secret from WEBHOOK_SECRET_FILE without its trailing newline', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kgate-')), 'secret');
    writeFileSync(file, `${SECRET}\n`);
    expect(loadConfig({ WEBHOOK_URL: 'http://127.0.0.1:9/x', WEBHOOK_SECRET_FILE: file }).webhooks!.secret).to.equal(SECRET);
  });

  it('stop start-up naming the variable, never echoing a secret', () => {
    expect(problems({ WEBHOOK_URL: 'http://127.0.0.1:9/x' })[0]).to.match(/^WEBHOOK_SECRET: required/);
    expect(problems({ WEBHOOK_URL: 'ftp://x/y', WEBHOOK_SECRET: SECRET })[0]).to.match(/^WEBHOOK_URL:/);
    expect(problems({ WEBHOOK_URL: 'http://x/y', WEBHOOK_SECRET: SECRET, WEBHOOK_SECRET_FILE: '/nope' })[0]).to.match(/^WEBHOOK_SECRET and WEBHOOK_SECRET_FILE: set one, not both/);
    expect(problems({ WEBHOOK_SECRET_FILE: '/nonexistent/secret' })[0]).to.match(/^WEBHOOK_SECRET_FILE: cannot read/);
    expect(problems({ WEBHOOK_URL: 'http://x/y', WEBHOOK_SECRET: SECRET, WEBHOOK_BACKOFF_BASE_MS: '5000', WEBHOOK_BACKOFF_MAX_MS: '100' })[0]).to.match(/^WEBHOOK_BACKOFF_MAX_MS:/);
    const short = problems({ WEBHOOK_SECRET: 'tooShortKey' });
    expect(short[0]).to.match(/^WEBHOOK_SECRET:/);
    expect(short.join('\n')).to.not.include('tooShortKey');
  });
});
