import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { after, before, test } from 'node:test';
import { FIXTURES, TendHarness, isAlive, until } from '../../helpers/tend-harness.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

test('after kill -9 of the daemon the next command adopts exactly the same apps (same pids), without duplicates', async () => {
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'alpha', '--min-uptime', '200ms']);
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'beta', '--namespace', 'team', '--min-uptime', '200ms']);
  await tend.ok(['start', join(FIXTURES, 'ignore-sigterm.js'), '--name', 'gamma', '--min-uptime', '200ms', '--kill-timeout', '300ms']);
  await tend.ok(['stop', 'beta']);
  const beforeKill = await tend.waitFor((list) => list.filter((i) => i.status === 'online').length === 2, 'alpha and gamma online');
  const oldPids = beforeKill.flatMap((i) => (i.pid ? [i.pid] : []));
  assert.equal(oldPids.length, 2);

  const daemonPid = tend.daemonPid();
  assert.ok(daemonPid);
  process.kill(daemonPid, 'SIGKILL');
  await until(() => !isAlive(daemonPid), 'the old daemon is gone');
  assert.ok(oldPids.every(isAlive), 'apps outlive a SIGKILLed daemon');

  const restored = await tend.waitFor((list) => list.filter((i) => i.status === 'online').length === 2, 'restored apps online');
  assert.notEqual(tend.daemonPid(), daemonPid);
  const shape = (list: typeof restored) => list.map((i) => [i.id, i.name, i.namespace, i.status === 'online' ? 'online' : i.status]);
  assert.deepEqual(shape(restored), shape(beforeKill));
  for (const info of restored.filter((i) => i.status === 'online')) {
    assert.ok(info.pid && oldPids.includes(info.pid), `${info.name} keeps its pid`);
    assert.equal(info.restarts, 0);
    assert.notEqual(info.adopted_at, null);
  }
  // Exactly one process per online app carries this home, besides the daemon, its guardian and
  // the apps' holders. A short-lived helper (a CLI still exiting) may be caught once on a loaded
  // machine, so a surplus must last to count; a duplicate app would never go away.
  const expected = restored.flatMap((i) => (i.pid ? [i.pid] : [])).sort();
  const appProcesses = (): number[] => {
    const own = [...tend.tendProcessesOfThisHome(), ...tend.holderProcessesOfThisHome()];
    return tend
      .processesOfThisHome()
      .filter((pid) => !own.includes(pid))
      .sort();
  };
  await until(() => isDeepStrictEqual(appProcesses(), expected), 'one process per online app', 5_000).catch(() => undefined);
  const left = appProcesses();
  assert.deepEqual(left, expected, `processes of this home: ${left.map((pid) => `${pid} ${commandOf(pid)}`).join('; ')}`);
});

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim();
  } catch {
    return '(gone)';
  }
}
