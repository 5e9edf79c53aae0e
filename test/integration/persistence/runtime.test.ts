import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FIXTURES, REPO_ROOT, delay, killQuietly, until } from '../../helpers/tend-harness.js';
import { findFreePort } from '../../helpers/ports.js';

const RUNTIME = join(REPO_ROOT, 'dist/bin/tend-runtime.js');
const started: ChildProcess[] = [];
after(() => {
  for (const child of started) if (child.pid) killQuietly(child.pid);
});

function run(command: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (d: Buffer) => (output.stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output.stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output, exited };
}

test('tend-runtime: SIGTERM stops a cluster app gracefully, prefixed logs on stdout, exit 0', async () => {
  const port = String(await findFreePort());
  const rt = run(RUNTIME, [join(FIXTURES, 'http-drain-sigint.js'), '--name', 'web', '-i', '2', '-p', port]);
  // Both workers must be serving (their SIGINT handler installed) before the stop: a worker
  // stopped while still loading has no handler to run yet.
  const pids = new Set<string>();
  await until(async () => {
    const body = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' } }).then((r) => r.text()).catch(() => '');
    if (body.startsWith('drain')) pids.add(body);
    return pids.size === 2;
  }, 'both workers answer');
  rt.child.kill('SIGTERM');
  assert.equal(await rt.exited, 0, rt.output.stderr);
  // Each worker got the app's kill signal and drained by itself (no SIGKILL needed).
  assert.equal(rt.output.stdout.match(/^web-\d \| SIGINT received$/gm)?.length, 2, rt.output.stdout);
});

test('tend-runtime --json prints lines as JSON and exits with the app\'s code when every app has errored', async () => {
  const rt = run(RUNTIME, [join(FIXTURES, 'crash-on-start.js'), '--max-restarts', '1', '--json']);
  assert.equal(await rt.exited, 7);
  const lines = rt.output.stderr.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { app: string; stream: string; line: string });
  assert.ok(lines.length >= 1);
  assert.equal(lines[0]?.app, 'crash-on-start');
  assert.equal(lines[0]?.stream, 'err');
});

const canUnshare = process.getuid?.() === 0 && spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status === 0;

/** Zombies whose parent is `pid`, seen from the host's /proc. */
function zombieChildren(pid: number): number {
  let count = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z' && Number(fields[1]) === pid) count += 1;
    } catch {
      // Gone.
    }
  }
  return count;
}

async function zombiesUnderPid1(env: Record<string, string>): Promise<{ zombies: number; code: number | null }> {
  const rt = run('unshare', ['--pid', '--fork', '--mount-proc', RUNTIME, join(FIXTURES, 'spawn-orphans.js')], env);
  await until(() => rt.output.stdout.includes('spawned 5 orphans'), 'orphans spawned');
  const pid1 = await until(() => Number(readFileSync(`/proc/${rt.child.pid}/task/${rt.child.pid}/children`, 'utf8').trim()) || null, 'the namespace init');
  await delay(800); // the orphans' sleep 0.3 is over
  const zombies = zombieChildren(pid1);
  process.kill(pid1, 'SIGTERM');
  return { zombies, code: await rt.exited };
}

test('tend-runtime as PID 1 reaps orphaned zombies (shell launcher), and node alone would not', { skip: !canUnshare && 'needs root and unshare' }, async () => {
  const reaped = await zombiesUnderPid1({});
  assert.deepEqual(reaped, { zombies: 0, code: 0 });
  const bare = await zombiesUnderPid1({ TEND_RUNTIME_NO_REAPER: '1' });
  assert.equal(bare.zombies, 5, 'node as PID 1 leaves them: the launcher is what reaps');
});
