import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { backupPath, clearDump, type DumpFile, loadDump, validateDump, writeDump } from '../../../src/daemon/dump.js';

const app = (name: string, extra: Record<string, unknown> = {}) => ({
  spec: { name, script: '/srv/app.js', cwd: '/srv', instances: 1, env: {}, logs: {}, ...extra },
  baseEnv: { FOO: 'bar' },
  ids: [0],
});
const dumpOf = (apps: unknown[]): unknown => ({ format: 'tend-dump', version: 1, savedAtMs: 0, tendVersion: '0.1.0', apps });

const cases: Array<[what: string, value: unknown, ok: boolean, reason?: RegExp]> = [
  ['a valid dump', dumpOf([app('api')]), true],
  ['an empty list', dumpOf([]), true],
  ['null', null, false, /not a JSON object/],
  ['a PM2 dump (array)', [{ name: 'api' }], false, /not a JSON object/],
  ['another format', { format: 'pm2', version: 1, apps: [] }, false, /not a tend dump/],
  ['apps not a list', { format: 'tend-dump', version: 1, apps: {} }, false, /"apps" is not a list/],
  ['an app without spec', dumpOf([{ baseEnv: {}, ids: [] }]), false, /app #0: needs spec/],
  ['an empty name', dumpOf([app('')]), false, /spec.name is missing/],
  ['a numeric script', dumpOf([app('x', { script: 1 })]), false, /script and cwd/],
  ['fractional instances', dumpOf([app('x', { instances: 1.5 })]), false, /instances, logs or env/],
  ['a non-string env value', dumpOf([{ ...app('x'), baseEnv: { A: 1 } }]), false, /baseEnv values/],
  ['a negative id', dumpOf([{ ...app('x'), ids: [-1] }]), false, /ids must be/],
  ['a prototype key is plain data', JSON.parse('{"format":"tend-dump","version":1,"apps":[],"__proto__":{"polluted":1}}'), true],
];

for (const [what, value, ok, reason] of cases) {
  test(`validateDump: ${what}`, () => {
    const check = validateDump(value);
    assert.equal(check.ok, ok);
    if (!check.ok && reason) assert.match(check.reason, reason);
  });
}

test('validateDump never pollutes Object.prototype', () => {
  validateDump(JSON.parse('{"__proto__":{"polluted":1}}'));
  assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
});

function withFolder(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'tend-dump-'));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sample = (name: string): DumpFile => dumpOf([app(name)]) as DumpFile;

test('writeDump keeps the previous dump as the backup, mode 0600', () => withFolder((dir) => {
  const file = join(dir, 'dump.json');
  writeDump(file, sample('one'));
  writeDump(file, sample('two'));
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(loadDump(file)?.dump.apps[0]?.spec.name, 'two');
  assert.equal(JSON.parse(readFileSync(backupPath(file), 'utf8')).apps[0].spec.name, 'one');
}));

test('a broken dump is not copied over a good backup', () => withFolder((dir) => {
  const file = join(dir, 'dump.json');
  writeDump(file, sample('one'));
  writeDump(file, sample('two'));
  writeFileSync(file, '{"format":"tend-du');
  writeDump(file, sample('three'));
  assert.equal(JSON.parse(readFileSync(backupPath(file), 'utf8')).apps[0].spec.name, 'one');
}));

test('loadDump falls back to the backup with a warning, and fails clearly when both are bad', () => withFolder((dir) => {
  const file = join(dir, 'dump.json');
  assert.equal(loadDump(file), null);
  writeDump(file, sample('one'));
  writeDump(file, sample('two'));
  writeFileSync(file, '{"format":"tend-dump","vers');
  const loaded = loadDump(file);
  assert.equal(loaded?.dump.apps[0]?.spec.name, 'one');
  assert.match(loaded?.warning ?? '', /unusable \(not valid JSON.*using the backup/);
  writeFileSync(backupPath(file), 'module.exports = {}');
  assert.throws(() => loadDump(file), (error: Error & { code?: string }) => error.code === 'DUMP_INVALID' && /and its backup is not valid JSON/.test(error.message));
}));

test('clearDump removes the dump and its backup', () => withFolder((dir) => {
  const file = join(dir, 'dump.json');
  writeDump(file, sample('one'));
  writeDump(file, sample('two'));
  assert.equal(clearDump(file), true);
  assert.equal(loadDump(file), null);
  assert.equal(clearDump(file), false);
}));
