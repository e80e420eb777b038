import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AccessSettings } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { Validate } from '../pipeline/pipeline.js';
import type { ClientIdentity } from '../shared/request-context.js';
import { authenticate, identifyUpgrade, type JsonParserFactory } from './authenticate.js';
import { corsFor } from './cors.js';
import { KeyStore } from './key-store.js';
import { rateLimit } from './rate-limit.js';
import { reservedTopics, type ReservedTopicSources } from './reserved-topics.js';
import { createTopicAccess, forbidden } from './topic-access.js';
import { createTopicCache, type TopicCache } from './topic-cache.js';
import { compileTopicPatterns } from './topic-glob.js';

export interface AccessDeps extends ReservedTopicSources {
  settings: AccessSettings;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** The cluster's topic names (REQUIRE_EXISTING_TOPICS); called on a timer, never per request. */
  listTopics: () => Promise<string[]>;
}

/** Paths anyone may call, keys or not: probes, the API description, and / (which says whether auth is on). */
const OPEN_PATHS = new Set(['/', '/health', '/ready', '/docs', '/openapi.json']);

/** What the API description needs to know of the access settings (src/http/openapi/security.ts). */
export interface AccessSummary {
  /** AUTH_KEYS_FILE is set: protected paths need a key or a signature. */
  auth: boolean;
  /** The rate limiter is in front of the protected paths (a limit is set, or keys are on: a reload may add one). */
  rateLimits: boolean;
  /** CORS_ORIGINS. */
  corsOrigins: readonly string[];
  /** Whether a path (or an OpenAPI path template) is open to anyone, keys or not. */
  isOpen(path: string): boolean;
}

export interface Access {
  /** 'api-keys' when AUTH_KEYS_FILE is set. */
  readonly mode: 'api-keys' | 'off';
  readonly summary: AccessSummary;
  /** CORS_ORIGINS; mount before anything that may refuse, so preflights and refusals carry CORS headers. */
  cors: RequestHandler | undefined;
  /** Authentication then rate limiting, in front of every route but the open ones. */
  middleware(jsonParser: JsonParserFactory): RequestHandler[];
  /** The per-item pipeline stage: topic permissions, reserved topics, TOPIC_ALLOW, REQUIRE_EXISTING_TOPICS. */
  validate: Validate;
  /** Whether a client may write a topic (GET /topics lists those). */
  mayWrite(client: ClientIdentity | undefined, topic: string): boolean;
  /** For requests outside Express (WebSocket upgrades): the client of the API key or signature, a
   * 401 GatewayError, or undefined when authentication is off. */
  identify(req: Pick<IncomingMessage, 'headers'>): ClientIdentity | undefined;
  /** Reading a topic (the live tail) takes the same permission as writing it; throws 403 TOPIC_FORBIDDEN. */
  authorizeRead(client: ClientIdentity | undefined, topic: string): void;
  /** Re-reads AUTH_KEYS_FILE (SIGHUP); a broken file keeps the old keys. false when not reloaded. */
  reload(): boolean;
  start(): Promise<void>;
  stop(): void;
}

/** The access room's factory: loads the keys file (a broken one throws, naming the entry) and compiles every pattern once. */
export function createAccess(deps: AccessDeps): Access {
  const { settings, log } = deps;
  const keys = settings.keysFile === undefined ? undefined : KeyStore.load(settings.keysFile, log);
  const reserved = reservedTopics(deps);
  // TOPIC_ALLOW was checked against the same pattern rule when the config was read: this cannot throw.
  const policy = settings.topicAllow === undefined ? undefined : compileTopicPatterns(settings.topicAllow);
  const cache: TopicCache | undefined = settings.requireExistingTopics
    ? createTopicCache({ list: deps.listTopics, ttlMs: settings.topicMetadataTtlMs, log })
    : undefined;
  const topics = createTopicAccess({
    client: keys && ((name) => keys.client(name)),
    reserved,
    policy,
    topicExists: cache && ((topic) => cache.has(topic)),
  });
  const open = new Set(OPEN_PATHS);
  if (!settings.metricsRequireAuth) open.add('/metrics');
  const isOpenPath = (path: string) => open.has(path) || path.startsWith('/docs/');
  const isOpen = (req: Request) => isOpenPath(req.path);
  const anyLimit = settings.rateLimit !== undefined || (keys !== undefined && [...keys.entries].some((e) => e.rateLimit));
  // A keys file without limits today may get some on reload: keep the limiter in place whenever keys are on.
  const limiterOn = anyLimit || keys !== undefined;

  if (keys) log.info('authentication on', { keys_file: settings.keysFile, clients: keys.size });
  else log.warn('authentication off (AUTH_KEYS_FILE unset): any caller may write any topic but the reserved ones', { reserved: [...reserved] });

  return {
    mode: keys ? 'api-keys' : 'off',
    summary: { auth: keys !== undefined, rateLimits: limiterOn, corsOrigins: [...settings.corsOrigins], isOpen: isOpenPath },
    cors: settings.corsOrigins.length > 0 ? corsFor(settings.corsOrigins) : undefined,
    middleware(jsonParser) {
      const chain: RequestHandler[] = [];
      if (keys) chain.push(authenticate({ keys, hmacToleranceS: settings.hmacToleranceS, jsonParser }));
      if (limiterOn) {
        chain.push(rateLimit({ fallback: settings.rateLimit, clientLimit: (name) => keys?.client(name)?.rateLimit, jsonParser: jsonParser() }));
      }
      return chain.map((handler) => (req: Request, res: Response, next: NextFunction) => (isOpen(req) ? next() : handler(req, res, next)));
    },
    validate: topics.validate,
    mayWrite: (client, topic) => topics.refusal(client, topic) === undefined,
    identify: (req) => (keys ? identifyUpgrade(keys, req, settings.hmacToleranceS) : undefined),
    authorizeRead(client, topic) {
      const reason = topics.refusal(client, topic);
      // Reserved topics guard against forged writes; without keys anyone may read them (local development).
      if (reason && !(reason === 'reserved' && !keys)) throw forbidden(topic, reason);
    },
    reload() {
      if (!keys) {
        log.warn('SIGHUP: no keys file to reload (AUTH_KEYS_FILE unset)');
        return false;
      }
      return keys.reload();
    },
    start: async () => cache?.start(),
    stop: () => cache?.stop(),
  };
}
