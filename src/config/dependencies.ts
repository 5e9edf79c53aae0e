/**
 * `depends_on`: which apps must be online before an app starts. This module only decides: it
 * checks the names (each is an app of the same file or, when the caller knows them, a running
 * app), refuses cycles naming them, and gives the order to start in (stop, delete and kill go in
 * the reverse order). Waiting for a dependency to be online is the supervisor's job.
 */
import { TendError } from '../core/errors.js';
import { suggestName } from './did-you-mean.js';
import { configError, describeLocation } from './messages.js';

export interface DependentApp {
  name: string;
  dependsOn: readonly string[];
  /** Position in the file's apps list, for messages; defaults to the position in the list given. */
  index?: number;
}

export interface DependencyCheck {
  problems: TendError[];
  warnings: string[];
}

/**
 * Checks the dependencies of one file's apps. `running` is the set of registered app names, or
 * null where no daemon is asked (`tend validate`): a name outside the file is then a warning,
 * since it may be running when the app starts.
 */
export function checkDependencies(apps: readonly DependentApp[], source: string, running: ReadonlySet<string> | null): DependencyCheck {
  const result: DependencyCheck = { problems: [], warnings: [] };
  const inFile = new Set(apps.map((app) => app.name));
  apps.forEach((app, index) => {
    const at = { source, index: app.index ?? index, name: app.name };
    for (const dependency of app.dependsOn) {
      if (dependency === app.name) result.problems.push(configError(at, `depends_on names the app itself`));
      else if (inFile.has(dependency) || running?.has(dependency) === true) continue;
      else if (running === null) result.warnings.push(`${describeLocation(at)} depends_on "${dependency}" is not an app of this file; it must be running when "${app.name}" starts`);
      else {
        const hint = suggestName(dependency, [...inFile, ...running]);
        result.problems.push(configError(at, `depends_on "${dependency}" is not an app of this file nor a running app${hint ? `; did you mean "${hint}"?` : ''}`));
      }
    }
  });
  const cycle = findCycle(apps);
  if (cycle !== null) result.problems.push(new TendError('CONFIG_INVALID', `${source}: depends_on has a cycle: ${cycle.join(' -> ')}`));
  return result;
}

/** The first cycle among the apps' dependencies (e.g. `['a', 'b', 'a']`), or null. Self-references are left to checkDependencies. */
export function findCycle(apps: readonly DependentApp[]): string[] | null {
  const edges = new Map(apps.map((app) => [app.name, app.dependsOn.filter((d) => d !== app.name)]));
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | null => {
    if (state.get(name) === 'done') return null;
    if (state.get(name) === 'visiting') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'visiting');
    path.push(name);
    for (const next of edges.get(name) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(name, 'done');
    return null;
  };
  for (const app of apps) {
    const cycle = visit(app.name);
    if (cycle) return cycle;
  }
  return null;
}

/**
 * The order to start the apps in: every app after the apps of this list it depends on, and
 * otherwise in the order given (a file's order). Names outside the list are already running.
 * Stopping goes in the reverse order. Throws on a cycle.
 */
export function startOrder(apps: readonly DependentApp[]): string[] {
  const cycle = findCycle(apps);
  if (cycle !== null) throw new TendError('CONFIG_INVALID', `depends_on has a cycle: ${cycle.join(' -> ')}`);
  const byName = new Map(apps.map((app) => [app.name, app]));
  const placed = new Set<string>();
  const order: string[] = [];
  const place = (name: string): void => {
    if (placed.has(name)) return;
    placed.add(name);
    for (const dependency of byName.get(name)?.dependsOn ?? []) if (byName.has(dependency) && dependency !== name) place(dependency);
    order.push(name);
  };
  for (const app of apps) place(app.name);
  return order;
}

/** The order to stop, delete or kill in: dependents before what they depend on. */
export function stopOrder(apps: readonly DependentApp[]): string[] {
  return startOrder(apps).reverse();
}
