/**
 * The programmatic API alone, against a real daemon: config files with an env, app objects
 * with `wait`, targets given as config file paths, startOrReload of a changed file, and the
 * failures `wait` reports (a crash loop, a readiness timeout) as TendError START_FAILED.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TendClient, TendError } from '../../../src/api/index.js';
import * as tend from '../../../src/api/index.js';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';

let harness: TendHarness;
let client: TendClient;
let dir: string;
before(async () => {
  harness = new TendHarness('tend-api-');
  dir = mkdtempSync(join(tmpdir(), 'tend-api-cfg-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'commonjs' }));
  client = await TendClient.connect({ home: harness.home });
});
after(async () => {
  client.close();
  await harness.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function writeConfig(name: string, apps: unknown[]): string {
  const file = join(dir, name);
  writeFileSync(file, `module.exports = ${JSON.stringify({ apps }, null, 2)};\n`);
  return file;
}

const idle = join(FIXTURES, 'idle.js');

test('start a config file with env production: the app runs with env_production', async () => {
  const file = writeConfig('env.config.js', [{ name: 'envapp', script: idle, env: { STAGE: 'default' }, env_production: { STAGE: 'production' } }]);
  const started = await client.start(file, { env: 'production', wait: true });
  assert.deepEqual(started.instances.map((i) => [i.name, i.status]), [['envapp', 'online']]);
  assert.equal((await client.env('envapp')).STAGE, 'production');
  // Stopped by the config file's path: its apps, and only those.
  const stopped = await client.stop(file);
  assert.deepEqual(stopped.map((i) => i.name), ['envapp']);
  assert.equal((await client.list()).find((i) => i.name === 'envapp')?.status, 'stopped');
  await client.delete(file);
  assert.equal((await client.list()).some((i) => i.name === 'envapp'), false);
});

test('start an app object with instances: 2 and wait: true resolves with both online', async () => {
  const { instances } = await client.start({ name: 'pair', script: idle, instances: 2, exec_mode: 'fork', min_uptime: 300 }, { wait: true });
  assert.deepEqual(instances.map((i) => i.status), ['online', 'online']);
  assert.equal(new Set(instances.map((i) => i.pid)).size, 2);
  await client.delete('pair');
});

test('startOrReload of a changed file starts the new app and reloads the known one with the new env', async () => {
  const file = writeConfig('deploy.config.js', [{ name: 'web1', script: idle, env: { VERSION: '1' } }]);
  await tend.startOrReload(file, { home: harness.home, wait: true });
  const firstPid = (await client.list()).find((i) => i.name === 'web1')?.pid;
  writeConfig('deploy.config.js', [
    { name: 'web1', script: idle, env: { VERSION: '2' } },
    { name: 'web2', script: idle },
  ]);
  const result = await client.startOrReload(file, { wait: true });
  assert.deepEqual(result.restartedForkApps, ['web1']);
  const list = await client.list();
  assert.deepEqual(list.filter((i) => i.name.startsWith('web')).map((i) => [i.name, i.status]).sort(), [['web1', 'online'], ['web2', 'online']]);
  assert.notEqual(list.find((i) => i.name === 'web1')?.pid, firstPid, 'web1 was replaced');
  assert.equal((await client.env('web1')).VERSION, '2');
  await tend.delete(file, { home: harness.home });
});

test('wait: a crash loop fails with START_FAILED once the app is errored, with its reason', async () => {
  const crash = client.start({ name: 'crasher', script: join(FIXTURES, 'crash-on-start.js'), max_restarts: 2 }, { wait: true });
  await assert.rejects(crash, (e: unknown) => e instanceof TendError && e.code === 'START_FAILED' && /^crasher \(id \d+\): /.test(e.message));
  assert.equal((await client.list()).find((i) => i.name === 'crasher')?.status, 'errored');
  await client.delete('crasher');
});

test('wait: a readiness timeout fails with START_FAILED naming listen_timeout', async () => {
  const neverReady = client.start({ name: 'unready', script: join(FIXTURES, 'never-ready.js'), wait_ready: true, listen_timeout: 500 }, { wait: true });
  await assert.rejects(neverReady, (e: unknown) => e instanceof TendError && e.code === 'START_FAILED' && /unready \(id \d+\): .*listen_timeout \(500 ms\)/.test(e.message));
  await client.delete('unready');
});

test('errors carry the codes the CLI shows: an unknown target, nothing registered for all', async () => {
  await assert.rejects(client.stop('nope'), (e: unknown) => e instanceof TendError && e.code === 'APP_NOT_FOUND');
  await assert.rejects(client.restart('all'), (e: unknown) => e instanceof TendError && e.code === 'APP_NOT_FOUND' && /no app is registered/.test(e.message));
});
