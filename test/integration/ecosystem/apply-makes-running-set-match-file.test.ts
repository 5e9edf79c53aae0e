import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { InstanceInfo } from '../../../src/core/instance-info.js';
import { TendHarness } from '../../helpers/tend-harness.js';
import { ConfigDir, IDLE_APP } from './support.js';

const tend = new TendHarness();
const dir = new ConfigDir();
const file = `${dir.path}/eco.json`;

before(async () => {
  await tend.ok(['start', IDLE_APP, '--name', 'other']);
});
after(async () => {
  await tend.cleanup();
  dir.remove();
});

function writeApps(apps: Array<{ name: string; env?: Record<string, string> }>): void {
  dir.write('eco.json', JSON.stringify({ apps: apps.map((a) => ({ script: IDLE_APP, ...a })) }));
}

/** name -> pid of every instance, and the whole list, once every app is online. */
async function onlinePids(names: string[]): Promise<Record<string, number | null>> {
  const list = await tend.waitFor(
    (l) => names.every((n) => l.some((i) => i.name === n)) && l.every((i) => i.status === 'online'),
    `${names.join(', ')} online`,
  );
  return Object.fromEntries(list.map((i: InstanceInfo) => [i.name, i.pid]));
}

function planLines(stdout: string): string[] {
  return stdout.split('\n').filter((line) => /^[+~-] |^nothing to change$|^dry run/.test(line));
}

test('apply starts the file, then changes only what changed, and prunes only its own apps', async () => {
  writeApps([{ name: 'api', env: { API_URL: 'http://a' } }, { name: 'worker' }]);
  const first = await tend.run(['apply', file]);
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(planLines(first.stdout), ['+ api', '+ worker']);
  const started = await onlinePids(['other', 'api', 'worker']);

  const again = await tend.run(['apply', file]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, 'nothing to change\n');
  assert.deepEqual(await onlinePids(['other', 'api', 'worker']), started, 'applying twice changes no pid');

  writeApps([{ name: 'api', env: { API_URL: 'http://b' } }, { name: 'worker' }]);
  const changed = await tend.run(['apply', file]);
  assert.equal(changed.code, 0, changed.stderr);
  assert.deepEqual(planLines(changed.stdout), ['~ api: env.API_URL']);
  assert.ok(!changed.stdout.includes('http://b') && !changed.stdout.includes('http://a'), 'no env value printed');
  const afterEnv = await onlinePids(['other', 'api', 'worker']);
  assert.notEqual(afterEnv.api, started.api, 'api was restarted');
  assert.equal(afterEnv.worker, started.worker, 'worker untouched');
  assert.equal(afterEnv.other, started.other, 'the command-line app untouched');
  assert.match(await tend.ok(['env', 'api']), /API_URL=http:\/\/b/);

  writeApps([{ name: 'api', env: { API_URL: 'http://b' } }, { name: 'fresh' }]);
  const dry = await tend.run(['apply', file, '--prune', '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.deepEqual(planLines(dry.stdout), ['- worker', '+ fresh', 'dry run: nothing was changed']);
  assert.deepEqual(await onlinePids(['other', 'api', 'worker']), afterEnv, '--dry-run changes nothing');

  const noPrune = await tend.run(['apply', file, '--dry-run']);
  assert.match(noPrune.stdout, /^ {2}worker: no longer in the file, left running \(--prune deletes it\)$/m);

  const pruned = await tend.run(['apply', file, '--prune']);
  assert.equal(pruned.code, 0, pruned.stderr);
  assert.deepEqual(planLines(pruned.stdout), ['- worker', '+ fresh']);
  const final = await onlinePids(['other', 'api', 'fresh']);
  assert.equal(final.worker, undefined, 'worker deleted');
  assert.equal(final.api, afterEnv.api, 'api untouched by the prune');
  assert.equal(final.other, started.other, 'an app of no file is never pruned');

  const last = await tend.run(['apply', file, '--prune']);
  assert.equal(last.stdout, 'nothing to change\n');
});

test('apply of a broken file changes nothing and says what is wrong', async () => {
  const before = await tend.jlist();
  dir.write('broken.json', JSON.stringify({ apps: [{ name: 'api', script: IDLE_APP, instances: 'lots' }] }));
  const result = await tend.run(['apply', `${dir.path}/broken.json`, '--prune']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^tend: .*broken\.json: apps\[0\] "api": instances must be a number/);
  assert.deepEqual((await tend.jlist()).map((i) => [i.name, i.pid]), before.map((i) => [i.name, i.pid]));
});

test('apply refuses a depends_on naming neither an app of the file nor a running one', async () => {
  const before = await tend.jlist();
  dir.write('deps.json', JSON.stringify({ apps: [{ name: 'late', script: IDLE_APP, depends_on: ['othr', 'other'] }] }));
  const result = await tend.run(['apply', `${dir.path}/deps.json`]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^tend: .*deps\.json: apps\[0\] "late": depends_on "othr" is not an app of this file nor a running app; did you mean "other"\?\n$/);
  assert.deepEqual((await tend.jlist()).map((i) => [i.name, i.pid]), before.map((i) => [i.name, i.pid]));
});
