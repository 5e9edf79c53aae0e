import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { delay } from '../../helpers/tend-harness.js';
import { FIXTURES, NumberedChecker, readWithRotated, useLogWorld, type NumberedCheck } from './support.js';

const { tend } = useLogWorld();
// 30 MB through 1 MB files: ~30 rotations per app, fewer than `--retain 50` so nothing is pruned.
const LINES = 300_000;

test('rotation under a flood (--max-size 1M --retain 50, plain and --compress) keeps every line exactly once', async () => {
  const flood = join(FIXTURES, 'log-flood.js');
  const common = ['--no-autorestart', '--max-size', '1M', '--retain', '50', '--', String(LINES)];
  await tend.ok(['start', flood, '--name', 'plain', ...common]);
  await tend.ok(['start', flood, '--name', 'zipped', '--compress', ...common]);
  await tend.waitFor((l) => l.filter((i) => i.status === 'stopped').length === 2, 'both floods exited', 60_000);
  const logs = join(tend.home, 'logs');
  for (const name of ['plain', 'zipped']) {
    let last: NumberedCheck;
    let files: string[];
    // Compression runs in the background after each rotation (a file and its .gz coexist for a
    // moment): read again until every line is there once, or the deadline, then assert.
    const deadline = Date.now() + 30_000;
    do {
      const read = readWithRotated(logs, `${name}-out.log`);
      files = read.files;
      const checker = new NumberedChecker(LINES);
      checker.feed(read.text);
      last = checker.result();
      const compressed = name === 'plain' || files.slice(0, -2).every((f) => f.endsWith('.gz'));
      if (last.lines === LINES && last.lost === 0 && compressed) break;
      await delay(100);
    } while (Date.now() < deadline);
    assert.deepEqual(last, { lines: LINES, lost: 0, duplicated: 0, outOfOrder: 0 }, `${name}: ${files.length} files`);
    assert.ok(files.length >= 25, `${name} rotated ${files.length - 1} times`);
    if (name === 'zipped') assert.ok(files.filter((f) => f.endsWith('.gz')).length >= 24, files.join(' '));
  }
});
