import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LogManager } from '../../../src/logs/index.js';
import { makeLogSpec, makeRoute, makeTempDir, readAllGenerations, readLines } from './log-test-kit.js';

const apps = fileURLToPath(new URL('../../fixtures/apps/', import.meta.url));

test('a process that writes and crashes at once loses nothing, partial tail included', async (t) => {
  const dir = makeTempDir(t);
  const manager = new LogManager({ logsDir: dir });
  const child = spawn(process.execPath, [join(apps, 'log-write-then-crash.js')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LINES: '20000' },
  });
  const sink = manager.open(makeRoute(makeLogSpec(dir)));
  sink.attach('out', child.stdout);
  sink.attach('err', child.stderr);
  const [code] = (await once(child, 'exit')) as [number];
  await sink.close();
  assert.equal(code, 3);
  const lines = readLines(join(dir, 'app-out.log'));
  assert.equal(lines.length, 20001);
  lines.slice(0, -1).forEach((line, n) => assert.equal(line, `out ${n}`));
  assert.equal(lines.at(-1), 'out tail');
  assert.deepEqual(readLines(join(dir, 'app-error.log')), ['err before crash']);
});

test('a flood from a real process arrives complete and in order', async (t) => {
  const dir = makeTempDir(t);
  const manager = new LogManager({ logsDir: dir });
  const child = spawn(process.execPath, [join(apps, 'log-flood.js'), '200000'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const sink = manager.open(makeRoute(makeLogSpec(dir, { maxSizeBytes: 4 * 1024 * 1024, retain: 100 })));
  sink.attach('out', child.stdout);
  await once(child, 'close');
  await sink.close();
  const { lines } = readAllGenerations(dir, 'app-out.log');
  assert.equal(lines.length, 200_000);
  lines.forEach((line, n) => {
    if (!line.startsWith(`${n} `) || line.length !== 99) assert.fail(`line ${n} is wrong: ${line.slice(0, 20)}`);
  });
  assert.equal(manager.stats(0).writtenBytes, 200_000 * 100);
});
