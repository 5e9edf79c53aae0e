import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES, REPO_ROOT, TEND_BIN, delay, killQuietly } from '../../helpers/tend-harness.js';
import { findFreePort, helloSource, instancesOf, useTendWithAppDir } from '../cluster-e2e/support.js';

const { tend, dir } = useTendWithAppDir();

/** Runs a CLI command in the background; the daemon it talks to is killed under it. */
function background(args: string[]): Promise<number | null> {
  const child = spawn(process.execPath, [TEND_BIN, ...args], { env: tend.env(), cwd: REPO_ROOT, stdio: 'ignore' });
  return new Promise((resolve) => child.on('close', (code) => resolve(code)));
}

async function killDaemon(): Promise<void> {
  const pid = tend.daemonPid();
  assert.ok(pid, 'a daemon runs');
  killQuietly(pid);
  // The next command finds the survivors and brings back what was wanted.
  await delay(200);
}

test('a daemon SIGKILLed while a restart waits for kill_timeout brings the app back running', async () => {
  // The next daemon ends the survivor as a stop would (its kill_timeout included) before it listens.
  await tend.ok(['start', join(FIXTURES, 'ignore-sigterm.js'), '--name', 'stubborn', '--kill-timeout', '4s']);
  await tend.waitForStatus('stubborn', 'online');
  const restart = background(['restart', 'stubborn']);
  await tend.waitForStatus('stubborn', 'stopping');
  await killDaemon();
  await restart;
  const [info] = await tend.waitForStatus('stubborn', 'online', 1, 30_000);
  assert.ok(info?.pid);
});

test('a daemon SIGKILLed in the middle of a cluster reload brings every instance back running', async () => {
  const port = await findFreePort();
  // Replacements take 2 s to listen, so the reload is caught half-way.
  const slow = `setTimeout(() => { ${helloSource('v').replace(/\n/g, ' ')} }, 2000);\n`;
  const script = dir.write('web.cjs', slow);
  await tend.ok(['start', script, '--name', 'web', '-i', '2', '-p', String(port), '--listen-timeout', '20s']);
  await tend.waitFor((list) => instancesOf(list, 'web').filter((i) => i.status === 'online').length === 2, 'web online');
  await delay(2500);
  const reload = background(['reload', 'web']);
  await delay(1000);
  await killDaemon();
  await reload;
  const list = await tend.waitFor((l) => instancesOf(l, 'web').filter((i) => i.status === 'online').length === 2, 'web back online', 30_000);
  assert.equal(instancesOf(list, 'web').length, 2, 'no duplicates');
});
