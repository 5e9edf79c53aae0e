import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

// Option errors must name the option, the value given and the expected form, in any order.
const cases: Array<{ what: string; args: string[]; code: number; stderr: RegExp; oneLine?: boolean }> = [
  { what: 'an unknown command', args: ['frobnicate'], code: 2, stderr: /unknown command 'frobnicate'[\s\S]*--help/ },
  { what: 'an unknown flag', args: ['list', '--frob'], code: 2, stderr: /unknown option '--frob'/ },
  { what: 'an unknown flag on start', args: ['start', join(FIXTURES, 'idle.js'), '--frob'], code: 2, stderr: /unknown option '--frob'/ },
  { what: 'a missing argument', args: ['stop'], code: 2, stderr: /missing required argument/ },
  { what: 'an unknown app', args: ['stop', 'nope'], code: 1, stderr: /^tend: .*"nope"$/, oneLine: true },
  { what: 'an unknown app among known ones', args: ['restart', 'steady', 'nope'], code: 1, stderr: /"nope"/, oneLine: true },
  { what: 'an unknown id', args: ['delete', '42'], code: 1, stderr: /"42"/, oneLine: true },
  { what: 'an invalid duration', args: ['start', join(FIXTURES, 'idle.js'), '--name', 'bad', '--kill-timeout', 'abc'], code: 2, stderr: /^(?=.*kill_timeout)(?=.*"abc")(?=.*duration)/, oneLine: true },
  { what: 'an invalid instance count', args: ['start', join(FIXTURES, 'idle.js'), '--name', 'bad', '-i', 'lots'], code: 2, stderr: /^(?=.*instances)(?=.*"lots")(?=.*number)/, oneLine: true },
  { what: 'an invalid restart count', args: ['start', join(FIXTURES, 'idle.js'), '--name', 'bad', '--max-restarts', 'many'], code: 2, stderr: /^(?=.*max_restarts)(?=.*"many")(?=.*(number|integer))/, oneLine: true },
  { what: 'an unknown signal', args: ['sendSignal', 'SIGNOPE', 'steady'], code: 2, stderr: /SIGNOPE/, oneLine: true },
];

test('bad input is refused with the right exit code and message, and touches no running app', async () => {
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'steady', '--min-uptime', '200ms']);
  const [before] = await tend.waitForStatus('steady', 'online');
  assert.ok(before?.pid);
  for (const c of cases) {
    const result = await tend.run(c.args);
    assert.equal(result.code, c.code, `${c.what}: exit code; stderr: ${result.stderr}`);
    assert.match(result.stderr.trim(), c.stderr, c.what);
    if (c.oneLine) assert.equal(result.stderr.trim().split('\n').length, 1, `${c.what}: one line, got ${result.stderr}`);
  }
  const after = await tend.jlist();
  assert.deepEqual(
    after.map((i) => [i.id, i.name, i.pid, i.status, i.restarts]),
    [[before.id, 'steady', before.pid, 'online', 0]],
  );
});
