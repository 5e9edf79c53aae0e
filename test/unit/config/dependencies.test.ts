import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { checkDependencies, findCycle, startOrder, stopOrder, type DependentApp } from '../../../src/config/dependencies.js';
import { problemsOf, resolveApps } from '../../../src/config/index.js';
import { isTendError } from '../../../src/core/errors.js';
import { makeTempDir } from './temp-dir.js';

const app = (name: string, ...dependsOn: string[]): DependentApp => ({ name, dependsOn });

describe('startOrder and stopOrder', () => {
  const cases: Array<[what: string, apps: DependentApp[], start: string[]]> = [
    ['no dependencies: file order', [app('a'), app('b'), app('c')], ['a', 'b', 'c']],
    ['a dependency listed later comes first', [app('api', 'db'), app('db')], ['db', 'api']],
    ['a chain', [app('web', 'api'), app('api', 'db', 'cache'), app('cache'), app('db')], ['db', 'cache', 'api', 'web']],
    ['a diamond places the shared dependency once', [app('d', 'b', 'c'), app('b', 'a'), app('c', 'a'), app('a')], ['a', 'b', 'c', 'd']],
    ['names outside the list (running apps) are ignored', [app('api', 'db-elsewhere')], ['api']],
  ];
  for (const [what, apps, start] of cases) {
    it(what, () => {
      assert.deepEqual(startOrder(apps), start);
      assert.deepEqual(stopOrder(apps), [...start].reverse());
    });
  }

  it('refuses a cycle, naming it', () => {
    assert.throws(() => startOrder([app('a', 'b'), app('b', 'a')]), /depends_on has a cycle: a -> b -> a/);
  });
});

describe('findCycle', () => {
  const cases: Array<[DependentApp[], string[] | null]> = [
    [[app('a', 'b'), app('b')], null],
    [[app('a', 'b'), app('b', 'c'), app('c', 'a')], ['a', 'b', 'c', 'a']],
    [[app('x'), app('a', 'b'), app('b', 'c'), app('c', 'b')], ['b', 'c', 'b']],
    [[app('a', 'a')], null],
  ];
  for (const [apps, cycle] of cases) {
    it(JSON.stringify(apps.map((a) => `${a.name}<-${a.dependsOn.join(',')}`)), () => assert.deepEqual(findCycle(apps), cycle));
  }
});

describe('checkDependencies', () => {
  const messages = (apps: DependentApp[], running: ReadonlySet<string> | null) => {
    const result = checkDependencies(apps, 'eco.js', running);
    return { problems: result.problems.map((p) => p.message), warnings: result.warnings };
  };

  it('accepts names of the file and of running apps', () => {
    assert.deepEqual(messages([app('api', 'db', 'redis'), app('db')], new Set(['redis'])), { problems: [], warnings: [] });
  });
  it('an unknown name is an error naming it, with a suggestion, when the running apps are known', () => {
    assert.deepEqual(messages([app('api', 'dbb'), app('db')], new Set(['web'])).problems, ['eco.js: apps[0] "api": depends_on "dbb" is not an app of this file nor a running app; did you mean "db"?']);
  });
  it('without a daemon a name outside the file is a warning', () => {
    assert.deepEqual(messages([app('api', 'redis')], null), { problems: [], warnings: ['eco.js: apps[0] "api": depends_on "redis" is not an app of this file; it must be running when "api" starts'] });
  });
  it('self-dependency and cycles are errors', () => {
    assert.deepEqual(messages([app('a', 'a'), app('b', 'c'), app('c', 'b')], null).problems, [
      'eco.js: apps[0] "a": depends_on names the app itself',
      'eco.js: depends_on has a cycle: b -> c -> b',
    ]);
  });
});

describe('depends_on in a config', () => {
  const dir = makeTempDir();
  after(() => dir.remove());
  dir.write('app.js', '');
  const ctx = { cwd: dir.path, tendHome: '/h', cpuCount: 2, source: 'eco.js', processEnv: { PATH: process.env.PATH } };

  it('is resolved into the spec (a string or a list)', () => {
    const { apps } = resolveApps([{ name: 'api', script: 'app.js', depends_on: ['db'] }, { name: 'db', script: 'app.js', depends_on: [] }, { name: 'web', script: 'app.js', depends_on: 'api' }], ctx);
    assert.deepEqual(apps.map((a) => a.dependsOn), [['db'], [], ['api']]);
  });
  it('a cycle is a config error listed with the other problems', () => {
    try {
      resolveApps([{ name: 'a', script: 'app.js', depends_on: 'b' }, { name: 'b', script: 'app.js', depends_on: 'a', instances: 'x' }], ctx);
      assert.fail('expected an error');
    } catch (error) {
      assert.ok(isTendError(error));
      assert.deepEqual(problemsOf(error).map((p) => p.message), ['eco.js: apps[1] "b": instances must be a number, "max" or a negative number, got "x"']);
    }
    assert.throws(() => resolveApps([{ name: 'a', script: 'app.js', depends_on: 'b' }, { name: 'b', script: 'app.js', depends_on: 'a' }], ctx), /^.*eco\.js: depends_on has a cycle: a -> b -> a$/);
  });
});
