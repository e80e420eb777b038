// npm run schemas:push: registers schemas/<topic>/<version>.json as JSON Schema subjects <topic>-value
// in the registry at SCHEMA_REGISTRY_URL (with its credentials and CA), after asking the registry's
// compatibility endpoint; exits 1 naming the first incompatible file, 2 on a configuration or registry
// problem. SCHEMA_DIR as for the gateway. docs/schemas.md "Local files and registry subjects".
// --omit-dialect: send the files without "$schema" (for registries whose checker knows only draft-07).
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config/config.js';
import { registryClientFor } from '../src/serdes/registry-client.js';
import { pushSchemas } from '../src/serdes/push-schemas.js';
import { loadSchemaRegistry, SchemaLoadError } from '../src/schemas/registry.js';

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`schemas:push: ${err.message}`);
      return 2;
    }
    throw err;
  }
  const settings = config.schemaRegistry;
  if (!settings) {
    console.error('schemas:push: SCHEMA_REGISTRY_URL is not set');
    return 2;
  }
  let local;
  try {
    local = loadSchemaRegistry(config.schemas.dir);
  } catch (err) {
    if (err instanceof SchemaLoadError) {
      console.error(`schemas:push: ${err.message}`);
      return 2;
    }
    throw err;
  }
  const client = registryClientFor(settings);
  try {
    const omitDialect = process.argv.includes('--omit-dialect');
    const ok = await pushSchemas(
      local,
      client,
      (line) => {
        const file = path.relative(process.cwd(), line.file);
        const say = line.outcome === 'incompatible' ? console.error : console.log;
        say(`schemas:push: ${file} → ${line.subject}: ${line.detail}`);
      },
      { omitDialect },
    );
    if (!ok) return 1;
    console.log('schemas:push: every local schema is in the registry');
    return 0;
  } catch (err) {
    console.error(`schemas:push: ${(err as Error).message}`);
    return 2;
  } finally {
    client.close();
  }
}

process.exitCode = await main();
