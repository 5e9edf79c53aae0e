import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quoteUnitWord, renderSystemdUnit, stopTimeoutSeconds } from '../../../src/cli/systemd-unit.js';

const input = {
  user: 'alice',
  home: '/home/alice',
  tendHome: '/home/alice/.tend',
  nodePath: '/opt/node 20/bin/node',
  nodeFlags: ['--max-semi-space-size=1'],
  daemonScript: '/usr/lib/node_modules/tend/dist/bin/tend-daemon.cjs',
  cliScript: '/usr/lib/node_modules/tend/dist/bin/tend.js',
  maxKillTimeoutMs: 1600,
};

test('the unit runs the real daemon in the foreground and resurrects at start', () => {
  const unit = renderSystemdUnit(input);
  assert.match(unit, /^Type=exec$/m);
  assert.doesNotMatch(unit, /PIDFile|forking/);
  assert.match(unit, /^ExecStart="\/opt\/node 20\/bin\/node" "--max-semi-space-size=1" "\/usr\/lib\/node_modules\/tend\/dist\/bin\/tend-daemon.cjs" --resurrect$/m);
  assert.match(unit, /^User=alice$/m);
  assert.match(unit, /^Environment="TEND_HOME=\/home\/alice\/.tend"$/m);
  assert.match(unit, /^Environment="PATH=\/opt\/node 20\/bin:/m);
  assert.match(unit, /^KillMode=mixed$/m);
  assert.match(unit, /^WantedBy=multi-user.target$/m);
});

const timeouts: Array<[killTimeoutMs: number, seconds: number]> = [
  [0, 30],
  [1600, 30],
  [20_000, 30],
  [20_001, 31],
  [120_000, 130],
];
for (const [ms, seconds] of timeouts) {
  test(`TimeoutStopSec for a kill_timeout of ${ms} ms is ${seconds}`, () => {
    assert.equal(stopTimeoutSeconds(ms), seconds);
    assert.match(renderSystemdUnit({ ...input, maxKillTimeoutMs: ms }), new RegExp(`^TimeoutStopSec=${seconds}$`, 'm'));
  });
}

const words: Array<[raw: string, quoted: string]> = [
  ['/usr/bin/node', '"/usr/bin/node"'],
  ['/a b/c', '"/a b/c"'],
  ['100%', '"100%%"'],
  ['$HOME', '"$$HOME"'],
  ['say "hi"', '"say \\"hi\\""'],
  ['a\\b', '"a\\\\b"'],
];
for (const [raw, quoted] of words) {
  test(`quoteUnitWord(${JSON.stringify(raw)})`, () => assert.equal(quoteUnitWord(raw), quoted));
}

test('a newline cannot be smuggled into the unit', () => {
  assert.throws(() => quoteUnitWord('/x\nExecStartPre=/bin/rm'), /newline/);
});

test('a user unit has no User=, HOME, network.target or open-files limit, and is wanted by default.target', () => {
  const unit = renderSystemdUnit({ ...input, scope: 'user' });
  assert.doesNotMatch(unit, /^User=|^Environment="HOME=|network\.target|^LimitNOFILE=/m);
  assert.match(unit, /^WantedBy=default.target$/m);
  assert.match(unit, /^Environment="TEND_HOME=\/home\/alice\/.tend"$/m);
  assert.match(unit, /--resurrect$/m);
});
