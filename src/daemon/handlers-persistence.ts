import { TendError } from '../core/errors.js';
import type { DumpAddResult, ResurrectResult, SaveResult } from '../core/persistence.js';
import type { HandlerTable } from '../ipc/handler-binding.js';
import type { StartEntry } from '../ipc/methods.js';
import { type DumpFile, clearDump, loadDump, writeDump } from './dump.js';
import type { Supervisor } from './supervisor.js';

export interface PersistenceDeps {
  supervisor: Supervisor;
  dumpFile: string;
  version: string;
}

/** The current process list as a dump: per app, with its spec, env snapshot and ids by index. */
export function buildDump(supervisor: Supervisor, version: string, nowMs: number): DumpFile {
  const apps = supervisor.appNames().flatMap((name) => {
    const entry = supervisor.app(name);
    if (!entry) return [];
    const ids = [...entry.instances.values()].sort((a, b) => a.index - b.index).map((i) => i.id);
    return [{ spec: { ...entry.record.spec, instances: ids.length }, baseEnv: entry.record.baseEnv, ids }];
  });
  return { format: 'tend-dump', version: 1, savedAtMs: nowMs, tendVersion: version, apps };
}

/** Starts every saved app whose name is not registered, with its saved env, count and ids. */
export async function resurrect(supervisor: Supervisor, dumpFile: string): Promise<ResurrectResult> {
  const loaded = loadDump(dumpFile);
  if (!loaded) return { warning: null, started: [], skipped: [], instances: [] };
  const fresh = loaded.dump.apps.filter((app) => !supervisor.app(app.spec.name));
  const skipped = loaded.dump.apps.filter((app) => supervisor.app(app.spec.name)).map((app) => app.spec.name);
  const instances = await supervisor.startApps(fresh.map((app) => ({ spec: app.spec, baseEnv: app.baseEnv, ids: app.ids })));
  return {
    warning: loaded.warning,
    started: fresh.map((app) => app.spec.name),
    skipped,
    instances: instances.map((i) => supervisor.info(i)),
  };
}

/**
 * Adds apps to the saved list without running them (`tend import pm2`): the next `resurrect`,
 * or boot, starts them. A name already saved is left as it is.
 */
export function addToDump(dumpFile: string, version: string, entries: readonly StartEntry[]): DumpAddResult {
  const dump: DumpFile = loadDump(dumpFile)?.dump ?? { format: 'tend-dump', version: 1, savedAtMs: 0, tendVersion: version, apps: [] };
  const saved = new Set(dump.apps.map((app) => app.spec.name));
  const added = entries.filter((entry) => !saved.has(entry.spec.name));
  const apps = [...dump.apps, ...added.map((entry) => ({ spec: entry.spec, baseEnv: entry.baseEnv, ids: [] }))];
  writeDump(dumpFile, { ...dump, savedAtMs: Date.now(), tendVersion: version, apps });
  return { file: dumpFile, added: added.map((e) => e.spec.name), skipped: entries.filter((e) => saved.has(e.spec.name)).map((e) => e.spec.name) };
}

/** `save`, `resurrect`, `cleardump` and `dump.add`, merged into the daemon's method table. */
export function createPersistenceHandlers(deps: PersistenceDeps): Pick<HandlerTable, 'save' | 'resurrect' | 'cleardump' | 'dump.add'> {
  const { supervisor, dumpFile } = deps;
  return {
    save: ({ force }): SaveResult => {
      const dump = buildDump(supervisor, deps.version, Date.now());
      // An empty save over a good list is how PM2 users lost theirs at reboot (#2653).
      if (dump.apps.length === 0 && force !== true) {
        throw new TendError('INVALID_ARGUMENT', 'no apps to save; use --force to save an empty list over the current dump');
      }
      writeDump(dumpFile, dump);
      return { file: dumpFile, apps: dump.apps.length, instances: dump.apps.reduce((n, app) => n + app.ids.length, 0) };
    },
    resurrect: () => resurrect(supervisor, dumpFile),
    cleardump: () => ({ file: dumpFile, removed: clearDump(dumpFile) }),
    'dump.add': ({ apps }) => addToDump(dumpFile, deps.version, apps),
  };
}
