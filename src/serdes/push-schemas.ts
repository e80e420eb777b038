import type { SchemaRegistry } from '../schemas/registry.js';
import type { RegistryClient } from './registry-client.js';

export interface PushLine {
  file: string;
  subject: string;
  outcome: 'present' | 'registered' | 'incompatible';
  detail: string;
}

/**
 * Registers the local schema files (schemas/<topic>/<version>.json) as JSON Schema subjects
 * `<topic>-value`, oldest version first. A version the subject already holds is left alone; a new
 * one is first checked by the registry's compatibility endpoint (the subject's own rule: BACKWARD,
 * FULL, ...) and registered only when compatible. Stops at the first incompatible version, so the
 * registry never gets a version after a refused one. Registry failures throw.
 */
export async function pushSchemas(
  local: Pick<SchemaRegistry, 'topics'>,
  client: Pick<RegistryClient, 'lookup' | 'isCompatible' | 'register'>,
  out: (line: PushLine) => void,
  options: { omitDialect?: boolean } = {},
): Promise<boolean> {
  for (const topic of local.topics()) {
    const subject = `${topic.topic}-value`;
    for (const version of topic.versions) {
      const text = registryDocument(version.document, options.omitDialect === true);
      const present = await client.lookup(subject, text, 'JSON');
      if (present) {
        out({ file: version.file, subject, outcome: 'present', detail: `already version ${present.version} (id ${present.id})` });
        continue;
      }
      const check = await client.isCompatible(subject, text, 'JSON');
      if (check && !check.compatible) {
        const why = check.messages.length > 0 ? `: ${check.messages.join('; ')}` : '';
        out({ file: version.file, subject, outcome: 'incompatible', detail: `not compatible with the subject's latest version under its compatibility rule${why}` });
        return false;
      }
      const id = await client.register(subject, text, 'JSON');
      out({ file: version.file, subject, outcome: 'registered', detail: `registered (id ${id})` });
    }
  }
  return true;
}

/**
 * The file as the registry gets it: without `$id` (kgate's own file id, "/orders/1.0.0", means nothing
 * there, and kgate ignores it when it reads a registry schema); without `$schema` too when asked
 * (--omit-dialect: a registry whose checker knows only draft-07, as Apicurio 3.0.9's, then reads it
 * as draft-07; fine for files using the keywords both drafts share).
 */
export function registryDocument(document: Readonly<Record<string, unknown>>, omitDialect: boolean): string {
  const { $id: _id, $schema, ...rest } = document;
  return JSON.stringify(omitDialect || $schema === undefined ? rest : { $schema, ...rest });
}
