import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { TendHarness } from '../../helpers/tend-harness.js';
import { ConfigDir, IDLE_APP, byName } from './support.js';

const tend = new TendHarness();
const dirs: ConfigDir[] = [];
after(async () => {
  await tend.cleanup();
  for (const dir of dirs) dir.remove();
});

function newDir(packageType: 'commonjs' | 'module' = 'commonjs'): ConfigDir {
  const dir = new ConfigDir(packageType);
  dirs.push(dir);
  return dir;
}

test('tend start with no argument finds ecosystem.config.yaml; with none it fails with one line', async () => {
  const dir = newDir();
  dir.write('ecosystem.config.yaml', `apps:\n  - name: found\n    script: ${JSON.stringify(IDLE_APP)}\n`);
  await tend.ok(['start'], { cwd: dir.path });
  await tend.waitForStatus('found', 'online');
  await tend.ok(['delete', 'found']);

  const empty = newDir();
  const result = await tend.run(['start'], { cwd: empty.path });
  assert.equal(result.code, 1);
  assert.equal(result.stderr, `tend: no script given and no ecosystem.config.{js,cjs,mjs,ts,json,yaml,yml,toml} in ${empty.path}\n`);
  assert.deepEqual(await tend.jlist(), []);
});

/** The scripts the templates name, beside them: a server that works as CommonJS or ESM, and a Python worker. */
function writeTemplateScripts(dir: ConfigDir): void {
  dir.write('server.js', "void import('node:http').then((http) => http.createServer((req, res) => res.end('ok')).listen(0, '127.0.0.1'));\n");
  dir.write('worker.py', 'import time\ntime.sleep(600)\n');
}

for (const format of ['js', 'yaml', 'json', 'toml']) {
  test(`tend init --format ${format} writes a file that tend start loads`, async () => {
    const dir = newDir();
    writeTemplateScripts(dir);
    const written = await tend.ok(['init', '--format', format], { cwd: dir.path });
    const fileName = `ecosystem.config.${format}`;
    assert.match(written, new RegExp(`wrote ${join(dir.path, fileName).replace(/[.]/g, '\\.')}`));
    const started = await tend.run(['start', fileName], { cwd: dir.path });
    assert.equal(started.code, 0, started.stderr);
    assert.equal(started.stderr, '', 'the template has no unknown options');
    // Every template has the cluster app "api"; the js and yaml ones add a Python "worker".
    const withWorker = format === 'js' || format === 'yaml';
    const list = await tend.waitFor((l) => byName(l, 'api').some((i) => i.status === 'online') && (!withWorker || byName(l, 'worker')[0]?.status === 'online'), 'the template apps started');
    assert.ok(byName(list, 'api').every((i) => i.mode === 'cluster'));
    await tend.ok(['delete', 'all']);
  });
}

test('tend init in a "type": "module" folder writes ecosystem.config.cjs, and refuses to overwrite without --force', async () => {
  const dir = newDir('module');
  writeTemplateScripts(dir);
  await tend.ok(['init'], { cwd: dir.path });
  assert.ok(existsSync(join(dir.path, 'ecosystem.config.cjs')));
  assert.ok(!existsSync(join(dir.path, 'ecosystem.config.js')));
  // Found by `tend start` with no argument, and loadable as CommonJS there.
  await tend.ok(['start', '--only', 'worker'], { cwd: dir.path });
  await tend.waitForStatus('worker', 'online');

  writeFileSync(join(dir.path, 'ecosystem.config.cjs'), '// mine\n');
  const refused = await tend.run(['init'], { cwd: dir.path });
  assert.equal(refused.code, 2, 'the CLI exits 2 for an argument the user must change');
  assert.match(refused.stderr, /ecosystem\.config\.cjs already exists \(use --force to overwrite it\)\n$/);
  assert.equal(readFileSync(join(dir.path, 'ecosystem.config.cjs'), 'utf8'), '// mine\n');
  await tend.ok(['init', '--force'], { cwd: dir.path });
  assert.notEqual(readFileSync(join(dir.path, 'ecosystem.config.cjs'), 'utf8'), '// mine\n');
});
