/**
 * Finds the file a `script` value names: against the app's cwd, then PATH. A value with
 * spaces that names no file is a shell command, which tend runs as `bash -c <value>`
 * (PM2's behaviour) and reports with a warning so it is never implicit.
 */
import { isAbsolute, resolve } from 'node:path';
import { TendError } from '../core/errors.js';
import { findOnPath, isDirectory, isFile } from './find-executable.js';
import { describeLocation, type AppLocation } from './messages.js';

export type ScriptTarget =
  | { kind: 'file'; path: string }
  | { kind: 'shell'; shell: string; command: string };

export function locateScript(script: string, cwd: string, pathVar: string | undefined, at: AppLocation): ScriptTarget {
  const candidate = isAbsolute(script) ? script : resolve(cwd, script);
  if (isFile(candidate)) return { kind: 'file', path: candidate };
  if (isDirectory(candidate)) {
    throw new TendError('SCRIPT_NOT_FOUND', `${describeLocation(at)} script ${candidate} is a directory, not a file`);
  }
  if (/\s/.test(script.trim())) {
    const shell = findOnPath('bash', pathVar) ?? findOnPath('sh', pathVar);
    if (shell === null) {
      throw new TendError('INTERPRETER_NOT_FOUND', `${describeLocation(at)} neither bash nor sh is on PATH to run "${script}"`);
    }
    return { kind: 'shell', shell, command: script.trim() };
  }
  // Bare names ("redis-server") may be commands; paths with a slash only ever mean files.
  const onPath = script.includes('/') ? null : findOnPath(script, pathVar);
  if (onPath !== null) return { kind: 'file', path: onPath };
  const where = script.includes('/') ? '' : ', and not on PATH';
  throw new TendError('SCRIPT_NOT_FOUND', `${describeLocation(at)} script "${script}" not found (no file ${candidate}${where})`);
}
