import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, test } from 'node:test';
import { REPO_ROOT, TendHarness } from '../../helpers/tend-harness.js';
import { ConfigDir, IDLE_APP } from './support.js';

const run = promisify(execFile);
const tend = new TendHarness();
const dir = new ConfigDir('module');
after(async () => {
  await tend.cleanup();
  dir.remove();
});

test("a config importing defineConfig from 'tend' (package exports) starts its apps", async () => {
  // As an installed dependency: node_modules/tend is this package.
  mkdirSync(join(dir.path, 'node_modules'));
  symlinkSync(REPO_ROOT, join(dir.path, 'node_modules', 'tend'), 'dir');
  const config = dir.write(
    'ecosystem.config.js',
    `import { defineConfig } from 'tend';\nexport default defineConfig({ apps: [{ name: 'typed', script: ${JSON.stringify(IDLE_APP)} }] });\n`,
  );
  await tend.ok(['start', config]);
  await tend.waitForStatus('typed', 'online');
});

test('the package ships the JSON schema and the API entry', async () => {
  // --ignore-scripts: `prepare` would build again; the test run has just built.
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT, timeout: 60_000 });
  const [pack] = JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>;
  const paths = new Set(pack?.files.map((f) => f.path));
  assert.ok(paths.has('schema/tend.schema.json'), 'schema/tend.schema.json is in "files"');
  assert.ok(paths.has('dist/api/index.js'));
  assert.ok(paths.has('dist/api/index.d.ts'));
});
