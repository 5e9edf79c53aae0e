import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readAllProcStats } from '../../../src/metrics/proc-stat.js';
import { FIXTURES, TendHarness, killQuietly, until } from '../../helpers/tend-harness.js';
import { isRoot } from './support.js';

/** TEND_HOME is a 1 MiB tmpfs: it can be filled to the last page and freed again. */
const tend = new TendHarness('tend-sec-full-');
const mounted = isRoot() && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', tend.home]).status === 0;
after(async () => {
  await tend.cleanup().catch(() => undefined);
  if (mounted) spawnSync('umount', ['-l', tend.home]);
  rmSync(tend.home, { recursive: true, force: true });
});

function fillDevice(file: string): void {
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(4096, 0x61);
  try {
    for (;;) writeSync(fd, block);
  } catch {
    // ENOSPC: full to the last page.
  } finally {
    closeSync(fd);
  }
}

/** Live processes started for app `name` (apps get TEND_APP_NAME in their environment). */
function processesOfApp(name: string): number[] {
  return readAllProcStats()
    .filter((stat) => stat.state !== 'Z')
    .filter((stat) => {
      try {
        return readFileSync(`/proc/${stat.pid}/environ`, 'latin1').split('\0').includes(`TEND_APP_NAME=${name}`);
      } catch {
        return false;
      }
    })
    .map((stat) => stat.pid);
}

test('a state file that cannot be written fails start, nothing runs that the state does not know, no temp file is left', async (t) => {
  if (!mounted) {
    t.skip('needs root and a sandbox that allows mounting a tmpfs (CI runs as root)');
    return;
  }
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'kept']);
  await tend.waitForStatus('kept', 'online');
  const filler = join(tend.home, 'filler');
  fillDevice(filler);

  const result = await tend.run(['start', join(FIXTURES, 'idle.js'), '--name', 'unknown', '-i', '2', '-x']);
  assert.equal(result.code, 1, result.stdout);
  assert.match(result.stderr, /could not write the state file \(ENOSPC\); nothing was started/);
  assert.deepEqual((await tend.jlist()).map((i) => i.name), ['kept']);
  assert.deepEqual(processesOfApp('unknown'), []);
  assert.deepEqual(readdirSync(tend.home).filter((f) => f.endsWith('.tmp')), []);

  // The daemon dies; the next one, with space again, knows exactly the same apps.
  for (const pid of tend.tendProcessesOfThisHome()) killQuietly(pid);
  await until(() => tend.tendProcessesOfThisHome().length === 0, 'the daemon gone');
  rmSync(filler);
  await tend.waitForStatus('kept', 'online');
  assert.deepEqual((await tend.jlist()).map((i) => i.name), ['kept']);
  assert.deepEqual(processesOfApp('unknown'), []);
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'unknown']);
  await tend.waitForStatus('unknown', 'online');
});
