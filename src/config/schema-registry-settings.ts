import { readFileSync } from 'node:fs';
import { parseTopicFormats, type SubjectNameStrategy, type TopicFormatRule } from './value-formats.js';
import { ConfigError } from './config-error.js';
import type { Env } from './schema.js';
import { Secret } from './secret.js';

/** Schema Registry value formats (docs/schemas.md); undefined when SCHEMA_REGISTRY_URL is unset. */
export interface SchemaRegistrySettings {
  url: string;
  /** "user:password" (HTTP basic); never logged or shown. */
  basicAuthUserInfo: Secret | undefined;
  bearerToken: Secret | undefined;
  /** PEM text of the CA, read once at start-up. */
  ca: string | undefined;
  cacheTtlMs: number;
  timeoutMs: number;
  subjectNameStrategy: SubjectNameStrategy;
  topicFormats: TopicFormatRule[];
  /** Whether any topic has a registry format: without one the gateway builds nothing (the URL serves `npm run schemas:push`). */
  inUse: boolean;
}

/** Cross-field rules: a registry format needs a URL; one credential at most; record strategies need record names. */
export function schemaRegistrySettings(e: Env): SchemaRegistrySettings | undefined {
  const problems: string[] = [];
  let rules: TopicFormatRule[] = [];
  if (e.TOPIC_VALUE_FORMATS !== undefined) {
    const parsed = parseTopicFormats(e.TOPIC_VALUE_FORMATS);
    if ('problem' in parsed) problems.push(`TOPIC_VALUE_FORMATS: ${parsed.problem}`);
    else rules = parsed.rules;
  }
  const userInfo = secretFrom(e, 'SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO', problems);
  const token = secretFrom(e, 'SCHEMA_REGISTRY_BEARER_TOKEN', problems);
  if (userInfo !== undefined && token !== undefined) problems.push('SCHEMA_REGISTRY_BEARER_TOKEN: set basic authentication or a bearer token, not both');
  if (userInfo !== undefined && !/^[^:]+:/.test(userInfo.reveal())) problems.push('SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_FILE: expected user:password');
  let ca: string | undefined;
  if (e.SCHEMA_REGISTRY_CA_LOCATION !== undefined) {
    try {
      ca = readFileSync(e.SCHEMA_REGISTRY_CA_LOCATION, 'utf8');
    } catch (err) {
      problems.push(`SCHEMA_REGISTRY_CA_LOCATION: cannot read ${JSON.stringify(e.SCHEMA_REGISTRY_CA_LOCATION)} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (ca !== undefined && !ca.includes('-----BEGIN CERTIFICATE-----')) problems.push('SCHEMA_REGISTRY_CA_LOCATION: expected a PEM file of certificates');
  }
  const registryRules = rules.filter((r) => r.format !== 'json');
  if (registryRules.length > 0 && e.SCHEMA_REGISTRY_URL === undefined) {
    problems.push(`TOPIC_VALUE_FORMATS: ${registryRules[0]!.pattern}=${registryRules[0]!.format} needs SCHEMA_REGISTRY_URL`);
  }
  if (e.SCHEMA_REGISTRY_SUBJECT_NAME_STRATEGY !== 'TopicNameStrategy') {
    const unnamed = registryRules.find((r) => r.recordName === undefined);
    if (unnamed) {
      problems.push(
        `TOPIC_VALUE_FORMATS: ${unnamed.pattern}=${unnamed.format} needs a record name with SCHEMA_REGISTRY_SUBJECT_NAME_STRATEGY=${e.SCHEMA_REGISTRY_SUBJECT_NAME_STRATEGY}, e.g. ${unnamed.pattern}=${unnamed.format}:com.acme.Order`,
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  if (e.SCHEMA_REGISTRY_URL === undefined) return undefined;
  return {
    url: e.SCHEMA_REGISTRY_URL,
    basicAuthUserInfo: userInfo,
    bearerToken: token,
    ca,
    cacheTtlMs: e.SCHEMA_REGISTRY_CACHE_TTL_S * 1000,
    timeoutMs: e.SCHEMA_REGISTRY_TIMEOUT_MS,
    subjectNameStrategy: e.SCHEMA_REGISTRY_SUBJECT_NAME_STRATEGY,
    topicFormats: rules,
    inUse: registryRules.length > 0,
  };
}

function secretFrom(e: Env, name: 'SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO' | 'SCHEMA_REGISTRY_BEARER_TOKEN', problems: string[]): Secret | undefined {
  const direct = e[name];
  const file = e[`${name}_FILE`];
  if (direct !== undefined && file !== undefined) {
    problems.push(`${name}_FILE: set ${name} or ${name}_FILE, not both`);
    return undefined;
  }
  if (direct !== undefined) return new Secret(direct);
  if (file === undefined) return undefined;
  try {
    // A trailing newline is an editor's, not part of the credential.
    const value = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    if (value === '') problems.push(`${name}_FILE: ${JSON.stringify(file)} is empty`);
    return new Secret(value);
  } catch (err) {
    problems.push(`${name}_FILE: cannot read ${JSON.stringify(file)} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}
