import { resolve } from 'node:path';
import { TendError } from '../core/errors.js';
import type { InstanceInfo } from '../core/instance-info.js';

/** `/^api-/` or `/worker/i`: a regular expression over app names, as PM2 accepts. */
const REGEX_TARGET = /^\/(.+)\/([dgimsuy]*)$/;

/**
 * Turns the targets the daemon does not know (a regular expression over names, a script path)
 * into instance ids; other targets pass through unchanged. A pattern or a path that matches
 * nothing is an error, like an unknown name.
 */
export function expandTargetPatterns(
  targets: readonly string[],
  list: readonly InstanceInfo[],
  options: { cwd: string; isFile: (path: string) => boolean },
): string[] {
  const out: string[] = [];
  for (const target of targets) {
    const ids = matchPattern(target, list, options);
    if (ids === null) out.push(target);
    else if (ids.length === 0) throw new TendError('APP_NOT_FOUND', `no app or process matches "${target}"`);
    else out.push(...ids.map(String));
  }
  return out;
}

function matchPattern(target: string, list: readonly InstanceInfo[], options: { cwd: string; isFile: (path: string) => boolean }): number[] | null {
  if (options.isFile(target)) {
    const script = resolve(options.cwd, target);
    return list.filter((i) => i.pm2_env?.pm_exec_path === script).map((i) => i.id);
  }
  const regex = REGEX_TARGET.exec(target);
  if (!regex) return null;
  let pattern: RegExp;
  try {
    pattern = new RegExp(regex[1] ?? '', regex[2]);
  } catch (error) {
    throw new TendError('INVALID_ARGUMENT', `${target}: not a valid regular expression (${error instanceof Error ? error.message : String(error)})`);
  }
  return list.filter((i) => pattern.test(i.name)).map((i) => i.id);
}
