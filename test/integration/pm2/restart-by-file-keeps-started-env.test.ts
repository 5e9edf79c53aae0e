import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TendHarness, until } from '../../helpers/tend-harness.js';
import { ConfigDir, IDLE_APP } from '../ecosystem/support.js';

let tend: TendHarness;
let dir: ConfigDir;
let config: string;
before(() => {
  tend = new TendHarness();
  dir = new ConfigDir();
  config = dir.write(
    'ecosystem.config.json',
    JSON.stringify({
      apps: [{ name: 'envapp', script: IDLE_APP, min_uptime: 200, kill_timeout: 500, env: { STAGE: 'default' }, env_production: { STAGE: 'production' }, env_staging: { STAGE: 'staging' } }],
    }),
  );
});
after(async () => {
  await tend.cleanup();
  dir.remove();
});

async function stageOf(): Promise<string> {
  return (await tend.ok(['env', 'envapp'])).split('\n').find((l) => l.startsWith('STAGE='))?.slice('STAGE='.length) ?? '';
}

async function restartedWith(args: string[], stage: string): Promise<string> {
  const before = (await tend.jlist())[0]?.restarts ?? 0;
  const result = await tend.run(args);
  assert.equal(result.code, 0, result.stderr);
  await tend.waitFor((l) => l[0]?.status === 'online' && l[0].restarts > before, 'envapp restarted');
  await until(async () => (await stageOf()) === stage, `STAGE=${stage}`);
  return result.stderr;
}

test('restart/reload of a file keep the --env the app was started with, unless another --env is given, and say which applies', async () => {
  await tend.ok(['start', config, '--env', 'production']);
  await tend.waitForStatus('envapp', 'online');
  assert.equal(await stageOf(), 'production');

  assert.match(await restartedWith(['restart', config], 'production'), /envapp: env_production applies, as when it was started/);
  assert.match(await restartedWith(['reload', config], 'production'), /envapp: env_production applies/);
  assert.match(await restartedWith(['startOrReload', config], 'production'), /envapp: env_production applies/);
  assert.match(await restartedWith(['restart', config, '--env', 'staging'], 'staging'), /env_staging applies to envapp/);
  assert.match(await restartedWith(['restart', config], 'staging'), /envapp: env_staging applies/);
  assert.match(await restartedWith(['restart', 'envapp', '--env', 'production'], 'staging'), /--env production applies only with a config file/);
});
