import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PublicStatus } from '../../../src/core/status.js';
import { type DependencyView, dependentsIndex, findBlocker, stopStages } from '../../../src/daemon/dependencies.js';

const view = (...instances: Array<PublicStatus | [PublicStatus, boolean | null]>): DependencyView => ({
  instances: instances.map((i) => (Array.isArray(i) ? { status: i[0], ready: i[1] } : { status: i, ready: i === 'online' ? true : null })),
});

describe('findBlocker: whether an app may start now', () => {
  const world: Record<string, DependencyView> = {
    db: view('online'),
    cache: view('launching'),
    broken: view('errored'),
    probed: view(['online', false]),
    pair: view('online', 'waiting'),
    empty: view(),
  };
  const lookup = (name: string): DependencyView | undefined => world[name];
  // stuck: the dependency will not come online without a command (start --wait fails on it).
  const cases: Array<{ dependsOn: string[]; reason: string | null; self?: string; stuck?: true }> = [
    { dependsOn: [], reason: null },
    { dependsOn: ['db'], reason: null },
    { dependsOn: ['db', 'cache'], reason: 'waiting for cache (launching)' },
    { dependsOn: ['broken', 'cache'], reason: 'waiting for broken (errored)', stuck: true },
    { dependsOn: ['probed'], reason: 'waiting for probed (online, not ready)' },
    { dependsOn: ['pair'], reason: 'waiting for pair (waiting, 1 of 2 online)' },
    { dependsOn: ['empty'], reason: 'waiting for empty (no instances)', stuck: true },
    { dependsOn: ['gone'], reason: 'waiting for gone (not in the process list)', stuck: true },
    { dependsOn: ['api', 'db'], reason: null, self: 'api' },
  ];
  for (const { dependsOn, reason, self = 'api', stuck } of cases) {
    it(`${self} <- [${dependsOn.join(', ')}]: ${reason ?? 'may start'}${stuck ? ' (stuck)' : ''}`, () => {
      const blocker = findBlocker(self, dependsOn, lookup);
      assert.equal(blocker?.reason ?? null, reason);
      assert.equal(blocker?.stuck, stuck);
      if (blocker) assert.ok(dependsOn.includes(blocker.on));
    });
  }
});

describe('stopStages: dependents before what they depend on', () => {
  const edge = (name: string, ...dependsOn: string[]) => ({ name, dependsOn });
  const cases: Array<{ what: string; apps: ReturnType<typeof edge>[]; targets: string[]; stages: string[][] }> = [
    { what: 'no dependencies: one stage', apps: [edge('a'), edge('b')], targets: ['a', 'b'], stages: [['a', 'b']] },
    { what: 'a chain', apps: [edge('db'), edge('api', 'db'), edge('web', 'api')], targets: ['db', 'api', 'web'], stages: [['web'], ['api'], ['db']] },
    {
      what: 'two dependents share a stage',
      apps: [edge('db'), edge('api', 'db'), edge('worker', 'db'), edge('cache')],
      targets: ['db', 'api', 'worker', 'cache'],
      stages: [['api', 'worker', 'cache'], ['db']],
    },
    { what: 'the longest chain decides', apps: [edge('db'), edge('api', 'db'), edge('web', 'api', 'db')], targets: ['web', 'db', 'api'], stages: [['web'], ['api'], ['db']] },
    { what: 'the order holds through an app not targeted', apps: [edge('db'), edge('api', 'db'), edge('web', 'api')], targets: ['db', 'web'], stages: [['web'], ['db']] },
    { what: 'only what is targeted', apps: [edge('db'), edge('api', 'db')], targets: ['db'], stages: [['db']] },
    { what: 'a name given twice once', apps: [edge('db'), edge('api', 'db')], targets: ['api', 'api', 'db'], stages: [['api'], ['db']] },
    { what: 'a cycle across files does not throw', apps: [edge('a', 'b'), edge('b', 'a')], targets: ['a', 'b'], stages: [['b'], ['a']] },
    { what: 'a self-reference is no order', apps: [edge('a', 'a')], targets: ['a'], stages: [['a']] },
  ];
  for (const { what, apps, targets, stages } of cases) it(what, () => assert.deepEqual(stopStages(apps, targets), stages));
});

describe('dependentsIndex', () => {
  it('maps each app to the apps naming it, each once', () => {
    const index = dependentsIndex([
      { name: 'db', dependsOn: [] },
      { name: 'api', dependsOn: ['db', 'db', 'cache'] },
      { name: 'web', dependsOn: ['api', 'web'] },
    ]);
    assert.deepEqual(Object.fromEntries(index), { db: ['api'], cache: ['api'], api: ['web'] });
  });
});
