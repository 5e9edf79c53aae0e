import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { DescribeResult } from '../../../src/core/instance-info.js';
import { CLOCK_TICKS_PER_SECOND, readProcStat } from '../../../src/metrics/proc-stat.js';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

function cpuTicksOf(pid: number): number {
  const stat = readProcStat(pid);
  assert.ok(stat, `daemon ${pid} is alive`);
  return stat.utimeTicks + stat.stimeTicks;
}

test('a crash loop ends errored with its reason, exit codes and last stderr lines; the daemon stays cheap', async (t) => {
  await tend.ok(['ping']);
  const daemonPid = tend.daemonPid();
  assert.ok(daemonPid);
  const ticksBefore = cpuTicksOf(daemonPid);
  const wallBefore = performance.now();
  // min_uptime well above a Node start on a loaded machine: an exit after it would count as a
  // stable run and reset the count (seen with 1 s under a full parallel suite: 19 restarts).
  await tend.ok(['start', join(FIXTURES, 'crash-on-start.js'), '--name', 'looper', '--max-restarts', '12', '--min-uptime', '5s']);
  // 12 restarts with the crash-loop backoff (up to 2 s each) take ~15 s plus 12 Node start-ups.
  const [info] = await tend.waitForStatus('looper', 'errored', 1, 90_000);
  const wallMs = performance.now() - wallBefore;
  const cpuMs = ((cpuTicksOf(daemonPid) - ticksBefore) * 1000) / CLOCK_TICKS_PER_SECOND;
  const share = cpuMs / wallMs;
  // The figure includes the CLI's own start request and the jlist polls of waitForStatus.
  t.diagnostic(`daemon CPU during a 12-restart crash loop: ${cpuMs.toFixed(0)} ms over ${wallMs.toFixed(0)} ms wall (${(share * 100).toFixed(1)}%)`);
  assert.ok(share < 0.5, `daemon used ${(share * 100).toFixed(1)}% of a core while the app crash-looped`);

  assert.equal(info?.pid, null);
  assert.equal(info?.restarts, 12);
  assert.equal(info?.exit_code, 7);
  assert.match(info?.error ?? '', /12 times.*min_uptime.*code 7/);

  const [described] = JSON.parse(await tend.ok(['describe', 'looper', '--json'])) as DescribeResult[];
  assert.ok(described);
  assert.equal(described.info.status, 'errored');
  assert.match(described.info.error ?? '', /min_uptime/);
  const exits = described.history.filter((h) => h.event === 'exited');
  assert.equal(exits.length, 13);
  assert.ok(exits.every((h) => h.exitCode === 7 && h.signal === null));
  assert.ok(described.history.some((h) => h.event === 'errored' && /min_uptime/.test(h.detail ?? '')));
  assert.ok(described.recentStderr.length > 0, 'describe shows the last stderr lines');
  assert.match(described.recentStderr.at(-1) ?? '', /^boom from \d+$/);

  const human = await tend.ok(['describe', 'looper']);
  assert.match(human, /last stderr lines:\n\s+boom from \d+/);
  assert.match(readFileSync(join(tend.home, 'logs', 'looper-error.log'), 'utf8'), /boom from/);
});
