import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { InstanceInfo } from '../../../src/core/instance-info.js';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';
import { findFreePort } from '../cluster/support.js';
import { ConfigDir, IDLE_APP, REPORT_APP, byName, reportOf } from './support.js';

const tend = new TendHarness();
const dir = new ConfigDir();
let config: string;

function writeConfig(version: string, names: string[]): void {
  const apps = names.map((name) => ({ name, script: REPORT_APP, env: { REPORT_DIR: dir.path, VERSION: version } }));
  dir.write('ecosystem.config.js', `module.exports = { apps: ${JSON.stringify(apps)} };\n`);
}

function pidOf(list: InstanceInfo[], name: string): number | null {
  return byName(list, name)[0]?.pid ?? null;
}

const names = (list: InstanceInfo[]) => list.map((i) => i.name).sort();

before(async () => {
  config = join(dir.path, 'ecosystem.config.js');
  writeConfig('1', ['a', 'b', 'c']);
  // An app that is not in the file: no config command may touch it.
  await tend.ok(['start', IDLE_APP, '--name', 'other']);
});
after(async () => {
  await tend.cleanup();
  dir.remove();
});

test('--only starts those apps; start again does not duplicate; startOrRestart; restart/stop/delete <file>', async () => {
  await tend.ok(['start', config, '--only', 'a,b']);
  let list = await tend.waitFor((l) => l.filter((i) => i.status === 'online').length === 3, 'other, a, b online');
  assert.deepEqual(names(list), ['a', 'b', 'other']);
  const other = pidOf(list, 'other');
  const a = pidOf(list, 'a');

  await tend.ok(['start', config]);
  list = await tend.waitForStatus('c', 'online');
  assert.deepEqual(names(list), ['a', 'b', 'c', 'other'], 'running apps are not duplicated');
  assert.equal(pidOf(list, 'a'), a, 'a running app is left alone');

  // The file changed: a new app d, and a new VERSION for all of them.
  writeConfig('2', ['a', 'b', 'c', 'd']);
  await tend.ok(['startOrRestart', config]);
  list = await tend.waitFor((l) => l.filter((i) => i.status === 'online').length === 5 && pidOf(l, 'a') !== a, 'a restarted, d started');
  assert.deepEqual(names(list), ['a', 'b', 'c', 'd', 'other']);
  assert.equal((await reportOf(dir.path, byName(list, 'a')[0])).env.VERSION, '2', 'restarted with the file env');
  assert.equal((await reportOf(dir.path, byName(list, 'd')[0])).env.VERSION, '2');

  const before = list;
  await tend.ok(['restart', config]);
  list = await tend.waitFor((l) => l.filter((i) => i.status === 'online').length === 5 && l.every((i) => i.name === 'other' || i.restarts > (byName(before, i.name)[0]?.restarts ?? 0)), 'file apps restarted');
  assert.equal(pidOf(list, 'other'), other);
  assert.equal(byName(list, 'other')[0]?.restarts, 0);

  await tend.ok(['stop', config]);
  list = await tend.jlist();
  assert.deepEqual(list.filter((i) => i.status !== 'stopped').map((i) => i.name), ['other']);

  await tend.ok(['delete', config]);
  list = await tend.jlist();
  assert.deepEqual(names(list), ['other']);
  assert.equal(pidOf(list, 'other'), other);
});

test('restart <file> starts the file apps that are not registered; stop/delete <file> skip them, as PM2 does', async () => {
  writeConfig('3', ['a', 'b']);
  await tend.ok(['start', config, '--only', 'a']);
  const first = await tend.waitForStatus('a', 'online');
  await tend.ok(['restart', config]);
  const list = await tend.waitFor((l) => byName(l, 'b')[0]?.status === 'online' && byName(l, 'a')[0]?.restarts === 1, 'b started, a restarted');
  assert.notEqual(pidOf(list, 'a'), pidOf(first, 'a'));
  assert.deepEqual(names(list), ['a', 'b', 'other']);

  // stop/delete skip the file's apps that are not registered (PM2 too); with none registered, one line.
  writeConfig('3', ['a', 'b', 'unregistered']);
  await tend.ok(['stop', config]);
  assert.deepEqual((await tend.jlist()).filter((i) => i.status === 'stopped').map((i) => i.name).sort(), ['a', 'b']);
  await tend.ok(['delete', config]);
  assert.deepEqual(names(await tend.jlist()), ['other']);
  const none = await tend.run(['delete', config]);
  assert.equal(none.code, 1);
  assert.equal(none.stderr, `tend: ${config}: none of its apps (a, b, unregistered) is registered\n`);
});

test('startOrReload reloads a cluster app of the file (new pids)', async () => {
  const port = await findFreePort();
  const web = dir.write('web.config.cjs', `module.exports = { name: 'web', script: ${JSON.stringify(join(FIXTURES, 'http-hello.cjs'))}, instances: 2, exec_mode: 'cluster_mode', port: ${port} };\n`);
  await tend.ok(['startOrReload', web]);
  const first = await tend.waitForStatus('web', 'online', 2);
  const oldPids = byName(first, 'web').map((i) => i.pid);
  assert.deepEqual(byName(first, 'web').map((i) => i.mode), ['cluster', 'cluster']);

  await tend.ok(['startOrReload', web]);
  const second = await tend.waitFor((l) => byName(l, 'web').filter((i) => i.status === 'online' && !oldPids.includes(i.pid)).length === 2, 'web reloaded');
  assert.equal(byName(second, 'web').length, 2);
  await tend.ok(['delete', web]);
});
