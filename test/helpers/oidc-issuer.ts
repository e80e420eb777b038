import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface TokenClient {
  secret: string;
  /** The aud of its tokens. */
  audience: string;
  /** Seconds its access tokens live. */
  lifetimeS: number;
  /** Extra claims in its tokens. */
  claims?: JWTPayload;
}

/**
 * A small OpenID Connect issuer for tests, real over HTTP on a free port of 127.0.0.1: discovery document,
 * JWKS, and a client-credentials token endpoint; keys made with jose. Counts what it serves, and can be
 * taken down (every request refused at the socket) and brought back, or rotate its signing key.
 */
export class OidcIssuer {
  jwksFetches = 0;
  tokenRequests = 0;
  /** While true, every connection is destroyed at once (a down identity provider). */
  down = false;
  /** While true, the token endpoint alone answers 503 (the JWKS still serves). */
  tokenEndpointDown = false;
  readonly clients = new Map<string, TokenClient>();
  private keys: SigningKey[] = [];
  private server!: Server;
  url = '';

  static async start(): Promise<OidcIssuer> {
    const issuer = new OidcIssuer();
    await issuer.addKey();
    issuer.server = createServer((req, res) => void issuer.handle(req, res));
    issuer.server.on('connection', (socket) => {
      if (issuer.down) socket.destroy();
    });
    await new Promise<void>((resolve) => issuer.server.listen(0, '127.0.0.1', resolve));
    issuer.url = `http://127.0.0.1:${(issuer.server.address() as AddressInfo).port}`;
    return issuer;
  }

  get issuer(): string {
    return this.url;
  }

  get jwksUrl(): string {
    return `${this.url}/jwks`;
  }

  get tokenUrl(): string {
    return `${this.url}/token`;
  }

  /** A new signing key, published in the JWKS and used for new tokens; the old ones stay published unless dropped. */
  async addKey(alg = 'RS256', options: { dropOld?: boolean } = {}): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const kid = `k${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
    const key = { kid, alg, privateKey, publicJwk };
    this.keys = options.dropOld ? [key] : [key, ...this.keys];
    return kid;
  }

  /** The current key's public JWK (for key-confusion tests). */
  get publicJwk(): JWK {
    return this.keys[0]!.publicJwk;
  }

  /** A token signed with the current key (or a key not in the JWKS with `unpublished`). */
  async sign(claims: JWTPayload, options: { lifetimeS?: number; kid?: string; nbf?: number; iat?: number } = {}): Promise<string> {
    const key = this.keys[0]!;
    const nowS = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({ iss: this.issuer, ...claims })
      .setProtectedHeader({ alg: key.alg, kid: options.kid ?? key.kid, typ: 'JWT' })
      .setIssuedAt(options.iat ?? nowS)
      .setExpirationTime((options.iat ?? nowS) + (options.lifetimeS ?? 300));
    if (options.nbf !== undefined) jwt.setNotBefore(options.nbf);
    return jwt.sign(key.privateKey);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/.well-known/openid-configuration') {
      return json(res, 200, { issuer: this.issuer, jwks_uri: this.jwksUrl, token_endpoint: this.tokenUrl, grant_types_supported: ['client_credentials'] });
    }
    if (path === '/jwks') {
      this.jwksFetches++;
      return json(res, 200, { keys: this.keys.map((k) => k.publicJwk) });
    }
    if (path === '/token' && req.method === 'POST') return this.token(req, res);
    json(res, 404, { error: 'not_found' });
  }

  /** RFC 6749 §4.4 client credentials, with the client authenticating by HTTP Basic or in the form. */
  private async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.tokenRequests++;
    if (this.tokenEndpointDown) return json(res, 503, { error: 'temporarily_unavailable' });
    let body = '';
    for await (const chunk of req) body += chunk;
    const form = new URLSearchParams(body);
    let id = form.get('client_id');
    let secret = form.get('client_secret');
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (basic) {
      const [u, p] = Buffer.from(basic[1]!, 'base64').toString().split(':');
      id = decodeURIComponent(u ?? '');
      secret = decodeURIComponent(p ?? '');
    }
    if (form.get('grant_type') !== 'client_credentials') return json(res, 400, { error: 'unsupported_grant_type' });
    const client = id === null ? undefined : this.clients.get(id);
    if (!client || client.secret !== secret) return json(res, 401, { error: 'invalid_client' });
    const scope = form.get('scope');
    const accessToken = await this.sign(
      { sub: id!, azp: id!, aud: client.audience, ...(scope ? { scope } : {}), ...client.claims },
      { lifetimeS: client.lifetimeS },
    );
    json(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: client.lifetimeS, ...(scope ? { scope } : {}) });
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}
