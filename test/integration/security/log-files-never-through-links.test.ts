import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FIXTURES, TendHarness, until } from '../../helpers/tend-harness.js';

const tend = new TendHarness('tend-sec-links-');
const shared = mkdtempSync(join(tmpdir(), 'tend-sec-shared-logs-'));
const victimDir = mkdtempSync(join(tmpdir(), 'tend-sec-victim-'));
after(async () => {
  await tend.cleanup();
  rmSync(shared, { recursive: true, force: true });
  rmSync(victimDir, { recursive: true, force: true });
});

test('a log path replaced by a link is neither written nor emptied through it (tend flush included)', async () => {
  // A folder the app's user can write, where someone put links to a file they may not touch.
  chmodSync(shared, 0o777);
  const victim = join(victimDir, 'precious');
  writeFileSync(victim, 'precious content\n', { mode: 0o600 });
  symlinkSync(victim, join(shared, 'app-out.log'));
  symlinkSync(victim, join(shared, 'app-err.log'));
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'linked', '--output', join(shared, 'app-out.log'), '--error', join(shared, 'app-err.log')]);
  await tend.waitForStatus('linked', 'online');
  // The app printed "ready": the daemon tried to write it and was refused.
  await until(async () => {
    const [described] = JSON.parse(await tend.ok(['describe', 'linked', '--json'])) as Array<{ logStats: { droppedLines: number } | null }>;
    return (described?.logStats?.droppedLines ?? 0) > 0;
  }, 'the line counted as dropped');
  await tend.ok(['flush', 'linked']);
  await tend.ok(['stop', 'linked']);
  await tend.ok(['flush']);
  assert.equal(readFileSync(victim, 'utf8'), 'precious content\n');
  await tend.ok(['delete', 'linked']);
});
