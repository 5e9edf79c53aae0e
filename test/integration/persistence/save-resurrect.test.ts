import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, TendHarness, until } from '../../helpers/tend-harness.js';
import { findFreePort } from '../../helpers/ports.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness('tend-sr-');
});
after(() => tend.cleanup());

const port = String(await findFreePort());
const envFile = (): string => join(tend.home, 'env-a.json');
const readEnvOut = (): { pid: number; env: Record<string, string> } | null => {
  try {
    return JSON.parse(readFileSync(envFile(), 'utf8')) as { pid: number; env: Record<string, string> };
  } catch {
    return null;
  }
};

test('save/resurrect brings back fork and cluster apps with their env, instance counts and ids', async () => {
  await tend.ok(['start', join(FIXTURES, 'print-env.js'), '--name', 'a'], { env: { MARKER: 'saved', ENV_OUT_FILE: envFile() } });
  await tend.ok(['start', join(FIXTURES, 'http-hello.js'), '--name', 'web', '-i', '2', '-p', port]);
  await tend.waitFor((list) => list.filter((i) => i.status === 'online').length === 3, '3 instances online');
  const before = (await tend.jlist()).map((i) => [i.id, i.name, i.mode, i.instance]);
  assert.match(await tend.ok(['save']), /saved 2 app\(s\), 3 instance\(s\)/);
  assert.equal(statSync(join(tend.home, 'dump.json')).mode & 0o777, 0o600);

  await tend.ok(['kill']);
  const firstPid = readEnvOut()?.pid;
  // A different env at resurrect time must not leak in: the saved snapshot is replayed.
  await tend.ok(['resurrect'], { env: { MARKER: 'changed' } });
  await tend.waitFor((list) => list.filter((i) => i.status === 'online').length === 3, '3 instances online again');
  assert.deepEqual((await tend.jlist()).map((i) => [i.id, i.name, i.mode, i.instance]), before);
  const out = await until(() => { const o = readEnvOut(); return o && o.pid !== firstPid ? o : null; }, 'a wrote its env again');
  assert.equal(out.env.MARKER, 'saved');

  // Nothing is duplicated when everything already runs.
  assert.match(await tend.ok(['resurrect']), /nothing to resurrect/);
  assert.equal((await tend.jlist()).length, 3);
});

test('an empty list is saved only with --force; cleardump removes the dump', async () => {
  await tend.ok(['delete', 'all']);
  const refused = await tend.run(['save']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--force/);
  assert.match(await tend.ok(['save', '--force']), /saved 0 app/);
  assert.match(await tend.ok(['cleardump']), /removed/);
  assert.match(await tend.ok(['resurrect']), /nothing to resurrect/);
});

test('a corrupt dump falls back to the backup; both corrupt is a clear error', async () => {
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'first']);
  await tend.ok(['save']);
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'second']);
  await tend.ok(['save']);
  await tend.ok(['delete', 'all']);
  writeFileSync(join(tend.home, 'dump.json'), '{"format":"tend-dump","version":1,"apps":[{"spec":');
  const result = await tend.run(['resurrect']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /dump\.json is unusable \(not valid JSON.*using the backup/);
  assert.deepEqual((await tend.jlist()).map((i) => i.name), ['first']);

  writeFileSync(join(tend.home, 'dump.json.bak'), 'process.exit(3)');
  const failed = await tend.run(['resurrect']);
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /cannot read the saved process list: .*dump\.json is not valid JSON.*and its backup is not valid JSON/);
});
