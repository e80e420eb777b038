import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AccessSettings } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { Validate } from '../pipeline/pipeline.js';
import type { ClientIdentity } from '../shared/request-context.js';
import { GatewayError } from '../errors/gateway-error.js';
import { authenticate, identifyUpgrade, type JsonParserFactory } from './authenticate.js';
import { refuseQueryTokens, upgradeToken } from './bearer-token.js';
import { createJwtVerifier } from './jwt-verifier.js';
import { corsFor } from './cors.js';
import { KeyStore } from './key-store.js';
import { rateLimit } from './rate-limit.js';
import { reservedTopics, type ReservedTopicSources } from './reserved-topics.js';
import { createTopicAccess, forbidden } from './topic-access.js';
import { createTopicCache, type TopicCache } from './topic-cache.js';
import { compileTopicPatterns } from '../shared/topic-glob.js';

export interface AccessDeps extends ReservedTopicSources {
  settings: AccessSettings;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** CODE_EXECUTION_TOPIC: written only through POST /submit-code. */
  codeExecutionTopic?: string | undefined;
  /** The cluster's topic names (REQUIRE_EXISTING_TOPICS); called on a timer, never per request. */
  listTopics: () => Promise<string[]>;
}

/** Paths anyone may call, keys or not: probes, the API description, and / (which says whether auth is on). */
const OPEN_PATHS = new Set(['/', '/health', '/ready', '/docs', '/openapi.json']);

/** What the API description needs to know of the access settings (src/http/openapi/security.ts). */
export interface AccessSummary {
  /** AUTH_KEYS_FILE or AUTH_JWT_* is set: protected paths need a key, a signature or a token. */
  auth: boolean;
  /** AUTH_KEYS_FILE is set: keys and signatures are accepted. */
  keys?: boolean;
  /** AUTH_JWT_* is set: JWT bearer tokens are accepted. */
  jwt?: boolean;
  /** The rate limiter is in front of the protected paths (a limit is set, or keys are on: a reload may add one). */
  rateLimits: boolean;
  /** CORS_ORIGINS. */
  corsOrigins: readonly string[];
  /** Whether a path (or an OpenAPI path template) is open to anyone, keys or not. */
  isOpen(path: string): boolean;
}

export interface Access {
  /** Which credentials are accepted. */
  readonly mode: AccessMode;
  /** With JWTs on: whether the identity provider's keys are loaded (GET /ready); undefined when off. */
  jwksLoaded(): boolean | undefined;
  readonly summary: AccessSummary;
  /** CORS_ORIGINS; mount before anything that may refuse, so preflights and refusals carry CORS headers. */
  cors: RequestHandler | undefined;
  /** Authentication then rate limiting, in front of every route but the open ones. */
  middleware(jsonParser: JsonParserFactory): RequestHandler[];
  /** The per-item pipeline stage: topic permissions, reserved topics, TOPIC_ALLOW, REQUIRE_EXISTING_TOPICS. */
  validate: Validate;
  /** Whether a client may write a topic (GET /topics lists those). */
  mayWrite(client: ClientIdentity | undefined, topic: string): boolean;
  /** For requests outside Express (WebSocket upgrades): the client of the API key, signature or token,
   * a GatewayError (401, or 503 AUTH_UNAVAILABLE), or undefined when authentication is off. */
  identify(req: Pick<IncomingMessage, 'headers' | 'method' | 'url'>): Promise<ClientIdentity | undefined>;
  /** Reading a topic (the live tail) takes its own permission (read_topics, a token's read grants); throws 403 TOPIC_FORBIDDEN. */
  authorizeRead(client: ClientIdentity | undefined, topic: string): void;
  /**
   * Whether a client may read a submission's status (lookup, SSE, WebSocket): its own (the client
   * named on its `queued` event), or any when it may read the status topic. Always with keys off.
   */
  mayReadSubmission(client: ClientIdentity | undefined, owner: string | undefined): boolean;
  /** Re-reads AUTH_KEYS_FILE (SIGHUP); a broken file keeps the old keys. false when not reloaded. */
  reload(): boolean;
  start(): Promise<void>;
  stop(): void;
}

export type AccessMode = 'api-keys' | 'jwt' | 'api-keys+jwt' | 'off';

/** The access room's factory: loads the keys file (a broken one throws, naming the entry) and compiles every pattern once. */
export function createAccess(deps: AccessDeps): Access {
  const { settings, log } = deps;
  const keys = settings.keysFile === undefined ? undefined : KeyStore.load(settings.keysFile, log);
  const jwt = settings.jwt === undefined ? undefined : createJwtVerifier(settings.jwt, log);
  const authOn = keys !== undefined || jwt !== undefined;
  const reserved = reservedTopics(deps);
  // TOPIC_ALLOW was checked against the same pattern rule when the config was read: this cannot throw.
  const policy = settings.topicAllow === undefined ? undefined : compileTopicPatterns(settings.topicAllow);
  const cache: TopicCache | undefined = settings.requireExistingTopics
    ? createTopicCache({ list: deps.listTopics, ttlMs: settings.topicMetadataTtlMs, log })
    : undefined;
  const topics = createTopicAccess({
    client: keys && ((name) => keys.client(name)),
    authOn,
    reserved,
    policy,
    topicExists: cache && ((topic) => cache.has(topic)),
    codeExecutionTopic: deps.codeExecutionTopic,
  });
  const open = new Set(OPEN_PATHS);
  if (!settings.metricsRequireAuth) open.add('/metrics');
  const isOpenPath = (path: string) => open.has(path) || path.startsWith('/docs/');
  const isOpen = (req: Request) => isOpenPath(req.path);
  const anyLimit = settings.rateLimit !== undefined || (keys !== undefined && [...keys.entries].some((e) => e.rateLimit));
  // A keys file without limits today may get some on reload: keep the limiter in place whenever keys are on.
  const limiterOn = anyLimit || keys !== undefined || settings.jwt?.rateLimit !== undefined;

  if (keys) log.info('authentication on', { keys_file: settings.keysFile, clients: keys.size });
  if (jwt) log.info('JWT authentication on', { issuer: settings.jwt!.issuer, jwks_url: settings.jwt!.jwksUrl, audience: settings.jwt!.audience });
  if (!authOn) log.warn('authentication off (AUTH_KEYS_FILE unset): any caller may write any topic but the reserved ones', { reserved: [...reserved] });

  return {
    mode: keys && jwt ? 'api-keys+jwt' : keys ? 'api-keys' : jwt ? 'jwt' : 'off',
    jwksLoaded() {
      if (!jwt) return undefined;
      // A probe is a good moment to retry a failed load (gated: one fetch per 10 s at most).
      jwt.warm();
      return jwt.jwksLoaded;
    },
    summary: { auth: authOn, keys: keys !== undefined, jwt: jwt !== undefined, rateLimits: limiterOn, corsOrigins: [...settings.corsOrigins], isOpen: isOpenPath },
    cors: settings.corsOrigins.length > 0 ? corsFor(settings.corsOrigins) : undefined,
    middleware(jsonParser) {
      const chain: RequestHandler[] = [];
      if (authOn) chain.push(authenticate({ keys, jwt, hmacToleranceS: settings.hmacToleranceS, jsonParser }));
      if (limiterOn) {
        chain.push(rateLimit({ fallback: settings.rateLimit, clientLimit: (name) => keys?.client(name)?.rateLimit, jsonParser: jsonParser() }));
      }
      // A token in the URL of a route that does not need it (it leaks into proxy logs and browser history): refused.
      if (jwt) chain.unshift(refuseQueryTokens());
      return chain.map((handler) => (req: Request, res: Response, next: NextFunction) => (isOpen(req) ? next() : handler(req, res, next)));
    },
    validate: topics.validate,
    mayWrite: (client, topic) => topics.refusal(client, topic) === undefined,
    async identify(req) {
      const token = jwt && upgradeToken(req);
      if (token !== undefined) return jwt!.verify(token);
      if (keys) return identifyUpgrade(keys, req, settings.hmacToleranceS);
      if (!jwt) return undefined;
      const credential = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1] ?? req.headers['x-api-key'];
      if (typeof credential !== 'string') {
        throw new GatewayError('AUTH_REQUIRED', "a WebSocket connection authenticates with Authorization: Bearer <token>, ?access_token= or the subprotocols ['access_token', <token>]");
      }
      return jwt.verify(credential);
    },
    authorizeRead(client, topic) {
      const reason = topics.refusal(client, topic, 'read');
      // Reserved topics guard against forged writes; without authentication anyone may read them (local development).
      if (reason && !(reason === 'reserved' && !authOn)) throw forbidden(topic, reason, true);
    },
    mayReadSubmission(client, owner) {
      if (!authOn) return true;
      if (client === undefined) return false;
      return (owner !== undefined && owner === client.name) || topics.refusal(client, deps.statusTopic, 'read') === undefined;
    },
    reload() {
      if (!keys) {
        log.warn('SIGHUP: no keys file to reload (AUTH_KEYS_FILE unset)');
        return false;
      }
      return keys.reload();
    },
    start: async () => {
      // Lazily, never awaited: the gateway starts while the identity provider is down.
      jwt?.warm();
      await cache?.start();
    },
    stop: () => cache?.stop(),
  };
}
