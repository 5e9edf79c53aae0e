import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { LogManager, type LogLineEvent } from '../../../src/logs/index.js';
import { makeLogSpec, makeRoute, makeTempDir, readLines } from './log-test-kit.js';

test('numbered lines from several merged instances arrive whole and in order per instance', async (t) => {
  const dir = makeTempDir(t);
  const manager = new LogManager({ logsDir: dir });
  const logs = makeLogSpec(dir, { mergeLogs: true });
  const sinks = [0, 1, 2].map((i) => manager.open(makeRoute(logs, { id: i, instance: i, instances: 3 })));
  const count = 5000;
  for (let n = 0; n < count; n++) {
    sinks.forEach((sink, i) => {
      // Odd split points: every line crosses a chunk boundary.
      const line = `i${i} n${n} ${'x'.repeat(n % 50)}\n`;
      sink.write('out', Buffer.from(line.slice(0, 3)));
      sink.write('out', Buffer.from(line.slice(3)));
    });
  }
  await Promise.all(sinks.map((sink) => sink.close()));
  const next = [0, 0, 0];
  const lines = readLines(join(dir, 'app-out.log'));
  assert.equal(lines.length, 3 * count);
  for (const line of lines) {
    const match = /^i(\d) n(\d+) x*$/.exec(line);
    assert.ok(match, `mangled line: ${line}`);
    const i = Number(match[1]);
    assert.equal(Number(match[2]), next[i], `instance ${i} out of order`);
    next[i] = (next[i] ?? 0) + 1;
  }
  const instanceBytes = lines.filter((line) => line.startsWith('i1 ')).reduce((sum, line) => sum + line.length + 1, 0);
  assert.equal(manager.stats(1).writtenBytes, instanceBytes);
});

test('unmerged instances get their own file, a partial last line is kept at close', async (t) => {
  const dir = makeTempDir(t);
  const manager = new LogManager({ logsDir: dir });
  const sink = manager.open(makeRoute(makeLogSpec(dir), { id: 7, instances: 2 }));
  const source = new PassThrough();
  sink.attach('err', source);
  source.write('first\nno newline at exit');
  source.end();
  await sink.close();
  assert.deepEqual(sink.paths(), { out: join(dir, 'app-out-7.log'), err: join(dir, 'app-error-7.log'), combined: null });
  assert.deepEqual(readLines(join(dir, 'app-error-7.log')), ['first', 'no newline at exit']);
});

test('combined file gets both streams; time prefix and json format', async (t) => {
  const dir = makeTempDir(t);
  const clock = { wallMs: () => new Date(2026, 0, 2, 3, 4, 5, 6).getTime(), monotonicMs: () => 0 };
  const manager = new LogManager({ logsDir: dir, clock });
  const timed = makeLogSpec(dir, { combinedFile: join(dir, 'all.log'), time: true, dateFormat: 'HH:mm:ss.SSS' });
  const a = manager.open(makeRoute(timed));
  a.write('out', Buffer.from('o1\n'));
  a.write('err', Buffer.from('e1\r\n'));
  await a.close();
  assert.deepEqual(readLines(join(dir, 'all.log')), ['03:04:05.006: o1', '03:04:05.006: e1\r']);
  assert.deepEqual(readLines(join(dir, 'app-out.log')), ['03:04:05.006: o1']);

  const json = makeLogSpec(dir, { outFile: join(dir, 'j.log'), logType: 'json' });
  const b = manager.open(makeRoute(json, { appName: 'api', id: 1, instance: 2 }));
  b.write('out', Buffer.from([0x68, 0x69, 0xff, 0x0a]));
  await b.close();
  const [record] = readLines(join(dir, 'j.log')).map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.deepEqual({ ...record, time: typeof record?.time }, { time: 'string', app: 'api', instance: 2, stream: 'out', message: 'hi\ufffd' });
});

test('null paths discard, yet every line is reported; hasListeners gates the events', async (t) => {
  const dir = makeTempDir(t);
  const events: LogLineEvent[] = [];
  let listening = true;
  const manager = new LogManager({ logsDir: dir, onLine: (event) => events.push(event), hasListeners: () => listening });
  const sink = manager.open(makeRoute(makeLogSpec(dir, { outFile: null, errorFile: '/dev/null' }), { id: 4 }));
  sink.write('out', Buffer.from('a\nb'));
  listening = false;
  sink.write('err', Buffer.from('hidden\n'));
  listening = true;
  sink.write('err', Buffer.from('c\n'));
  await sink.close();
  assert.deepEqual(events.map((e) => `${e.stream}:${e.line}:${e.id}`), ['out:a:4', 'err:c:4', 'out:b:4']);
  assert.equal(existsSync(join(dir, 'app-out.log')), false);
});

test('flush empties files (also of closed sinks) and reopenAll follows a moved file', async (t) => {
  const dir = makeTempDir(t);
  const manager = new LogManager({ logsDir: dir });
  const sink = manager.open(makeRoute(makeLogSpec(dir)));
  sink.write('out', Buffer.from('before\n'));
  await manager.flush();
  sink.write('out', Buffer.from('after flush\n'));
  await new Promise((resolve) => setTimeout(resolve, 50));
  await rename(join(dir, 'app-out.log'), join(dir, 'moved.log'));
  await manager.reopenAll();
  sink.write('out', Buffer.from('after reopen\n'));
  await sink.close();
  assert.deepEqual(readLines(join(dir, 'moved.log')), ['after flush']);
  assert.deepEqual(readLines(join(dir, 'app-out.log')), ['after reopen']);
  assert.deepEqual(await manager.flush((route) => route.appName === 'app'), [join(dir, 'app-out.log'), join(dir, 'app-error.log')]);
  assert.deepEqual(readLines(join(dir, 'app-out.log')), []);
});
