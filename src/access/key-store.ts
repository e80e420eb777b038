import { timingSafeEqual } from 'node:crypto';
import type { Logger } from '../logging/logger.js';
import { keyDigest, loadKeysFile, type ClientEntry } from './keys-file.js';

/** Longer than any sane key: refused before hashing, so a huge header costs nothing. */
const MAX_KEY_LENGTH = 512;

/**
 * The clients of AUTH_KEYS_FILE, swapped as a whole on reload: a request sees either the old
 * set or the new one, never a mix.
 */
export class KeyStore {
  private byDigest = new Map<string, ClientEntry>();
  private byName = new Map<string, ClientEntry>();

  private constructor(
    readonly file: string,
    private readonly log: Pick<Logger, 'info' | 'error'>,
  ) {}

  /** Loads the file; a broken file throws (start-up stops, naming the entry). */
  static load(file: string, log: Pick<Logger, 'info' | 'error'>): KeyStore {
    const store = new KeyStore(file, log);
    store.install(loadKeysFile(file));
    return store;
  }

  get size(): number {
    return this.byName.size;
  }

  get entries(): IterableIterator<ClientEntry> {
    return this.byName.values();
  }

  /**
   * The client a presented key belongs to. The key is hashed once; the lookup is by digest, so
   * its timing depends only on SHA-256 output an attacker cannot steer, and the final comparison
   * of digests is constant-time.
   */
  byKey(key: string): ClientEntry | undefined {
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) return undefined;
    const digest = keyDigest(key);
    const entry = this.byDigest.get(digest.toString('hex'));
    return entry?.keyDigest && timingSafeEqual(entry.keyDigest, digest) ? entry : undefined;
  }

  client(name: string): ClientEntry | undefined {
    return this.byName.get(name);
  }

  /** Re-reads the file (SIGHUP). A broken file keeps the current keys and is logged; returns whether the new keys are in force. */
  reload(): boolean {
    let entries: ClientEntry[];
    try {
      entries = loadKeysFile(this.file);
    } catch (err) {
      this.log.error('keys file not reloaded: keeping the previous keys', { problem: (err as Error).message });
      return false;
    }
    this.install(entries);
    this.log.info('keys file reloaded', { clients: entries.length });
    return true;
  }

  private install(entries: ClientEntry[]): void {
    const byDigest = new Map<string, ClientEntry>();
    const byName = new Map<string, ClientEntry>();
    for (const entry of entries) {
      byName.set(entry.name, entry);
      if (entry.keyDigest) byDigest.set(entry.keyDigest.toString('hex'), entry);
    }
    this.byDigest = byDigest;
    this.byName = byName;
  }
}
