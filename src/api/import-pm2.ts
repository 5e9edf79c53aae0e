import { readFileSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { TendError } from '../core/errors.js';
import { mapPm2Dump, resolvePm2Apps, type ResolvedPm2Apps } from '../config/index.js';

export interface Pm2ImportInput {
  /** PM2's home; default $PM2_HOME or ~/.pm2. */
  pm2Home?: string;
  home: string;
  processEnv?: NodeJS.ProcessEnv;
}

export interface Pm2Import extends ResolvedPm2Apps {
  dumpFile: string;
  /** Each app under PM2's option names (with its env values), for `init --from-pm2`. */
  raw: Array<Record<string, unknown>>;
  /** Entries left out (PM2 modules, malformed entries). */
  skipped: string[];
}

/**
 * Reads PM2's saved list (dump.pm2, else its backup) as JSON data, never evaluated (PM2 runs it
 * through `vm`), and turns every app into tend specs and env snapshots.
 */
export function readPm2Dump(input: Pm2ImportInput): Pm2Import {
  const processEnv = input.processEnv ?? process.env;
  const pm2Home = resolve(input.pm2Home ?? (processEnv.PM2_HOME || join(homedir(), '.pm2')));
  const { file, entries } = readEntries(join(pm2Home, 'dump.pm2'));
  const mapping = mapPm2Dump(entries, processEnv);
  const resolved = resolvePm2Apps(mapping, { cwd: pm2Home, tendHome: input.home, cpuCount: availableParallelism(), source: file, processEnv });
  return { ...resolved, dumpFile: file, raw: mapping.apps.map((a) => a.raw), skipped: mapping.skipped };
}

function readEntries(dumpFile: string): { file: string; entries: unknown[] } {
  const reasons: string[] = [];
  for (const file of [dumpFile, `${dumpFile}.bak`]) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      reasons.push(`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : (error as Error).message}`);
      continue;
    }
    try {
      const value = JSON.parse(text) as unknown;
      if (Array.isArray(value)) return { file, entries: value };
      reasons.push(`${file}: not a list of processes`);
    } catch {
      reasons.push(`${file}: not valid JSON`);
    }
  }
  throw new TendError('CONFIG_NOT_FOUND', `no PM2 process list to import (${reasons.join('; ')}); run \`pm2 save\` first, or pass --pm2-home`);
}
