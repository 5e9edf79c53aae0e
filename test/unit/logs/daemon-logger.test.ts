import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createDaemonLogger } from '../../../src/logs/index.js';
import { makeTempDir, readAllGenerations, readLines } from './log-test-kit.js';

test('the daemon logger writes one valid JSON object per line, with errors serialised', async (t) => {
  const dir = makeTempDir(t);
  const file = join(dir, 'tend.log');
  const logger = createDaemonLogger(file, { level: 'info' });
  const failure = Object.assign(new Error('disk gone'), { code: 'EIO' });
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  logger.debug('not written at info level');
  logger.info('daemon started', { pid: 42, big: 10n });
  logger.warn('line with\nnewline');
  logger.error('write failed', { err: failure, app: 'api' });
  logger.info('cyclic', { cyclic });
  await logger.close();
  const records = readLines(file).map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.deepEqual(records.map((r) => [r.level, r.msg]), [
    ['info', 'daemon started'],
    ['warn', 'line with\nnewline'],
    ['error', 'write failed'],
    ['info', 'cyclic'],
  ]);
  assert.equal(records[0]?.pid, 42);
  assert.equal(records[0]?.big, '10');
  assert.match(String(records[0]?.time), /^\d{4}-\d{2}-\d{2}T.*Z$/);
  const err = records[2]?.err as { message: string; stack: string; code: string };
  assert.equal(err.message, 'disk gone');
  assert.equal(err.code, 'EIO');
  assert.match(err.stack, /disk gone/);
  assert.equal(typeof records[3]?.fieldsError, 'string');
});

test('the daemon log rotates like app logs', async (t) => {
  const dir = makeTempDir(t);
  const logger = createDaemonLogger(join(dir, 'tend.log'), { maxSizeBytes: 2000, retain: 100 });
  for (let n = 0; n < 500; n++) logger.info('tick', { n });
  await logger.close();
  assert.ok(readdirSync(dir).length > 5);
  const { lines } = readAllGenerations(dir, 'tend.log');
  assert.deepEqual(lines.map((line) => (JSON.parse(line) as { n: number }).n), Array.from({ length: 500 }, (_, n) => n));
});
