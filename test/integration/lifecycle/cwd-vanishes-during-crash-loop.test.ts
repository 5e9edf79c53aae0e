import assert from 'node:assert/strict';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DescribeResult } from '../../../src/core/instance-info.js';
import { delay } from '../../helpers/tend-harness.js';
import { useTendWithAppDir } from '../cluster-e2e/support.js';

const { tend, dir } = useTendWithAppDir();

// Crashes 100 ms after starting until a file named `healthy` sits in its cwd.
const FLAKY = [
  "const { existsSync } = require('node:fs');",
  "if (!existsSync('healthy')) setTimeout(() => process.exit(1), 100);",
  'setInterval(() => {}, 1 << 30);',
  '',
].join('\n');

test('an app whose folder is moved away for a second during a crash loop comes back online once it returns', async () => {
  const release = join(dir.path, 'current');
  mkdirSync(release);
  writeFileSync(join(release, 'app.cjs'), FLAKY);
  await tend.ok(['start', join(release, 'app.cjs'), '--name', 'deployed', '--cwd', release]);
  await tend.waitFor((list) => (list.find((i) => i.name === 'deployed')?.restarts ?? 0) >= 1, 'the crash loop');

  // A deploy moves the folder away, then puts the new release in place.
  renameSync(release, `${release}.old`);
  await delay(1000);
  renameSync(`${release}.old`, release);
  writeFileSync(join(release, 'healthy'), '');

  const [info] = await tend.waitForStatus('deployed', 'online', 1, 30_000);
  assert.equal(info?.error, null);
  const [described] = JSON.parse(await tend.ok(['describe', 'deployed', '--json'])) as DescribeResult[];
  const failures = described?.history.filter((h) => h.event === 'spawn-failed' || (h.event === 'exited' && h.exitCode !== 0)) ?? [];
  assert.ok(failures.length >= 2, 'it failed while the folder was away');
  const spawnFailures = described?.history.filter((h) => h.event === 'spawn-failed') ?? [];
  for (const failure of spawnFailures) assert.match(failure.detail ?? '', new RegExp(`cwd ${release} does not exist`), 'the missing cwd is named');
});
