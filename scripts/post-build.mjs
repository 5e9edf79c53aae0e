// Marks the built entry points executable (tsc does not keep modes).
import { chmodSync, existsSync, readdirSync } from 'node:fs';

const binDir = new URL('../dist/bin/', import.meta.url);
if (existsSync(binDir)) {
  for (const file of readdirSync(binDir)) {
    if (file.endsWith('.js')) chmodSync(new URL(file, binDir), 0o755);
  }
}
