/**
 * Which program runs a script: an explicit `interpreter`, else one chosen by extension, else
 * the script itself when it is executable. TypeScript runs on node with tsx's loader taken from
 * tend's own node_modules, so apps need not install tsx.
 */
import { createRequire } from 'node:module';
import { basename, extname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TendError } from '../core/errors.js';
import { findOnPath, isExecutableFile } from './find-executable.js';
import { describeLocation, type AppLocation } from './messages.js';

export interface InterpreterChoice {
  /** Absolute path, or null to exec the script directly. */
  interpreter: string | null;
  /** Arguments tend adds before the user's interpreter_args (the tsx loader). */
  loaderArgs: string[];
  /** Variables the app gets unless it sets them itself. */
  envDefaults: Record<string, string>;
  isNode: boolean;
}

const NODE = 'node';
const BY_EXTENSION: Readonly<Record<string, string>> = {
  '.js': NODE, '.cjs': NODE, '.mjs': NODE,
  '.ts': NODE, '.mts': NODE, '.cts': NODE, '.tsx': NODE,
  '.py': 'python3', '.sh': 'bash', '.rb': 'ruby', '.php': 'php', '.pl': 'perl',
};
const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);

export function chooseInterpreter(
  script: string,
  explicit: string | undefined,
  cwd: string,
  pathVar: string | undefined,
  at: AppLocation,
): InterpreterChoice {
  const extension = extname(script).toLowerCase();
  let name = explicit ?? BY_EXTENSION[extension];
  // PM2 runs an extension-less, non-executable file with node; an executable one directly.
  if (name === undefined) name = isExecutableFile(script) ? 'none' : NODE;
  if (name === 'none') return { interpreter: null, loaderArgs: [], envDefaults: {}, isNode: false };
  if (/^node@/.test(name)) {
    throw new TendError('CONFIG_INVALID', `${describeLocation(at)} interpreter "${name}" is not supported: tend does not install Node versions; give the path of that node binary`);
  }
  const interpreter = locateInterpreter(name, cwd, pathVar, script, at);
  const isNode = interpreter === process.execPath || /^(node|nodejs)$/.test(basename(interpreter));
  const loaderArgs = isNode && TYPESCRIPT.has(extension) ? ['--import', tsxLoaderUrl()] : [];
  const envDefaults: Record<string, string> = /^python/.test(basename(interpreter)) ? { PYTHONUNBUFFERED: '1' } : {};
  return { interpreter, loaderArgs, envDefaults, isNode };
}

function locateInterpreter(name: string, cwd: string, pathVar: string | undefined, script: string, at: AppLocation): string {
  if (name === NODE || name === 'nodejs') return process.execPath;
  if (name.includes('/')) {
    const path = isAbsolute(name) ? name : resolve(cwd, name);
    if (isExecutableFile(path)) return path;
    throw notFound(`interpreter ${path} does not exist or is not executable`, at);
  }
  const found = findOnPath(name, pathVar);
  if (found === null) throw notFound(`interpreter "${name}" for ${basename(script)} was not found on PATH`, at);
  return found;
}

function notFound(message: string, at: AppLocation): TendError {
  return new TendError('INTERPRETER_NOT_FOUND', `${describeLocation(at)} ${message}`);
}

/**
 * File URL of tsx's loader as installed next to tend, for `node --import`. Resolved through
 * require, not import.meta.resolve: the daemon is a CommonJS bundle, where import.meta has only
 * the url its build defines.
 */
export function tsxLoaderUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}
