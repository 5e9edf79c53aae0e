import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { instancesOf, useTendWithAppDir } from './support.js';

const { tend, dir } = useTendWithAppDir();

const LINES = 3000;
// Many lines, the last on stderr, then an immediate exit: nothing may be lost on the way.
const WRITE_THEN_CRASH = [
  'const who = process.env.NODE_APP_INSTANCE;',
  `for (let n = 1; n <= ${LINES}; n += 1) console.log('instance ' + who + ' line ' + n);`,
  "console.error('instance ' + who + ' last words');",
  'process.exit(1);',
  '',
].join('\n');

test("each worker's output reaches its own log file and tend logs, up to the line before the crash", async () => {
  const script = dir.write('write-then-crash.cjs', WRITE_THEN_CRASH);
  await tend.ok(['start', script, '--name', 'talk', '-i', '2', '--no-autorestart']);
  const list = await tend.waitFor((l) => instancesOf(l, 'talk').every((i) => i.status === 'stopped' && i.exit_code === 1), 'both workers exited');
  const ids = instancesOf(list, 'talk').map((i) => i.id);

  const files = readdirSync(join(tend.home, 'logs')).sort();
  for (const [index, id] of ids.entries()) {
    assert.ok(files.includes(`talk-out-${id}.log`), `stdout file with id ${id}: ${files.join(', ')}`);
    const out = readFileSync(join(tend.home, 'logs', `talk-out-${id}.log`), 'utf8').trimEnd().split('\n');
    assert.equal(out.length, LINES);
    assert.ok(out.every((line) => line.startsWith(`instance ${index} line `)), 'only this worker wrote here');
    assert.equal(out.at(-1), `instance ${index} line ${LINES}`);
    const err = readFileSync(join(tend.home, 'logs', `talk-error-${id}.log`), 'utf8');
    assert.equal(err, `instance ${index} last words\n`);
  }

  const logs = await tend.ok(['logs', 'talk', '--nostream', '--lines', '2', '--json']);
  const lines = logs.trim().split('\n').map((l) => JSON.parse(l) as { id: number; instance: number; stream: string; message: string });
  for (const [index, id] of ids.entries()) {
    const mine = lines.filter((l) => l.id === id);
    assert.ok(mine.some((l) => l.stream === 'out' && l.message === `instance ${index} line ${LINES}`), JSON.stringify(mine));
    assert.ok(mine.some((l) => l.stream === 'err' && l.message === `instance ${index} last words`), JSON.stringify(mine));
    assert.ok(mine.every((l) => l.instance === index && l.message.startsWith(`instance ${index} `)), JSON.stringify(mine));
  }
});
