import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileLines, useLogWorld } from './support.js';

const { tend, dir, write } = useLogWorld();
const ISO_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/;

interface Row {
  name: string;
  flags: string[];
  /** Files (relative to TEND_HOME/logs unless absolute) and the lines each must hold. */
  check(logs: string): void;
}

const rows = (dir: string): Row[] => [
  {
    name: 'timed',
    flags: ['--time'],
    check: (logs) => {
      const [line] = fileLines(join(logs, 'timed-out.log'));
      const [stamp, text] = (line ?? '').split(': ');
      assert.match(stamp ?? '', ISO_LOCAL);
      assert.equal(text, 'hello');
    },
  },
  {
    name: 'dated',
    flags: ['--time', '--log-date-format', 'YYYY/MM/DD HH'],
    check: (logs) => assert.match(fileLines(join(logs, 'dated-error.log'))[0] ?? '', /^\d{4}\/\d{2}\/\d{2} \d{2}: oops$/),
  },
  {
    name: 'json',
    flags: ['--log-type', 'json'],
    check: (logs) => {
      const record = JSON.parse(fileLines(join(logs, 'json-out.log'))[0] ?? '{}') as Record<string, unknown>;
      assert.deepEqual({ ...record, time: typeof record.time }, { time: 'string', app: 'json', instance: 0, stream: 'out', message: 'hello' });
      assert.match(record.time as string, ISO_LOCAL);
    },
  },
  {
    name: 'merged',
    flags: ['-x', '-i', '2', '--merge-logs'],
    check: (logs) => {
      assert.deepEqual(fileLines(join(logs, 'merged-out.log')), ['hello', 'hello']);
      assert.ok(!readdirSync(logs).some((f) => /^merged-out-\d+\.log$/.test(f)));
    },
  },
  {
    name: 'combined',
    flags: ['--log', join(dir, 'combined-all.log')],
    check: (logs) => {
      assert.deepEqual(fileLines(join(dir, 'combined-all.log')).sort(), ['hello', 'oops']);
      assert.deepEqual(fileLines(join(logs, 'combined-out.log')), ['hello']);
      assert.deepEqual(fileLines(join(logs, 'combined-error.log')), ['oops']);
    },
  },
  {
    name: 'nulled',
    flags: ['--output', '/dev/null'],
    check: (logs) => {
      assert.ok(!existsSync(join(logs, 'nulled-out.log')));
      assert.deepEqual(fileLines(join(logs, 'nulled-error.log')), ['oops']);
    },
  },
  {
    name: 'silent',
    flags: ['--disable-logs'],
    check: (logs) => assert.deepEqual(readdirSync(logs).filter((f) => f.startsWith('silent')), []),
  },
];

test('time, log_date_format, log_type json, merge_logs, log_file, /dev/null and disable_logs write what the docs say', async () => {
  const script = write('hello.cjs', "console.log('hello'); console.error('oops'); setInterval(() => undefined, 1000);\n");
  const table = rows(dir);
  for (const row of table) await tend.ok(['start', script, '--name', row.name, ...row.flags], { cwd: dir });
  const logs = join(tend.home, 'logs');
  await tend.waitFor((l) => l.length === table.length + 1 && l.every((i) => i.status === 'online'), 'every row online');
  for (const row of table.filter((r) => r.name !== 'silent' && r.name !== 'nulled')) {
    const probe = row.name === 'combined' ? join(dir, 'combined-all.log') : row.name === 'dated' ? 'dated-error.log' : `${row.name}-out.log`;
    await tend.waitFor(() => existsSync(resolve(logs, probe)) && fileLines(resolve(logs, probe)).length >= (row.name === 'merged' || row.name === 'combined' ? 2 : 1), `${row.name} written`);
  }
  await tend.waitFor(() => existsSync(join(logs, 'nulled-error.log')) && fileLines(join(logs, 'nulled-error.log')).length >= 1, 'nulled err written');
  for (const row of table) row.check(logs);
});
