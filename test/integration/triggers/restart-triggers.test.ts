import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { DescribeResult } from '../../../src/core/instance-info.js';
import { FIXTURES, TendHarness, delay } from '../../helpers/tend-harness.js';

let tend: TendHarness;
let appDir: string;
before(() => {
  tend = new TendHarness();
  appDir = mkdtempSync(join(tmpdir(), 'tend-watch-'));
});
after(async () => {
  await tend.cleanup();
  rmSync(appDir, { recursive: true, force: true });
});

async function describe(name: string): Promise<DescribeResult> {
  const [result] = JSON.parse(await tend.ok(['describe', name, '--json'])) as DescribeResult[];
  assert.ok(result);
  return result;
}

function startsWithCause(result: DescribeResult, cause: string): number {
  return result.history.filter((h) => h.event === 'started' && h.cause === cause).length;
}

test('an app past max_memory_restart is restarted with cause memory', async () => {
  await tend.ok(['start', join(FIXTURES, 'memory-grow.js'), '--name', 'grow', '--max-memory-restart', '120M'], {
    env: { STEP_MB: '20', MAX_MB: '300' },
  });
  await tend.waitFor((list) => list.some((i) => i.name === 'grow' && i.restarts >= 1), 'grow restarted');
  // The count goes up as the restart is scheduled; its start comes once the old process exited.
  let result = await describe('grow');
  for (let tries = 0; startsWithCause(result, 'memory') === 0 && tries < 100; tries += 1) {
    await delay(100);
    result = await describe('grow');
  }
  assert.ok(startsWithCause(result, 'memory') >= 1, JSON.stringify(result.history));
  const reason = result.history.find((h) => h.event === 'restart-scheduled' && h.cause === 'memory');
  assert.match(reason?.detail ?? '', /memory .* > limit/);
  await tend.ok(['delete', 'grow']);
});

test('a burst of file changes gives exactly one restart after the debounce', async () => {
  copyFileSync(join(FIXTURES, 'idle.js'), join(appDir, 'app.js'));
  await tend.ok(['start', join(appDir, 'app.js'), '--name', 'watched', '--watch', '--watch-delay', '500ms', '--cwd', appDir]);
  const [online] = await tend.waitForStatus('watched', 'online');
  // Let the watcher finish its initial scan before changing files.
  await delay(800);
  for (let i = 0; i < 10; i += 1) {
    writeFileSync(join(appDir, `data-${i}.txt`), String(i));
    await delay(20);
  }
  writeFileSync(join(appDir, 'node_modules-ignored.txt'), 'x');
  const [restarted] = await tend.waitFor(
    (list) => list.some((i) => i.name === 'watched' && i.status === 'online' && i.pid !== online?.pid),
    'watched restarted',
  );
  // A second restart would come within the debounce after the first; wait past it.
  await delay(1500);
  const [final] = (await tend.jlist()).filter((i) => i.name === 'watched');
  const history = JSON.stringify((await describe('watched')).history);
  assert.equal(final?.pid, restarted?.pid, history);
  assert.equal(startsWithCause(await describe('watched'), 'watch'), 1, history);
  await tend.ok(['delete', 'watched']);
});

test('cron_restart restarts on schedule', async () => {
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'cronned', '--cron-restart', '*/2 * * * * *', '--min-uptime', '100ms']);
  await tend.waitFor((list) => list.some((i) => i.name === 'cronned' && i.restarts >= 2), 'two cron restarts', 15_000);
  assert.ok(startsWithCause(await describe('cronned'), 'cron') >= 2);
  await tend.ok(['delete', 'cronned']);
});
