import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { delay } from '../../helpers/tend-harness.js';
import { FIXTURES, NumberedChecker, fileLines, rssBytes, useLogWorld } from './support.js';

const { tend } = useLogWorld();

// 1 GB takes minutes on a loaded 2-core machine; the suite floods 200 MB, a run by hand 1000.
const FLOOD_MB = Number(process.env.TEND_TEST_FLOOD_MB ?? 200);
const LINE_BYTES = 100;
const LINES = Math.floor((FLOOD_MB * 1_000_000) / LINE_BYTES);
const RSS_GROWTH_LIMIT_BYTES = 64 * 1024 * 1024;
const JLIST_LIMIT_MS = 5000;

test(`a ${FLOOD_MB} MB flood keeps daemon RSS growth under 64 MB, other apps' lines flowing and jlist answering; every line once`, async () => {
  await tend.ok(['start', join(FIXTURES, 'print-ticks.js'), '--name', 'ticks']);
  await tend.waitForStatus('ticks', 'online');
  const daemon = tend.daemonPid();
  assert.ok(daemon !== null);
  const baseRss = rssBytes(daemon);
  const floodFile = join(tend.home, 'logs', 'flood-out.log');
  const ticksFile = join(tend.home, 'logs', 'ticks-out.log');

  const started = Date.now();
  await tend.ok(['start', join(FIXTURES, 'log-flood.js'), '--name', 'flood', '--no-autorestart', '--', String(LINES)]);
  let peakRss = baseRss;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peakRss = Math.max(peakRss, rssBytes(daemon));
      await delay(25);
    }
  })();
  const jlistMs: number[] = [];
  const ticksBefore = fileLines(ticksFile).length;
  const size = (): number => {
    try {
      return statSync(floodFile).size;
    } catch {
      return 0;
    }
  };
  const deadline = started + 600_000;
  while (size() < LINES * LINE_BYTES && Date.now() < deadline) {
    const asked = Date.now();
    await tend.jlist();
    jlistMs.push(Date.now() - asked);
    await delay(200);
  }
  const floodMs = Date.now() - started;
  const ticksDuring = fileLines(ticksFile).length - ticksBefore;
  sampling = false;
  await sampler;

  const checker = new NumberedChecker(LINES);
  checker.feedFile(floodFile);
  const check = checker.result();
  const growthMiB = (peakRss - baseRss) / 1024 / 1024;
  const report = { floodMB: FLOOD_MB, lines: LINES, floodMs, growthMiB: Number(growthMiB.toFixed(1)), jlistMaxMs: Math.max(...jlistMs), jlistCalls: jlistMs.length, ticksDuring, check };
  console.log(`# flood figures ${JSON.stringify(report)}`);
  assert.deepEqual(check, { lines: LINES, lost: 0, duplicated: 0, outOfOrder: 0 });
  assert.ok(peakRss - baseRss < RSS_GROWTH_LIMIT_BYTES, `daemon RSS grew ${growthMiB.toFixed(1)} MiB`);
  assert.ok(Math.max(...jlistMs) < JLIST_LIMIT_MS, `jlist took ${Math.max(...jlistMs)} ms`);
  // ticks prints every 200 ms: at least half of its lines must land while the flood runs.
  assert.ok(ticksDuring >= Math.floor(floodMs / 400), `${ticksDuring} tick lines in ${floodMs} ms`);
});
