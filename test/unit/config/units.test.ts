import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { levenshtein, suggestName } from '../../../src/config/did-you-mean.js';
import { resolveInstances } from '../../../src/config/instances.js';
import { buildEnvSnapshot, parseDurationMs, parseSizeBytes, splitArgs } from '../../../src/config/index.js';

describe('parseDurationMs', () => {
  const cases: Array<[number | string, number]> = [
    [0, 0], [1500, 1500], ['1500', 1500], ['250ms', 250], ['10s', 10_000], ['1.5s', 1500],
    ['5m', 300_000], ['1h', 3_600_000], ['1d', 86_400_000], [' 3S ', 3000],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} -> ${expected} ms`, () => assert.equal(parseDurationMs(input), expected));
  }
  for (const bad of ['', 'soon', '10 minutes', '-5s', '5x', Number.NaN, -1, Infinity]) {
    it(`rejects ${String(bad)}`, () => assert.throws(() => parseDurationMs(bad), RangeError));
  }
});

describe('parseSizeBytes', () => {
  const cases: Array<[number | string, number]> = [
    [0, 0], [1024, 1024], ['2048', 2048], ['10K', 10_240], ['10k', 10_240], ['200M', 209_715_200],
    ['1G', 1_073_741_824], ['512KB', 524_288], ['1MiB', 1_048_576], ['1.5M', 1_572_864], ['100B', 100],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} -> ${expected} bytes`, () => assert.equal(parseSizeBytes(input), expected));
  }
  for (const bad of ['', 'big', '200MM', '-1M', '1X', -5]) {
    it(`rejects ${String(bad)}`, () => assert.throws(() => parseSizeBytes(bad), RangeError));
  }
});

describe('resolveInstances (4 CPUs)', () => {
  const cases: Array<[number | 'max' | undefined, number]> = [
    [undefined, 1], [1, 1], [3, 3], [8, 8], [0, 4], ['max', 4], [-1, 3], [-3, 1], [-4, 1], [-10, 1],
  ];
  for (const [input, expected] of cases) {
    it(`${String(input)} -> ${expected}`, () => assert.equal(resolveInstances(input, 4), expected));
  }
});

describe('splitArgs', () => {
  const cases: Array<[string, string[]]> = [
    ['', []], ['a b  c', ['a', 'b', 'c']], ['--name "my app"', ['--name', 'my app']],
    ["-e 'x y' z", ['-e', 'x y', 'z']], ['--opt="a b"', ['--opt=a b']], ['a\\ b', ['a b']],
    ['"say \\"hi\\""', ['say "hi"']], ['""', ['']],
  ];
  for (const [input, expected] of cases) {
    it(JSON.stringify(input), () => assert.deepEqual(splitArgs(input), expected));
  }
});

describe('did you mean', () => {
  it('counts a swap of neighbours as one edit', () => assert.equal(levenshtein('wacth', 'watch'), 1));
  it('suggests close names only', () => {
    const names = ['watch', 'instances', 'kill_timeout', 'env'];
    assert.equal(suggestName('wacth', names), 'watch');
    assert.equal(suggestName('instaces', names), 'instances');
    assert.equal(suggestName('kill-timeout', names), 'kill_timeout');
    assert.equal(suggestName('banana', names), undefined);
  });
});

describe('buildEnvSnapshot (PM2 filter_env)', () => {
  const env = { HOME: '/home/u', AWS_KEY: 'k', MY_AWS: 'm', PATH: '/bin', UNSET: undefined };
  const cases: Array<[boolean | string[], string[]]> = [
    [false, ['HOME', 'AWS_KEY', 'MY_AWS', 'PATH']],
    [[], ['HOME', 'AWS_KEY', 'MY_AWS', 'PATH']],
    [true, []],
    [['AWS'], ['HOME', 'PATH']],
    [['HOME', 'PA'], ['AWS_KEY', 'MY_AWS']],
  ];
  for (const [filter, kept] of cases) {
    it(`${JSON.stringify(filter)} keeps ${kept.join(',') || 'nothing'}`, () => {
      assert.deepEqual(Object.keys(buildEnvSnapshot(env, filter)), kept);
    });
  }
  it('run from inside a managed app, drops what tend gave that app (identity, sockets, readiness channel)', () => {
    const caller = { PATH: '/bin', TEND_HOME: '/h', TEND_APP_NAME: 'api', TEND_ID: '3', NODE_APP_INSTANCE: '0', LISTEN_FDS: '1', LISTEN_PID: '9', LISTEN_FDNAMES: 'web', NOTIFY_SOCKET: '/h/notify', READY_FD: '4', WATCHDOG_USEC: '1' };
    assert.deepEqual(Object.keys(buildEnvSnapshot(caller, false)), ['PATH', 'TEND_HOME', 'NODE_APP_INSTANCE']);
    assert.ok('NOTIFY_SOCKET' in buildEnvSnapshot({ NOTIFY_SOCKET: '/run/systemd/notify' }, false), 'outside an app, nothing is dropped');
  });
});
