import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ConfigProblems, problemsOf, resolveApps, type ResolveContext } from '../../../src/config/index.js';
import { isTendError } from '../../../src/core/errors.js';
import { makeTempDir } from './temp-dir.js';

const dir = makeTempDir();
after(() => dir.remove());
dir.write('app.js', '');

const ctx: ResolveContext = { cwd: dir.path, tendHome: '/home/u/.tend', cpuCount: 2, source: 'eco.js', processEnv: { PATH: process.env.PATH } };

/** Every problem's message, and the error's own (first) message. */
function problems(raw: unknown[]): { all: string[]; first: string; warnings: readonly string[] } {
  try {
    resolveApps(raw, ctx);
  } catch (error) {
    assert.ok(isTendError(error), String(error));
    const warnings = error instanceof ConfigProblems ? error.warnings : [];
    return { all: problemsOf(error).map((p) => p.message), first: error.message, warnings };
  }
  throw new Error('expected problems');
}

describe('every problem of a config is collected, the first is the message', () => {
  const cases: Array<{ what: string; raw: unknown[]; expected: RegExp[] }> = [
    {
      what: 'several bad options of one app',
      raw: [{ name: 'api', script: 'app.js', instances: 'lots', kill_timeout: 'soon', max_restarts: -1 }],
      expected: [/apps\[0\] "api": instances must be/, /apps\[0\] "api": kill_timeout must be a duration/, /apps\[0\] "api": max_restarts must be an integer >= 0, got -1/],
    },
    {
      what: 'problems in different apps',
      raw: [{ name: 'a', script: 'gone.js' }, { name: 'b', script: 'app.js', cwd: 'nowhere' }, { name: 'c' }],
      expected: [/apps\[0\] "a": script "gone.js" not found/, /apps\[1\] "b": cwd .*nowhere does not exist/, /apps\[2\] "c": script is required/],
    },
    {
      // A bad cwd must not also report the script as missing (it is looked up in that cwd).
      what: 'a bad cwd hides the checks that depend on it',
      raw: [{ name: 'a', script: 'app.js', cwd: 'nowhere', env_file: '.env' }],
      expected: [/apps\[0\] "a": cwd .*nowhere does not exist/],
    },
    {
      what: 'unsupported option, bad name and same option twice',
      raw: [{ name: '7', script: 'app.js', wait_ip: true, node_args: '-x', interpreter_args: '-y' }],
      expected: [/interpreter_args and node_args are the same option|node_args and interpreter_args are the same option/, /wait_ip is not supported/, /name must not be only digits/],
    },
    {
      what: 'duplicate names next to other problems',
      raw: [{ name: 'a', script: 'app.js' }, { name: 'a', script: 'app.js' }, { name: 'b', script: 'app.js', autorestart: 'maybe' }],
      expected: [/apps\[1\] "a": name is already used by apps\[0\]/, /apps\[2\] "b": autorestart must be true or false, got "maybe"/],
    },
  ];
  for (const c of cases) {
    it(c.what, () => {
      const { all, first } = problems(c.raw);
      assert.equal(all.length, c.expected.length, all.join('\n'));
      for (const pattern of c.expected) assert.ok(all.some((line) => pattern.test(line)), `${pattern} in\n${all.join('\n')}`);
      assert.equal(first, all[0]);
      for (const line of all) assert.ok(!line.includes('\n') && line.startsWith('eco.js: apps['), line);
    });
  }

  it('keeps the warnings of the apps (unknown options) with the problems', () => {
    const { warnings } = problems([{ name: 'a', script: 'app.js', wacth: true }, { name: 'b', script: 'gone.js' }]);
    assert.deepEqual(warnings, [`eco.js: apps[0] "a": unknown option 'wacth' is ignored; did you mean 'watch'?`]);
  });
});
