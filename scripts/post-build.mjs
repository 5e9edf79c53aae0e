// Marks the built entry points executable (tsc does not keep modes), installs the `tend`
// command's shell launcher (src/bin/tend.sh, see its comment) as dist/bin/tend, and compiles
// the native client of `tend ping` and `tend jlist` (scripts/build-native.mjs).
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const binDir = new URL('../dist/bin/', import.meta.url);
if (existsSync(binDir)) {
  copyFileSync(new URL('../src/bin/tend.sh', import.meta.url), new URL('tend', binDir));
  for (const file of readdirSync(binDir)) {
    if (file.endsWith('.js') || file === 'tend') chmodSync(new URL(file, binDir), 0o755);
  }
  const native = spawnSync(process.execPath, [fileURLToPath(new URL('build-native.mjs', import.meta.url)), '--strict'], { stdio: 'inherit' });
  if (native.status !== 0) process.exit(native.status ?? 1);
}
