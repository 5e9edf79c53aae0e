/**
 * `depends_on` at run time, as decisions only: whether an app may start now (and if not, the
 * reason it waits with), and in which stages stop, delete and kill end a set of apps. The
 * supervisor gathers the facts and acts; checking a file's names and cycles is config's job
 * (config/dependencies.ts).
 */
import type { PublicStatus } from '../core/status.js';

/** What a waiting instance waits for: the first dependency that is not online, and why, for list and describe. */
export interface Blocker {
  on: string;
  reason: string;
  /**
   * Set when the dependency will not come online without a command (errored, stopped, not in
   * the list): a `start --wait` fails with the reason instead of waiting for ever.
   */
  stuck?: true;
}

/** Statuses a dependency leaves only through a command. */
const STUCK: ReadonlySet<PublicStatus> = new Set(['errored', 'stopped']);

/** How a dependency's instances are doing now. */
export interface DependencyView {
  instances: ReadonlyArray<{ status: PublicStatus; ready: boolean | null | undefined }>;
}

/** A dependency is met once every one of its instances is online and, with a readiness probe, passing it. */
function isMet(instance: DependencyView['instances'][number]): boolean {
  return instance.status === 'online' && instance.ready !== false;
}

/**
 * The first of `dependsOn` that is not online (in the order the file lists them), or null when
 * the app may start. `lookup` gives undefined for a name that is not registered (never started,
 * or deleted). `self` is skipped: an app cannot wait for itself.
 */
export function findBlocker(self: string, dependsOn: readonly string[], lookup: (name: string) => DependencyView | undefined): Blocker | null {
  for (const name of dependsOn) {
    if (name === self) continue;
    const view = lookup(name);
    const why = view === undefined ? 'not in the process list' : describeUnmet(view);
    if (why === null) continue;
    const stuck = view === undefined || view.instances.length === 0 || view.instances.some((i) => STUCK.has(i.status));
    return { on: name, reason: `waiting for ${name} (${why})`, ...(stuck ? { stuck: true as const } : {}) };
  }
  return null;
}

/** Why a registered dependency is not met, or null when it is. */
function describeUnmet(view: DependencyView): string | null {
  const { instances } = view;
  if (instances.length === 0) return 'no instances';
  const unmet = instances.find((i) => !isMet(i));
  if (unmet === undefined) return null;
  const status = unmet.status === 'online' ? 'online, not ready' : unmet.status;
  if (instances.length === 1) return status;
  return `${status}, ${instances.filter(isMet).length} of ${instances.length} online`;
}

export interface DependencyEdge {
  name: string;
  dependsOn: readonly string[];
}

/**
 * The stages to stop `targets` in: dependents before what they depend on, each stage waited for
 * before the next. An app's stage is the length of the longest chain of apps depending on it,
 * over every registered app (`apps`), so the order holds through apps that are not targeted.
 * Apps with no order between them share a stage. A cycle (possible across files) never throws:
 * its apps simply share what stage the walk gives them.
 */
export function stopStages(apps: readonly DependencyEdge[], targets: readonly string[]): string[][] {
  const dependents = dependentsIndex(apps);
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (name: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) return 0;
    visiting.add(name);
    const above = (dependents.get(name) ?? []).map((d) => depthOf(d) + 1);
    visiting.delete(name);
    const value = Math.max(0, ...above);
    depth.set(name, value);
    return value;
  };
  const stages = new Map<number, string[]>();
  for (const name of new Set(targets)) {
    const stage = depthOf(name);
    stages.set(stage, [...(stages.get(stage) ?? []), name]);
  }
  return [...stages.entries()].sort(([a], [b]) => a - b).map(([, names]) => names);
}

/** For each app, the apps that name it in depends_on: whom to tell when it changes. */
export function dependentsIndex(apps: readonly DependencyEdge[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const app of apps) {
    for (const dependency of new Set(app.dependsOn)) {
      if (dependency === app.name) continue;
      index.set(dependency, [...(index.get(dependency) ?? []), app.name]);
    }
  }
  return index;
}
