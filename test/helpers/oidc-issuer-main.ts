// The test OIDC issuer as a process, for scripts (scripts/schemathesis.sh's jwt mode):
// prints one JSON line {"issuer", "jwks_url", "token"} (a token for audience $AUDIENCE granting every
// topic, living an hour), then serves until killed.
import { OidcIssuer } from './oidc-issuer.js';

const audience = process.env['AUDIENCE'] ?? 'kgate';
const issuer = await OidcIssuer.start();
const token = await issuer.sign({ sub: 'schemathesis', aud: audience, kgate_topics: ['*'] }, { lifetimeS: 3600 });
process.stdout.write(`${JSON.stringify({ issuer: issuer.issuer, jwks_url: issuer.jwksUrl, token })}\n`);
const stop = () => void issuer.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
