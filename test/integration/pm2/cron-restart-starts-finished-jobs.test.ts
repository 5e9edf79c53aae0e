import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TendHarness, until } from '../../helpers/tend-harness.js';

// A periodic job as PM2 users write it: it does its work and exits; `cron_restart` runs it
// again. Every second here (six fields), so the test sees several firings.
let tend: TendHarness;
let dir: string;
let job: string;
let service: string;
const EVERY_SECOND = '* * * * * *';

before(() => {
  tend = new TendHarness();
  dir = mkdtempSync(join(tmpdir(), 'tend-cron-'));
  const noteRun = `require('node:fs').appendFileSync(${JSON.stringify(dir)} + '/runs-' + process.env.TEND_APP_NAME, process.pid + '\\n');\n`;
  job = join(dir, 'job.js');
  writeFileSync(job, noteRun);
  service = join(dir, 'service.js');
  writeFileSync(service, `${noteRun}setInterval(() => {}, 1000);\n`);
});
after(async () => {
  await tend.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function runsOf(name: string): number {
  try {
    return readFileSync(join(dir, `runs-${name}`), 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

test('cron_restart starts again a job that finished by itself (--no-autorestart), and one that never ran (autostart: false)', async () => {
  await tend.ok(['start', job, '--name', 'finished', '--no-autorestart', '--cron', EVERY_SECOND]);
  await tend.ok(['start', job, '--name', 'scheduled-only', '--no-autostart', '--no-autorestart', '--cron', EVERY_SECOND]);
  assert.equal(runsOf('scheduled-only'), 0, 'autostart: false: nothing ran at start');
  await until(() => runsOf('finished') >= 3, 'the finished job to run three times');
  await until(() => runsOf('scheduled-only') >= 2, 'the job registered stopped to run at its cron times');
  const [row] = (await tend.jlist()).filter((i) => i.name === 'finished');
  assert.equal(row?.exit_code, 0, 'each run ended by itself');
  await tend.ok(['delete', 'finished', 'scheduled-only']);
});

test('a running app restarts at its cron times; one the user stopped stays stopped, and follows them again after tend start', async () => {
  await tend.ok(['start', job, '--name', 'witness', '--no-autorestart', '--cron', EVERY_SECOND]);
  await tend.ok(['start', service, '--name', 'held', '--cron', EVERY_SECOND, '--min-uptime', '100ms']);
  await until(() => runsOf('held') >= 2, 'the running service to be restarted by its schedule');
  await tend.ok(['stop', 'held']);
  const heldRuns = runsOf('held');
  const witnessRuns = runsOf('witness');
  // Two firings later (the witness runs at each), the stopped app has not run again.
  await until(() => runsOf('witness') >= witnessRuns + 2, 'two more firings');
  assert.equal(runsOf('held'), heldRuns, 'the stopped app did not run');
  assert.equal((await tend.jlist()).find((i) => i.name === 'held')?.status, 'stopped');
  await tend.ok(['start', 'held']);
  await until(() => runsOf('held') >= heldRuns + 2, 'held to run at its cron times again');
});
