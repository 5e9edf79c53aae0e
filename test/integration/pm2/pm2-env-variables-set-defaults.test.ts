import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { DescribeResult } from '../../../src/core/instance-info.js';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

const PM2_ENV = { PM2_KILL_TIMEOUT: '700ms', PM2_KILL_SIGNAL: 'SIGTERM', PM2_PROCESS_INSTANCE_VAR: 'WORKER_ID', PM2_GRACEFUL_LISTEN_TIMEOUT: '9s' };

async function specOf(name: string): Promise<DescribeResult['spec']> {
  const [described] = JSON.parse(await tend.ok(['describe', name, '--json'])) as DescribeResult[];
  assert.ok(described);
  return described.spec;
}

test('PM2_KILL_TIMEOUT, PM2_KILL_SIGNAL, PM2_PROCESS_INSTANCE_VAR, PM2_GRACEFUL_LISTEN_TIMEOUT give defaults to the apps started from that environment', async () => {
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'from-env'], { env: PM2_ENV });
  const spec = await specOf('from-env');
  assert.deepEqual([spec.killTimeoutMs, spec.killSignal, spec.instanceVar, spec.listenTimeoutMs], [700, 'SIGTERM', 'WORKER_ID', 9000]);
  await tend.waitForStatus('from-env', 'online');
  const env = Object.fromEntries((await tend.ok(['env', 'from-env'])).split('\n').map((l) => l.split('=', 2) as [string, string]));
  assert.equal(env.WORKER_ID, '0', 'the instance index under the variable PM2_PROCESS_INSTANCE_VAR names');
  assert.equal(env.NODE_APP_INSTANCE, undefined);
});

test('a flag or a file option wins over the environment', async () => {
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'flag-wins', '--kill-timeout', '2s'], { env: PM2_ENV });
  assert.equal((await specOf('flag-wins')).killTimeoutMs, 2000);
  const file = join(tend.home, 'eco.config.json');
  writeFileSync(file, JSON.stringify({ apps: [{ name: 'file-wins', script: join(FIXTURES, 'idle.js'), kill_signal: 'SIGINT' }] }));
  await tend.ok(['start', file], { env: PM2_ENV });
  const spec = await specOf('file-wins');
  assert.deepEqual([spec.killSignal, spec.killTimeoutMs], ['SIGINT', 700]);
});

test('a value tend cannot use fails the start in one line naming the variable; PM2_SILENT=true is -s', async () => {
  const bad = await tend.run(['start', join(FIXTURES, 'idle.js'), '--name', 'bad-env'], { env: { PM2_KILL_TIMEOUT: 'soon' } });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^tend: environment: PM2_KILL_TIMEOUT \(kill_timeout\) must be .*, got "soon"\n$/);
  assert.equal((await tend.jlist()).some((i) => i.name === 'bad-env'), false);

  const quiet = await tend.run(['start', join(FIXTURES, 'idle.js'), '--name', 'quiet'], { env: { PM2_SILENT: 'true' } });
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.equal(quiet.stdout, '', 'no process table');
});
