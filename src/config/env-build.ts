/**
 * The environment an app is configured with, and the snapshot of the caller's environment it
 * starts from. Precedence, lowest first: interpreter defaults (PYTHONUNBUFFERED), env_file,
 * env, env_<name>, port. The caller's environment itself is kept apart (buildEnvSnapshot) so
 * `--update-env` can replace it whole.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { configError, type AppLocation } from './messages.js';

export interface EnvInputs {
  defaults: Record<string, string>;
  files: Record<string, string>[];
  env: Record<string, string> | undefined;
  selected: Record<string, string> | undefined;
  port: number | undefined;
}

export function mergeAppEnv(inputs: EnvInputs): Record<string, string> {
  const merged: Record<string, string> = { ...inputs.defaults };
  for (const file of inputs.files) Object.assign(merged, file);
  Object.assign(merged, inputs.env, inputs.selected);
  if (inputs.port !== undefined) merged.PORT = String(inputs.port);
  return merged;
}

/** Reads dotenv files (relative to the app's cwd) with Node's own parser; nothing is expanded. */
export function readEnvFiles(paths: readonly string[], cwd: string, at: AppLocation): Record<string, string>[] {
  return paths.map((given) => {
    const path = isAbsolute(given) ? given : resolve(cwd, given);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
      throw configError(at, `env_file ${path} ${reason}`, error);
    }
    return filterUndefined(parseEnv(text));
  });
}

/**
 * What tend gave the managed app that runs `tend start` itself: its identity, its sockets and
 * its readiness channel. An app started from there must not inherit them (LISTEN_FDS naming fds
 * it does not have, NOTIFY_SOCKET making it answer for the caller).
 */
const CALLING_INSTANCE_VARIABLES = new Set(['TEND_APP_NAME', 'TEND_ID', 'TEND_INVOCATION_ID', 'TEND_PID', 'LISTEN_FDS', 'LISTEN_PID', 'LISTEN_FDNAMES', 'NOTIFY_SOCKET', 'READY_FD', 'WATCHDOG_USEC']);

/**
 * The caller's environment as the app will inherit it. PM2's filter_env: `true` keeps none of
 * it; strings drop every variable whose name contains one of them.
 */
export function buildEnvSnapshot(
  processEnv: Record<string, string | undefined>,
  filterEnv: boolean | string[],
): Record<string, string> {
  if (filterEnv === true) return {};
  const drop = Array.isArray(filterEnv) ? filterEnv.filter((s) => s !== '') : [];
  const insideApp = processEnv.TEND_APP_NAME !== undefined;
  const snapshot: Record<string, string> = {};
  for (const [name, value] of Object.entries(processEnv)) {
    if (value === undefined) continue;
    if (drop.some((part) => name.includes(part))) continue;
    if (insideApp && CALLING_INSTANCE_VARIABLES.has(name)) continue;
    snapshot[name] = value;
  }
  return snapshot;
}

function filterUndefined(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) out[name] = value;
  return out;
}
