import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileLines, numberedSource, useLogWorld } from './support.js';

const { tend, write } = useLogWorld();
const LINES = 20_000;

interface JsonLine {
  app: string;
  id: number;
  instance: number;
  stream: string;
  message: string;
}

test('numbered lines from a 3-worker cluster app and a 2-instance fork app arrive complete and in order per instance', async () => {
  const script = write('numbered.cjs', numberedSource(LINES) + "require('node:http').createServer().listen(0, '127.0.0.1');\n");
  await tend.ok(['start', script, '--name', 'clu', '-i', '3']);
  await tend.ok(['start', script, '--name', 'frk', '-x', '-i', '2']);
  const list = await tend.waitFor((l) => l.filter((i) => i.status === 'online').length === 5, '5 instances online');
  const logs = join(tend.home, 'logs');
  const expectedFor = (index: number) => Array.from({ length: LINES }, (_, n) => `i${index} ${n + 1}`);
  for (const info of list) {
    const file = join(logs, `${info.name}-out-${info.id}.log`);
    const want = expectedFor(info.instance);
    await tend.waitFor(() => fileLines(file).length >= LINES, `${file} complete`);
    assert.deepEqual(fileLines(file), want, `${info.name} id ${info.id}`);
  }
  const tail = await tend.ok(['logs', '--json', '--nostream', '--lines', '5']);
  const lines = tail.trim().split('\n').map((l) => JSON.parse(l) as JsonLine);
  for (const info of list) {
    const mine = lines.filter((l) => l.id === info.id).map((l) => l.message);
    assert.deepEqual(mine, expectedFor(info.instance).slice(-5), `tail of ${info.name} id ${info.id}`);
  }
});

test('a partial last line (no newline, then exit) is kept', async () => {
  const script = write('partial.cjs', "process.stdout.write('whole\\nno newline at the end');\n");
  await tend.ok(['start', script, '--name', 'partial', '--no-autorestart']);
  await tend.waitFor((l) => l.some((i) => i.name === 'partial' && i.status === 'stopped'), 'partial exited');
  const file = join(tend.home, 'logs', 'partial-out.log');
  await tend.waitFor(() => fileLines(file).length === 2, 'both lines written');
  assert.deepEqual(fileLines(file), ['whole', 'no newline at the end']);
});
