// Marks the built entry points executable (tsc does not keep modes) and installs the `tend`
// command's shell launcher (src/bin/tend.sh, see its comment) as dist/bin/tend.
import { chmodSync, copyFileSync, existsSync, readdirSync } from 'node:fs';

const binDir = new URL('../dist/bin/', import.meta.url);
if (existsSync(binDir)) {
  copyFileSync(new URL('../src/bin/tend.sh', import.meta.url), new URL('tend', binDir));
  for (const file of readdirSync(binDir)) {
    if (file.endsWith('.js') || file === 'tend') chmodSync(new URL(file, binDir), 0o755);
  }
}
