import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LogManager } from '../../../src/logs/index.js';
import { makeLogSpec, makeRoute, makeTempDir, readLines } from './log-test-kit.js';

test('captured output triggers the reclaim hook once per reclaimEveryBytes, and lines are untouched', async (t) => {
  const dir = makeTempDir(t);
  let reclaims = 0;
  const manager = new LogManager({ logsDir: dir, reclaim: () => reclaims++, reclaimEveryBytes: 1000 });
  const logs = makeLogSpec(dir);
  const sink = manager.open(makeRoute(logs));
  for (let n = 0; n < 50; n++) sink.write('out', Buffer.from(`${String(n).padStart(99, '0')}\n`));
  await sink.close();
  assert.equal(reclaims, 5);
  assert.equal(readLines(logs.outFile as string).length, 50);
});
