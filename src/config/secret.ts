import { inspect } from 'node:util';

/**
 * A secret setting (a password, a key passphrase). The value leaves only through reveal(), called by
 * the one place that hands it to its consumer (the Kafka adapter); JSON, string conversion and
 * util.inspect (what winston and console use) all print "[redacted]", so a config object that ends up
 * in a log line or a status body by mistake still holds no secret.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `Secret(${REDACTED})`;
  }
}

export const REDACTED = '[redacted]';

/** Names of variables and librdkafka properties whose values are never shown. */
export function isSecretName(name: string): boolean {
  return /password|secret|key|pem|token|credential|jaas|oauthbearer\.config|user_info/i.test(name.replace(/keepalive/gi, ''));
}
