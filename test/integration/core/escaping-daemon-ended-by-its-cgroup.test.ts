import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ownCgroupDir } from '../../../src/daemon/app-cgroup.js';
import { FIXTURES, TendHarness, isAlive, killQuietly, until } from '../../helpers/tend-harness.js';

const tend = new TendHarness('tend-cgroup-');
const escaped: number[] = [];
after(async () => {
  for (const pid of escaped) killQuietly(pid);
  await tend.cleanup();
});

function cgroupPath(pid: number): string {
  return /^0::(.*)$/m.exec(readFileSync(`/proc/${pid}/cgroup`, 'utf8'))?.[1] ?? '';
}

/** Whether this machine lets the daemon make cgroups: cgroup v2 mounted and our cgroup writable. */
function cgroupsWritable(): boolean {
  const base = ownCgroupDir(readFileSync('/proc/self/mounts', 'utf8'), readFileSync('/proc/self/cgroup', 'utf8'));
  return base !== null && existsSync(join(base, 'cgroup.procs')) && process.getuid?.() === 0;
}

test('a child that clears its environment and daemonizes is ended by stop, through the app\'s cgroup', async (t) => {
  if (!cgroupsWritable()) {
    t.skip('needs cgroup v2 with a writable cgroup (root, or a delegated one); elsewhere such a child escapes stop (README)');
    return;
  }
  const pidsFile = join(tend.home, 'escaped.pid');
  await tend.ok(['start', join(FIXTURES, 'spawn-escaping-daemon.js'), '--name', 'leaky', '--kill-timeout', '300ms'], { env: { PIDS_OUT_FILE: pidsFile } });
  const daemonized = await until(() => (existsSync(pidsFile) ? Number(readFileSync(pidsFile, 'utf8')) : null), 'the daemonized grandchild pid');
  escaped.push(daemonized);
  const app = (await tend.waitForStatus('leaky', 'online')).find((i) => i.name === 'leaky');
  assert.ok(app?.pid && isAlive(daemonized));
  assert.equal(readFileSync(`/proc/${daemonized}/environ`, 'latin1'), '', 'nothing in its environment ties it to the app');
  assert.match(cgroupPath(daemonized), /\/tend-[0-9a-f]{12}\/[^/]+$/, 'it is in the app\'s own cgroup');
  assert.equal(cgroupPath(daemonized), cgroupPath(app.pid));

  await tend.ok(['stop', 'leaky']);
  await until(() => !isAlive(daemonized), 'the daemonized grandchild ended', 10_000);
  assert.equal(isAlive(app.pid), false);
});
