import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES, NumberedChecker, useLogWorld } from './support.js';

// An app that logs and exits at once must lose nothing: the last lines are the ones that explain
// a crash. Node writes to a pipe asynchronously, so without tend's blocking stdio what it had
// queued was dropped at exit (29,922-29,948 of 30,000 kept; 279 on a loaded machine).
const { tend } = useLogWorld();
const LINES = 30_000;

async function linesOf(name: string, args: string[]): Promise<void> {
  await tend.ok(['start', ...args, '--name', name, '--no-autorestart'], { env: { LINES: String(LINES) } });
  const list = await tend.waitFor((l) => l.some((i) => i.name === name && i.status !== 'online' && i.status !== 'launching'), `${name} ended`);
  const info = list.find((i) => i.name === name);
  assert.equal(info?.exit_code, 1, JSON.stringify(info));
  const checker = new NumberedChecker(LINES);
  checker.feedFile(join(tend.home, 'logs', `${name}-out.log`));
  assert.deepEqual(checker.result(), { lines: LINES, lost: 0, duplicated: 0, outOfOrder: 0 });
}

test('a Node app that logs 30,000 lines then calls process.exit(1): every line is in the log (fork mode)', async () => {
  await linesOf('fork', [join(FIXTURES, 'log-lines-then-exit.js')]);
});

test('the same in a cluster worker', async () => {
  await linesOf('worker', [join(FIXTURES, 'log-lines-then-exit.js'), '-i', '1', '--listen-timeout', '20s']);
});

test('a Python app that flushes 30,000 lines then calls os._exit(1): every line is in the log', async () => {
  await linesOf('python', [join(FIXTURES, 'log-lines-then-exit.py')]);
});
