import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { TEND_BIN, killQuietly, until } from '../../helpers/tend-harness.js';
import { fileLines, useLogWorld } from './support.js';

const { tend, write } = useLogWorld();

// ~100 KB/s of numbered 100-byte lines: with the daemon-wide 100K default, a rotation a second.
const TICKER = [
  'let n = 0;',
  "setInterval(() => { let s = ''; for (let k = 0; k < 10; k += 1) { n += 1; s += ('line ' + n + ' ').padEnd(99, 'x') + '\\n'; } process.stdout.write(s); }, 10);",
  '',
].join('\n');

test('config.json log defaults rotate an app; `tend logs` keeps following across rotations with a --timestamp format', async () => {
  mkdirSync(tend.home, { recursive: true });
  writeFileSync(join(tend.home, 'config.json'), JSON.stringify({ logs: { max_size: '100K', retain: 20 } }));
  await tend.ok(['start', write('ticker.cjs', TICKER), '--name', 'ticker']);
  const follower = spawn(process.execPath, [TEND_BIN, 'logs', 'ticker', '--lines', '0', '--timestamp', 'HH:mm:ss'], { env: tend.env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let received = '';
  follower.stdout.on('data', (chunk: Buffer) => (received += chunk.toString()));
  try {
    const logs = join(tend.home, 'logs');
    const rotated = (): string[] => readdirSync(logs).filter((f) => f.startsWith('ticker-out.log.'));
    await until(() => received.includes('| line '), 'the follower prints lines');
    const rotatedBefore = rotated().length;
    await until(() => rotated().length >= rotatedBefore + 2, 'two more rotations', 20_000);
    const numbers = received.split('\n').filter((l) => l.includes('| line ')).map((line) => {
      assert.match(line, /^\d{2}:\d{2}:\d{2} \d+\|ticker \| line \d+ x+$/);
      return Number(/\| line (\d+)/.exec(line)?.[1]);
    });
    const gaps = numbers.filter((n, i) => i > 0 && n !== (numbers[i - 1] as number) + 1);
    assert.deepEqual(gaps, [], `followed ${numbers.length} lines across ${rotated().length} rotations`);
  } finally {
    killQuietly(follower.pid ?? -1);
  }
  await tend.ok(['delete', 'ticker']);
});

test('`tend flush <app>` empties its files; `tend reloadLogs` after an external mv writes a fresh file at the original path', async () => {
  const script = write('slow.cjs', "let n = 0; setInterval(() => console.log('slow ' + (n += 1)), 50);\n");
  await tend.ok(['start', script, '--name', 'slow']);
  const file = join(tend.home, 'logs', 'slow-out.log');
  await until(() => existsSync(file) && fileLines(file).length >= 5, 'slow writes');
  const flushed = await tend.ok(['flush', 'slow']);
  assert.match(flushed, /slow-out\.log/);
  // Flushed at once; the app keeps writing, so the file restarts small, from a later line.
  const first = Number((fileLines(file)[0] ?? 'slow 999999').split(' ')[1]);
  assert.ok(statSync(file).size < 1000 && first > 5, `after flush: ${statSync(file).size} bytes, first line ${first}`);

  const moved = `${file}.moved`;
  renameSync(file, moved);
  await tend.ok(['reloadLogs']);
  await until(() => existsSync(file) && fileLines(file).length >= 3, 'a fresh file at the original path');
  const movedLines = fileLines(moved).length;
  const freshFirst = Number((fileLines(file)[0] ?? '').split(' ')[1]);
  const movedLast = Number((fileLines(moved).at(-1) ?? '').split(' ')[1]);
  assert.equal(freshFirst, movedLast + 1, 'no line lost or doubled between the two files');
  await until(() => fileLines(file).length >= 6, 'more lines in the fresh file');
  assert.equal(fileLines(moved).length, movedLines, 'the moved file no longer grows');
});
