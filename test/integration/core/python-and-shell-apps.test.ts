import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, TendHarness, until } from '../../helpers/tend-harness.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

for (const [script, name, interpreter] of [['crash.py', 'py', 'python3'], ['crash.sh', 'sh', 'bash']] as const) {
  test(`a ${interpreter} app runs and is restarted after a crash`, async () => {
    await tend.ok(['start', join(FIXTURES, script), '--name', name, '--min-uptime', '300ms'], { env: { CRASH_AFTER_MS: '600' } });
    const first = (await tend.waitForStatus(name, 'online')).find((i) => i.name === name);
    assert.ok(first?.pid);
    const second = (
      await tend.waitFor((list) => list.some((i) => i.name === name && i.status === 'online' && i.restarts >= 1 && i.pid !== first.pid), `${name} restarted`)
    ).find((i) => i.name === name);
    assert.ok(second?.pid);
    const [described] = JSON.parse(await tend.ok(['describe', name, '--json'])) as Array<{ spec: { interpreter: string }; history: Array<{ exitCode: number | null }> }>;
    assert.match(described?.spec.interpreter ?? '', new RegExp(`${interpreter}$`));
    assert.ok(described?.history.some((h) => h.exitCode === 3));
    // Online comes min_uptime after the run began; an interpreter slow to start under load may not
    // have printed yet, so the line is awaited (it never comes if output were held in a buffer).
    const line = new RegExp(`${interpreter === 'python3' ? 'python' : 'shell'} started ${second.pid}`);
    await until(async () => line.test(await tend.ok(['logs', name, '--lines', '100', '--nostream'])), 'unbuffered output reaches the log');
  });
}

test('a missing script or interpreter is one clear line, non-zero, and registers nothing', async () => {
  const before = await tend.jlist();
  const cases: Array<[args: string[], pattern: RegExp]> = [
    [['start', join(FIXTURES, 'no-such-app.js'), '--name', 'ghost'], /no-such-app\.js.*not found/],
    [['start', join(FIXTURES, 'no-such-app.py')], /no-such-app\.py.*not found/],
    [['start', join(FIXTURES, 'idle.js'), '--name', 'ghost', '--interpreter', 'no-such-interpreter'], /no-such-interpreter.*not found/],
    [['start', join(FIXTURES, 'crash.py'), '--name', 'ghost', '--interpreter', '/opt/none/python9'], /python9 does not exist/],
  ];
  for (const [args, pattern] of cases) {
    const result = await tend.run(args);
    assert.notEqual(result.code, 0, args.join(' '));
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line: ${result.stderr}`);
    assert.match(lines[0] ?? '', pattern);
    assert.equal(result.stdout, '');
  }
  const summary = (list: typeof before) => list.map((i) => `${i.id}:${i.name}`);
  assert.deepEqual(summary(await tend.jlist()), summary(before));
});
