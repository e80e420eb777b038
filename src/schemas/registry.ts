import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { topicNameProblem } from '../shared/topic-name.js';
import { createSchemaCompiler } from './ajv.js';
import { patternsIn, unsafePatternReason } from './safe-pattern.js';
import { compareVersions, isVersion } from './version.js';

/** One compiled version of one topic's schema. */
export interface SchemaVersion {
  topic: string;
  version: string;
  /** The document's `$id`; a message pins this version by carrying it in its `$schema` field. */
  id: string;
  file: string;
  /** The document as written, frozen; served by GET /schemas/{topic}/{version}. */
  document: Readonly<Record<string, unknown>>;
  validate: ValidateFunction;
}

export interface TopicSchemas {
  topic: string;
  /** Oldest first. */
  versions: readonly SchemaVersion[];
  latest: SchemaVersion;
}

export interface SchemaRegistry {
  readonly dir: string;
  topics(): readonly TopicSchemas[];
  get(topic: string): TopicSchemas | undefined;
}

/** A schema file that cannot be used; the message names the file and the problem. */
export class SchemaLoadError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`schema file ${file}: ${problem}`);
    this.name = 'SchemaLoadError';
  }
}

/** A version of a topic, by its `$id` or by its bare version number ("1.0.0"). */
export function findVersion(schemas: TopicSchemas, pin: string): SchemaVersion | undefined {
  return schemas.versions.find((v) => v.id === pin || v.version === pin);
}

interface Parsed {
  topic: string;
  version: string;
  file: string;
  document: Record<string, unknown>;
}

/**
 * Reads `<dir>/<topic>/<version>.json` for every topic, checks and compiles every schema once.
 * Anything wrong throws a SchemaLoadError, so a broken file stops start-up instead of letting
 * messages through unchecked. Files not ending in .json (a README) are ignored.
 */
export function loadSchemaRegistry(dir: string): SchemaRegistry {
  if (!isDirectory(dir)) throw new SchemaLoadError(dir, 'schema directory does not exist (SCHEMA_DIR)');
  const parsed: Parsed[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const at = path.join(dir, entry.name);
    if (!entry.isDirectory()) {
      if (entry.name.endsWith('.json')) throw new SchemaLoadError(at, 'schema files belong in <topic>/<version>.json, e.g. code-execution/1.0.0.json');
      continue;
    }
    const topicProblem = topicNameProblem(entry.name);
    if (topicProblem) throw new SchemaLoadError(at, `directory name is not a topic name: ${topicProblem}`);
    parsed.push(...readTopicDir(at, entry.name));
  }

  const ajv = createSchemaCompiler();
  const ids = new Map<string, string>();
  for (const p of parsed) {
    const id = p.document.$id;
    if (typeof id !== 'string' || id === '') throw new SchemaLoadError(p.file, 'needs a "$id" string, e.g. "/code-execution/1.0.0"');
    const other = ids.get(id);
    if (other) throw new SchemaLoadError(p.file, `"$id" ${JSON.stringify(id)} is already used by ${other}`);
    ids.set(id, p.file);
    for (const { pointer, pattern } of patternsIn(p.document)) {
      const reason = unsafePatternReason(pattern);
      if (reason) throw new SchemaLoadError(p.file, `unsafe regular expression at ${pointer} ${JSON.stringify(pattern)}: ${reason}`);
    }
    // Added first, compiled below: a schema may $ref another file's $id.
    try {
      ajv.addSchema(p.document);
    } catch (err) {
      throw new SchemaLoadError(p.file, messageOf(err));
    }
  }

  const byTopic = new Map<string, SchemaVersion[]>();
  for (const p of parsed) {
    let validate: ValidateFunction | undefined;
    try {
      validate = ajv.getSchema(p.document.$id as string);
    } catch (err) {
      throw new SchemaLoadError(p.file, messageOf(err));
    }
    if (!validate) throw new SchemaLoadError(p.file, 'did not compile');
    const version: SchemaVersion = {
      topic: p.topic,
      version: p.version,
      id: p.document.$id as string,
      file: p.file,
      document: deepFreeze(structuredClone(p.document)),
      validate,
    };
    byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), version]);
  }

  const topics = new Map<string, TopicSchemas>();
  for (const [topic, versions] of byTopic) {
    versions.sort((a, b) => compareVersions(a.version, b.version));
    topics.set(topic, Object.freeze({ topic, versions: Object.freeze(versions), latest: versions[versions.length - 1]! }));
  }
  const list = Object.freeze([...topics.values()]);
  return { dir, topics: () => list, get: (topic) => topics.get(topic) };
}

function readTopicDir(dir: string, topic: string): Parsed[] {
  const out: Parsed[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) throw new SchemaLoadError(file, 'unexpected directory; versions are files <version>.json');
    if (!entry.name.endsWith('.json')) continue;
    const version = entry.name.slice(0, -'.json'.length);
    if (!isVersion(version)) throw new SchemaLoadError(file, 'file name must be a version MAJOR.MINOR.PATCH, e.g. 1.0.0.json');
    let document: unknown;
    try {
      document = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new SchemaLoadError(file, `not valid JSON: ${messageOf(err)}`);
    }
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      throw new SchemaLoadError(file, 'a schema file must hold a JSON object');
    }
    out.push({ topic, version, file, document: document as Record<string, unknown> });
  }
  if (out.length === 0) throw new SchemaLoadError(dir, 'topic directory holds no <version>.json file');
  return out;
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
