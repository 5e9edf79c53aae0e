import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, TendHarness, until } from '../../helpers/tend-harness.js';

let tend: TendHarness;
let envFile: string;
before(() => {
  tend = new TendHarness();
  envFile = join(tend.home, 'env.json');
});
after(() => tend.cleanup());

/** Waits for the env file written by the process `pid` (each start rewrites it). */
async function envOf(pid: number): Promise<Record<string, string>> {
  return until(() => {
    try {
      const written = JSON.parse(readFileSync(envFile, 'utf8')) as { pid: number; env: Record<string, string> };
      return written.pid === pid ? written.env : undefined;
    } catch {
      return undefined;
    }
  }, `env written by ${pid}`);
}

async function restartAndReadEnv(args: string[], env: Record<string, string>): Promise<Record<string, string>> {
  const [old] = await tend.jlist();
  rmSync(envFile, { force: true });
  await tend.ok(['restart', 'envy', ...args], { env });
  const [fresh] = await tend.waitFor((list) => list.some((i) => i.name === 'envy' && i.status === 'online' && i.pid !== old?.pid), 'envy restarted');
  assert.ok(fresh?.pid);
  return envOf(fresh.pid);
}

test('restart keeps the env snapshot; restart --update-env replaces it', async () => {
  await tend.ok(['start', join(FIXTURES, 'print-env.js'), '--name', 'envy', '--min-uptime', '200ms'], { env: { FOO: '1', BAR: 'b', ENV_OUT_FILE: envFile } });
  const [first] = await tend.waitForStatus('envy', 'online');
  assert.ok(first?.pid);
  const started = await envOf(first.pid);
  assert.equal(started.FOO, '1');
  assert.equal(started.BAR, 'b');
  assert.equal(started.TEND_APP_NAME, 'envy');
  assert.equal(started.TEND_ID, String(first.id));
  assert.equal(started.NODE_APP_INSTANCE, '0');
  // The only TEND_* variables tend adds are the documented ones; the rest came from the CLI's env
  // (the harness's TEND_HOME, and whatever the test runner was given, such as TEND_TEST_CONCURRENCY).
  const fromCaller = Object.keys(process.env).filter((k) => k.startsWith('TEND_'));
  const added = Object.keys(started).filter((k) => k.startsWith('TEND_') && !fromCaller.includes(k) && k !== 'TEND_HOME');
  assert.deepEqual(added.sort(), ['TEND_APP_NAME', 'TEND_ID', 'TEND_INVOCATION_ID']);

  // The CLI's env now has FOO=2 and no BAR: the harness passes process.env, which has no BAR.
  const kept = await restartAndReadEnv([], { FOO: '2', ENV_OUT_FILE: envFile });
  assert.equal(kept.FOO, '1');
  assert.equal(kept.BAR, 'b');

  const updated = await restartAndReadEnv(['--update-env'], { FOO: '2', ENV_OUT_FILE: envFile });
  assert.equal(updated.FOO, '2');
  assert.equal(updated.BAR, undefined, 'a removed variable is gone');
  assert.equal(updated.TEND_APP_NAME, 'envy');

  const viaCli = (await tend.ok(['env', 'envy'])).split('\n');
  assert.ok(viaCli.includes('FOO=2'));
  assert.ok(!viaCli.some((l) => l.startsWith('BAR=')));
});

test('restart --update-env by name filters the new snapshot as the app’s filter_env says', async () => {
  await tend.ok(['start', join(FIXTURES, 'print-env.js'), '--name', 'filtered', '--filter-env', 'SECRET_', '--min-uptime', '200ms'], {
    env: { SECRET_A: 'x', KEEP: '1', ENV_OUT_FILE: envFile },
  });
  const first = (await tend.waitForStatus('filtered', 'online')).find((i) => i.name === 'filtered');
  assert.ok(first?.pid);
  const started = await envOf(first.pid);
  assert.equal(started.SECRET_A, undefined);
  assert.equal(started.KEEP, '1');

  rmSync(envFile, { force: true });
  await tend.ok(['restart', 'filtered', '--update-env'], { env: { SECRET_B: 'y', KEEP: '2', ENV_OUT_FILE: envFile } });
  const fresh = (await tend.waitFor((l) => l.some((i) => i.name === 'filtered' && i.status === 'online' && i.pid !== first.pid), 'filtered restarted')).find((i) => i.name === 'filtered');
  assert.ok(fresh?.pid);
  const updated = await envOf(fresh.pid);
  assert.equal(updated.KEEP, '2');
  assert.equal(updated.SECRET_B, undefined, 'filter_env applies to the new snapshot too');
});
