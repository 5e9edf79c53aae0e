import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TEND_BIN, TendHarness, until } from '../../helpers/tend-harness.js';

// An app that runs the tend CLI on itself once (a marker file says it did): `tend <verb> <its
// own name>`, as apps that restart themselves after a self-update do.
let tend: TendHarness;
let dir: string;
let app: string;
let fakeHome: string;
before(() => {
  tend = new TendHarness();
  dir = mkdtempSync(join(tmpdir(), 'tend-self-'));
  fakeHome = join(dir, 'home');
  app = join(dir, 'self.js');
  writeFileSync(
    app,
    `const { spawn } = require('node:child_process');
const fs = require('node:fs');
const marker = ${JSON.stringify(dir)} + '/called-' + process.env.TEND_APP_NAME;
fs.appendFileSync(${JSON.stringify(dir)} + '/pids-' + process.env.TEND_APP_NAME, process.pid + '\\n');
// Made with O_EXCL: the first run of the app calls tend, once, even when two workers boot at the same moment.
let first = true;
try {
  fs.writeFileSync(marker, process.env.TEND_HOME || '(none)', { flag: 'wx' });
} catch {
  first = false;
}
if (first) {
  setTimeout(() => spawn(process.execPath, [${JSON.stringify(TEND_BIN)}, process.argv[2], process.env.TEND_APP_NAME], { stdio: 'ignore' }), 300);
}
setInterval(() => {}, 1000);
`,
  );
});
after(async () => {
  await tend.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

// The CLI's HOME is a folder of the test: had the app's `tend` missed TEND_HOME, it would have
// started a daemon in <HOME>/.tend, which the last test checks is absent.
const cli = { env: { HOME: '' } };
before(() => {
  cli.env.HOME = fakeHome;
});

test('a fork-mode app runs `tend restart` on itself, with TEND_HOME filtered out of its snapshot: restarted once, by this daemon', async () => {
  await tend.ok(['start', app, '--name', 'self-restart', '--filter-env', 'TEND_HOME', '--min-uptime', '200ms', '--', 'restart'], cli);
  // Waited for by its restart count: on a loaded machine the first run may be over before a poll sees it.
  const list = await tend.waitFor((l) => l.some((i) => i.name === 'self-restart' && i.status === 'online' && i.restarts === 1), 'restarted once');
  const second = list.find((i) => i.name === 'self-restart');
  assert.equal(existsSync(join(dir, 'called-self-restart')), true);
  // Online at min_uptime: the second run may not have noted its pid yet on a loaded machine.
  const pids = await until(() => {
    const noted = readFileSync(join(dir, 'pids-self-restart'), 'utf8').trim().split('\n').map(Number);
    return noted.length >= 2 ? noted : undefined;
  }, 'the second run noting its pid');
  assert.equal(pids.length, 2, 'two runs: the first, and the one its own restart started');
  assert.equal(pids[1], second?.pid);
});

test('a cluster worker runs `tend reload` on its own app: every worker is replaced, nothing hangs', async () => {
  await tend.ok(['start', app, '--name', 'self-reload', '-i', '2', '--min-uptime', '200ms', '--kill-timeout', '1s', '--', 'reload'], cli);
  const replaced = await tend.waitFor(
    (l) => l.filter((i) => i.name === 'self-reload' && i.status === 'online' && i.restarts === 1).length === 2,
    'both workers replaced once',
  );
  // A worker is online at min_uptime; on a loaded machine the last one may not have run its first
  // line (the pid it notes) by then.
  const pids = await until(() => {
    const noted = readFileSync(join(dir, 'pids-self-reload'), 'utf8').trim().split('\n').map(Number);
    return noted.length >= 4 ? noted : undefined;
  }, 'the replacements noting their pids');
  assert.equal(pids.length, 4, 'two workers, each replaced once');
  const now = replaced.filter((i) => i.name === 'self-reload').map((i) => i.pid as number);
  assert.deepEqual(pids.slice(0, 2).filter((pid) => now.includes(pid)), [], 'the first workers are gone');
});

test('an app runs `tend stop` on itself: it is stopped and stays stopped', async () => {
  await tend.ok(['start', app, '--name', 'self-stop', '--min-uptime', '200ms', '--', 'stop'], cli);
  await tend.waitForStatus('self-stop', 'stopped');
  // The CLI answered and the daemon still does: another command goes through at once.
  assert.equal((await tend.jlist()).find((i) => i.name === 'self-stop')?.restarts, 0);
});

test('no other daemon was started: the apps reached the one that runs them', () => {
  assert.equal(existsSync(join(fakeHome, '.tend')), false);
  assert.equal(tend.tendProcessesOfThisHome().length > 0, true);
});
