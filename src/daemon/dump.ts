import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { AppSpec } from '../core/app-spec.js';
import { TendError } from '../core/errors.js';
import { writeFileAtomic } from './atomic-file.js';

/** The saved process list: one entry per app (not per process), as `save` found it. */
export interface DumpFile {
  format: 'tend-dump';
  version: 1;
  savedAtMs: number;
  tendVersion: string;
  apps: DumpedApp[];
}

export interface DumpedApp {
  spec: AppSpec;
  baseEnv: Record<string, string>;
  /** Instance ids by index, so resurrect can give the same ids back when they are free. */
  ids: number[];
}

export type DumpCheck = { ok: true; dump: DumpFile } | { ok: false; reason: string };

/** Checks a parsed dump structurally; the text is only ever JSON.parse'd, never evaluated. */
export function validateDump(value: unknown): DumpCheck {
  if (!isRecord(value)) return { ok: false, reason: 'not a JSON object' };
  if (value.format !== 'tend-dump' || value.version !== 1) return { ok: false, reason: 'not a tend dump of version 1' };
  if (!Array.isArray(value.apps)) return { ok: false, reason: '"apps" is not a list' };
  for (const [index, app] of value.apps.entries()) {
    const problem = checkApp(app);
    if (problem) return { ok: false, reason: `app #${index}: ${problem}` };
  }
  return { ok: true, dump: value as unknown as DumpFile };
}

function checkApp(app: unknown): string | null {
  if (!isRecord(app) || !isRecord(app.spec) || !isRecord(app.baseEnv)) return 'needs spec and baseEnv objects';
  const spec = app.spec;
  if (typeof spec.name !== 'string' || spec.name.length === 0) return 'spec.name is missing';
  if (typeof spec.script !== 'string' || typeof spec.cwd !== 'string') return `${spec.name}: script and cwd must be strings`;
  if (!Number.isInteger(spec.instances) || !isRecord(spec.logs) || !isRecord(spec.env)) return `${spec.name}: instances, logs or env is malformed`;
  if (!Object.values(app.baseEnv).every((v) => typeof v === 'string')) return `${spec.name}: baseEnv values must be strings`;
  if (!Array.isArray(app.ids) || !app.ids.every((id) => Number.isInteger(id) && (id as number) >= 0)) return `${spec.name}: ids must be non-negative integers`;
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function backupPath(dumpPath: string): string {
  return `${dumpPath}.bak`;
}

/** Reads and checks one file; `null` when it does not exist. */
function readOne(path: string): DumpCheck | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return { ok: false, reason: (error as Error).message };
  }
  try {
    return validateDump(JSON.parse(text) as unknown);
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${(error as Error).message.replace(/\s+/g, ' ')})` };
  }
}

export interface LoadedDump {
  dump: DumpFile;
  /** Set when the main file was unusable and the backup was read instead. */
  warning: string | null;
}

/** The saved list, falling back to the backup; null when nothing was ever saved. */
export function loadDump(dumpPath: string): LoadedDump | null {
  const main = readOne(dumpPath);
  if (main?.ok) return { dump: main.dump, warning: null };
  const backup = readOne(backupPath(dumpPath));
  if (main === null && backup === null) return null;
  if (backup?.ok) {
    const why = main === null ? 'is missing' : `is unusable (${main.reason})`;
    return { dump: backup.dump, warning: `${dumpPath} ${why}; using the backup ${backupPath(dumpPath)} saved at ${new Date(backup.dump.savedAtMs).toISOString()}` };
  }
  const mainWhy = main === null ? 'missing' : main.reason;
  const backupWhy = backup === null ? 'missing' : backup.reason;
  throw new TendError('DUMP_INVALID', `cannot read the saved process list: ${dumpPath} is ${mainWhy}, and its backup is ${backupWhy}`);
}

/**
 * Writes the dump atomically (mode 0600: it holds the apps' environments). A valid previous
 * dump becomes the backup first; a broken one is not copied over a good backup.
 */
export function writeDump(dumpPath: string, dump: DumpFile): void {
  const previous = readOne(dumpPath);
  if (previous?.ok) writeFileAtomic(backupPath(dumpPath), readFileSync(dumpPath, 'utf8'));
  writeFileAtomic(dumpPath, `${JSON.stringify(dump, null, 2)}\n`);
}

/** Removes the dump (and its backup, so a later resurrect cannot bring an old list back). */
export function clearDump(dumpPath: string): boolean {
  const existed = existsSync(dumpPath) || existsSync(backupPath(dumpPath));
  rmSync(dumpPath, { force: true });
  rmSync(backupPath(dumpPath), { force: true });
  return existed;
}
