import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FIXTURES, REPO_ROOT, killQuietly, until } from '../../helpers/tend-harness.js';
import { findFreePortRun } from '../../helpers/ports.js';

// tend-runtime as a container's PID 1: in a new PID namespace (unshare) where the kernel and
// the runtime behave as they do in a container. Without unshare the same checks run unwrapped.
const RUNTIME = join(REPO_ROOT, 'dist/bin/tend-runtime.js');
const CAN_UNSHARE = process.getuid?.() === 0 && spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status === 0;
const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'tend-rt-pid1-'));
after(() => {
  for (const child of children) if (child.pid) killQuietly(child.pid);
  rmSync(dir, { recursive: true, force: true });
});

function runtime(args: string[], env: Record<string, string> = {}) {
  const command = CAN_UNSHARE ? ['unshare', '--pid', '--fork', '--mount-proc', RUNTIME, ...args] : [RUNTIME, ...args];
  const child = spawn(command[0]!, command.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (d: Buffer) => (output.stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output.stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output, exited };
}

/** The process that signals go to: the namespace's PID 1 under unshare, else the runtime itself. */
async function stopTarget(child: ChildProcess): Promise<number> {
  if (!CAN_UNSHARE) return child.pid!;
  return until(() => Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim()) || null, 'the namespace PID 1');
}

async function status(url: string): Promise<number> {
  return fetch(url, { headers: { connection: 'close' } }).then((r) => r.status).catch(() => 0);
}

const basePort = await findFreePortRun(3);

test(`tend-runtime exits with the app's exit code${CAN_UNSHARE ? ' (as PID 1 of a new PID namespace)' : ' (unshare unavailable)'}`, async () => {
  const rt = runtime([join(FIXTURES, 'exit-with-code.js'), '--no-autorestart'], { EXIT_CODE: '42', EXIT_AFTER_MS: '200' });
  assert.equal(await rt.exited, 42, rt.output.stderr);
  assert.match(rt.output.stdout, /exit-with-code-0 \| working/);
});

test('tend-runtime exits with the crash code of an app that gave up restarting', async () => {
  const rt = runtime([join(FIXTURES, 'crash-on-start.js'), '--max-restarts', '1']);
  assert.equal(await rt.exited, 7, rt.output.stderr);
});

test('/ready answers 503 until the app says it is ready, then 200; /live answers from the start', async () => {
  const readyFile = join(dir, 'ready');
  const port = basePort;
  const rt = runtime([join(FIXTURES, 'ready-on-file.js'), '--wait-ready', '--listen-timeout', '60s', '--health-port', String(port)], { READY_FILE: readyFile });
  await until(async () => (await status(`http://127.0.0.1:${port}/live`)) === 200, '/live answers');
  assert.equal(await status(`http://127.0.0.1:${port}/ready`), 503);
  writeFileSync(readyFile, '');
  await until(async () => (await status(`http://127.0.0.1:${port}/ready`)) === 200, '/ready turns 200');
  process.kill(await stopTarget(rt.child), 'SIGTERM');
  assert.equal(await rt.exited, 0, rt.output.stderr);
});

test('on SIGTERM, tend-runtime is not ready at once, keeps serving for --pre-stop-delay, then drains the app and exits 0', async () => {
  const appPort = basePort + 1;
  const healthPort = basePort + 2;
  const rt = runtime([join(FIXTURES, 'http-drain-sigint.js'), '--name', 'web', '-p', String(appPort), '--health-port', String(healthPort), '--pre-stop-delay', '4s']);
  await until(async () => (await status(`http://127.0.0.1:${healthPort}/ready`)) === 200, 'ready');
  process.kill(await stopTarget(rt.child), 'SIGTERM');
  await until(async () => (await status(`http://127.0.0.1:${healthPort}/ready`)) === 503, 'not ready after SIGTERM');
  assert.equal(await status(`http://127.0.0.1:${appPort}/`), 200, 'the app still serves during the pre-stop delay');
  assert.ok(!rt.output.stdout.includes('SIGINT received'), 'the app was not stopped yet');
  assert.equal(await rt.exited, 0, rt.output.stderr);
  assert.match(rt.output.stdout, /^web-0 \| SIGINT received$/m);
});
