import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FIXTURES, REPO_ROOT, TendHarness, killQuietly, until } from '../../helpers/tend-harness.js';
import { findFreePortRun } from '../../helpers/ports.js';

// No container engine here: the Containerfile's CMD and HEALTHCHECK are run as the image would
// run them, in the build context (the image's /app), with tend-runtime from this build.
const RUNTIME = join(REPO_ROOT, 'dist/bin/tend-runtime.js');
const INSTRUCTIONS = new Set(['FROM', 'WORKDIR', 'RUN', 'COPY', 'USER', 'EXPOSE', 'STOPSIGNAL', 'HEALTHCHECK', 'CMD', 'ENV', 'ARG']);
const harness = new TendHarness('tend-export-cf-');
const children: ChildProcess[] = [];
after(async () => {
  for (const child of children) if (child.pid) killQuietly(child.pid);
  await harness.cleanup();
});

test("the Containerfile's CMD runs the app under tend-runtime and its HEALTHCHECK passes once the app is online", async () => {
  const context = join(harness.home, 'shop');
  mkdirSync(context);
  copyFileSync(join(FIXTURES, 'http-hello.js'), join(context, 'server.mjs'));
  const appPort = await findFreePortRun(2);
  const healthPort = appPort + 1;
  writeFileSync(join(context, 'ecosystem.config.json'), JSON.stringify({ apps: [{ name: 'shop', script: 'server.mjs', port: appPort, instances: 2, kill_signal: 'SIGTERM' }] }));
  const containerfile = await harness.ok(['export', 'containerfile'], { cwd: context });

  const lines = containerfile.split('\n').filter((l) => l && !l.startsWith('#'));
  for (const line of lines) assert.ok(INSTRUCTIONS.has(line.split(' ')[0] ?? ''), line);
  const execForm = (instruction: string) => JSON.parse(lines.find((l) => l.startsWith(`${instruction} `))!.replace(/^[A-Z]+ (--\S+ )*(CMD )?/, '')) as string[];
  assert.ok(lines.includes(`EXPOSE ${appPort}`));
  const withPort = (args: string[]) => args.map((a) => a.replaceAll('9615', String(healthPort)));
  const [program, ...args] = withPort(execForm('CMD'));
  assert.equal(program, 'tend-runtime');
  const healthcheck = withPort(execForm('HEALTHCHECK'));
  const probe = () => spawnSync(healthcheck[0]!, healthcheck.slice(1), { timeout: 5000 }).status;

  const runtime = spawn(RUNTIME, args, { cwd: context, env: { ...process.env, TEND_HOME: harness.home }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(runtime);
  let stdout = '';
  runtime.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<number | null>((resolve) => runtime.on('close', (code) => resolve(code)));
  await until(() => probe() === 0, 'the HEALTHCHECK passes');
  const body = await fetch(`http://127.0.0.1:${appPort}/`, { headers: { connection: 'close' } }).then((r) => r.text());
  assert.ok(body.length > 0);
  runtime.kill('SIGTERM');
  assert.equal(await exited, 0, stdout);
  assert.notEqual(probe(), 0, 'the HEALTHCHECK fails once the runtime is gone');
});
