import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InstanceInfo } from '../../../src/core/instance-info.js';
import { FIXTURES, until } from '../../helpers/tend-harness.js';

/** The app that reports what it received (argv, cwd, execArgv, env) and which stop signal it got. */
export const REPORT_APP = join(FIXTURES, 'report-process.js');
export const IDLE_APP = join(FIXTURES, 'idle.js');

/**
 * A temp folder for the config files (and reports) one test writes. It gets its own
 * package.json so that `.js` means CommonJS here even when a "type": "module" one sits above tmp.
 */
export class ConfigDir {
  readonly path = mkdtempSync(join(tmpdir(), 'tend-eco-'));

  constructor(packageType: 'commonjs' | 'module' = 'commonjs') {
    writeFileSync(join(this.path, 'package.json'), JSON.stringify({ type: packageType }));
  }

  write(name: string, content: string | Uint8Array): string {
    const file = join(this.path, name);
    writeFileSync(file, content);
    return file;
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

export interface ProcessReport {
  pid: number;
  argv: string[];
  execArgv: string[];
  cwd: string;
  env: Record<string, string>;
}

/** Waits for the report written by the instance `info` (by its pid, so a stale one never counts). */
export function reportOf(reportDir: string, info: InstanceInfo | undefined): Promise<ProcessReport> {
  if (!info?.pid) throw new Error(`no running instance: ${JSON.stringify(info)}`);
  const pid = info.pid;
  return until(() => {
    try {
      const report = JSON.parse(readFileSync(join(reportDir, `${info.id}.json`), 'utf8')) as ProcessReport;
      return report.pid === pid ? report : undefined;
    } catch {
      return undefined;
    }
  }, `report of ${info.name} (id ${info.id}, pid ${pid})`);
}

/** The signals instance `id` logged on stop, one per line. */
export function signalsOf(reportDir: string, id: number): string[] {
  try {
    return readFileSync(join(reportDir, `${id}.signals`), 'utf8').trim().split('\n');
  } catch {
    return [];
  }
}

/** Name → sorted "mode x count" summary of a jlist, the shape every format must agree on. */
export function appShape(list: InstanceInfo[]): Record<string, string> {
  const shape: Record<string, string> = {};
  for (const name of [...new Set(list.map((i) => i.name))].sort()) {
    const mine = list.filter((i) => i.name === name);
    shape[name] = `${mine[0]?.mode ?? '?'} x${mine.length}`;
  }
  return shape;
}

export function byName(list: InstanceInfo[], name: string): InstanceInfo[] {
  return list.filter((i) => i.name === name).sort((a, b) => a.instance - b.instance);
}

/**
 * The node options an app was given by its config: execArgv without tend's own preload
 * (`--require .../runtime/stdio-blocking.cjs`, which makes a Node app's stdout and stderr blocking).
 */
export function configuredExecArgv(report: ProcessReport): string[] {
  const args = [...report.execArgv];
  const at = args.findIndex((arg, k) => arg === '--require' && /\/runtime\/stdio-blocking\.cjs$/.test(args[k + 1] ?? ''));
  if (at !== -1) args.splice(at, 2);
  return args;
}
