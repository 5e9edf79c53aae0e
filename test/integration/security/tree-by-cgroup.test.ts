import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { SpawnedInstance } from '../../../src/core/driver.js';
import { enterAppCgroup, releaseAppCgroups, removeAppCgroup, setUpAppCgroups } from '../../../src/daemon/app-cgroup.js';
import { ProcSnapshot } from '../../../src/daemon/proc-snapshot.js';
import { ProcessTree } from '../../../src/daemon/process-tree.js';
import { readAllProcStats, readProcStat } from '../../../src/metrics/proc-stat.js';
import { isAlive, killQuietly, until } from '../../helpers/tend-harness.js';

// A stop finds a fork-mode app's tree in the app's own cgroup once its root was seen there,
// without reading the table of every process (what made each turn of `delete all` of 1,000 apps
// cost ~60 ms). Real processes in a real cgroup, made as the daemon makes them.

let home: string;
let cgroups: string | null = null;
const started: number[] = [];

before(() => {
  home = mkdtempSync(join(tmpdir(), 'tend-tree-cgroup-'));
  cgroups = setUpAppCgroups(home);
});

after(() => {
  for (const pid of started) killQuietly(pid);
  for (const name of ['holder-in', 'holder-out']) removeAppCgroup(join(home, name));
  releaseAppCgroups();
  rmSync(home, { recursive: true, force: true });
});

/** A root that waits at a gate (a line on stdin), then starts a `sleep` child and prints its pid. */
async function gatedRoot(): Promise<{ root: ChildProcessWithoutNullStreams; go: () => Promise<number> }> {
  const root = spawn('/bin/sh', ['-c', 'read go; sleep 30 & echo $!; wait'], { stdio: ['pipe', 'pipe', 'pipe'] });
  await new Promise((resolve) => root.once('spawn', resolve));
  started.push(root.pid!);
  const go = async (): Promise<number> => {
    let out = '';
    root.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    root.stdin.write('go\n');
    const child = await until(() => (out.includes('\n') ? Number(out.trim()) : undefined), 'the child pid');
    started.push(child);
    return child;
  };
  return { root, go };
}

function asSpawned(pid: number, holderDir: string): SpawnedInstance {
  const stat = readProcStat(pid);
  assert.ok(stat, `process ${pid} is there`);
  return { pid, startTimeTicks: stat.startTimeTicks, holder: { pid: process.pid, startTimeTicks: 0, dir: holderDir }, stdout: null, stderr: null } as SpawnedInstance;
}

/** A tree of the root that counts its reads of the /proc table; its first look finds `child`. */
function treeOf(rootPid: number, holderDir: string, child: number): { tree: ProcessTree; reads: () => number; spawned: SpawnedInstance } {
  let reads = 0;
  const tree = new ProcessTree(
    new ProcSnapshot(() => {
      reads += 1;
      return readAllProcStats();
    }),
  );
  tree.reset({ TEND_APP_NAME: 'tree-test' });
  const spawned = asSpawned(rootPid, holderDir);
  assert.deepEqual(
    tree.current(spawned, true).map((p) => p.pid),
    [child],
  );
  return { tree, reads: () => reads, spawned };
}

test('a root seen in its cgroup: its tree is the cgroup, found and ended without the /proc table', async (t) => {
  if (cgroups === null) {
    t.skip('needs cgroup v2 with a writable cgroup (root, or a delegated one)');
    return;
  }
  const holderDir = join(home, 'holder-in');
  const { root, go } = await gatedRoot();
  await enterAppCgroup(holderDir, root.pid!);
  const child = await go();
  const { tree, reads, spawned } = treeOf(root.pid!, holderDir, child);
  tree.signal(spawned, true, 'SIGKILL');
  await until(() => !isAlive(child), 'the child ended');
  await until(() => tree.leftovers(spawned, true).length === 0, 'no leftovers');
  assert.equal(reads(), 0, 'the table of every process was never read');
  root.kill('SIGKILL');
});

test('a root not in a cgroup: its tree is found through the /proc table, as before', async () => {
  const holderDir = join(home, 'holder-out');
  const { root, go } = await gatedRoot();
  const child = await go();
  const { tree, reads, spawned } = treeOf(root.pid!, holderDir, child);
  assert.ok(reads() >= 1, 'found through the table');
  tree.signal(spawned, true, 'SIGKILL');
  await until(() => !isAlive(child), 'the child ended');
  root.kill('SIGKILL');
});
