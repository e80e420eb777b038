import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './env.js';
import { readTopic, type ConsumedRecord } from './kcat.js';

export const REPO_SCHEMAS = path.join(ROOT, 'schemas');

/** A fresh schema directory: files given as { "topic/1.0.0.json": document-or-raw-text }. */
export function schemaDir(files: Record<string, unknown>, { withRepoSchemas = false } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kgate-schemas-'));
  if (withRepoSchemas) cpSync(REPO_SCHEMAS, dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

/** A minimal valid draft 2020-12 object schema. */
export function objectSchema(id: string, properties: Record<string, unknown>, required: string[] = []): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: id,
    type: 'object',
    properties: { $schema: { type: 'string' }, ...properties },
    required,
  };
}

/** Reads a topic until a record matches (records written without the client waiting, e.g. dead letters). */
export async function waitForRecord(topic: string, match: (r: ConsumedRecord) => boolean, timeoutMs = 15_000): Promise<ConsumedRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let records: ConsumedRecord[] = [];
    try {
      records = await readTopic(topic);
    } catch {
      // the topic may not exist yet
    }
    const found = records.find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no matching record in ${topic} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
