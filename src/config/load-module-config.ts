/**
 * JavaScript and TypeScript configs are code and must run in the user's module context:
 * CommonJS through require (fresh each time, so a long-lived API process sees edits), ESM
 * through import() with a cache-busting query, TypeScript through tsx's tsImport.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { TendError } from '../core/errors.js';
import { armLoadWatchdog } from './load-watchdog.js';

let loadCount = 0;

/** The module's exports: module.exports for CommonJS, the namespace object for ESM. */
export async function loadModuleConfig(file: string, label: string): Promise<unknown> {
  const extension = extname(file).toLowerCase();
  const disarm = armLoadWatchdog(label);
  try {
    if (['.ts', '.mts', '.cts'].includes(extension)) {
      const { tsImport } = await import('tsx/esm/api');
      return await tsImport(`${pathToFileURL(file).href}?tend=${++loadCount}`, import.meta.url);
    }
    if (extension === '.cjs' || (extension === '.js' && packageType(dirname(file)) !== 'module')) {
      const require = createRequire(file);
      delete require.cache[file];
      return require(file);
    }
    return await import(`${pathToFileURL(file).href}?tend=${++loadCount}`);
  } catch (error) {
    throw await loadError(error, file, label);
  } finally {
    disarm();
  }
}

async function loadError(error: unknown, file: string, label: string): Promise<TendError> {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof SyntaxError) {
    const where = syntaxLocation(error.stack ?? '', file) ?? (await checkSyntax(file));
    const at = where ? ` at line ${where.line}${where.column ? `, column ${where.column}` : ''}` : '';
    // Node 20 does not detect ESM syntax in a CommonJS-typed .js file; say what to do.
    const esm = /\b(export|import)\b/.test(message) && extname(file) === '.js' ? ' (ESM syntax in a CommonJS .js file: rename it to .mjs or set "type": "module")' : '';
    return new TendError('CONFIG_INVALID', `${label}: syntax error${at}: ${message}${esm}`, { cause: error });
  }
  // esbuild (tsx) reports "<file>:<line>:<col>: ERROR: <reason>".
  const esbuild = /:(\d+):(\d+): ERROR: (.*)/.exec(message);
  if (esbuild) {
    return new TendError('CONFIG_INVALID', `${label}: syntax error at line ${esbuild[1]}, column ${esbuild[2]}: ${esbuild[3]}`, { cause: error });
  }
  const frame = new RegExp(`${escapeRegExp(file)}(?:\\?tend=\\d+)?:(\\d+)`).exec(error instanceof Error ? (error.stack ?? '') : '');
  const at = frame ? ` (line ${frame[1]})` : '';
  const firstLine = message.split('\n')[0] ?? '';
  // PM2 configs are `module.exports` files; under a "type": "module" package.json they fail with
  // a bare ReferenceError that does not say the fix.
  const cjs = /\b(module|exports|require) is not defined in ES module scope/.test(message) && extname(file) === '.js' ? ' (CommonJS in a .js file of a "type": "module" package: rename it to .cjs)' : '';
  return new TendError('CONFIG_INVALID', `${label}: loading the config threw${at}: ${firstLine}${cjs}`, { cause: error });
}

/** CommonJS syntax errors start their stack with "<file>:<line>", the code and a caret. */
function syntaxLocation(stack: string, file: string): { line: number; column?: number } | undefined {
  const lines = stack.split('\n');
  const match = new RegExp(`^(?:file://)?${escapeRegExp(file)}:(\\d+)`).exec(lines[0] ?? '');
  if (!match) return undefined;
  const caret = lines[2]?.indexOf('^') ?? -1;
  return caret >= 0 ? { line: Number(match[1]), column: caret + 1 } : { line: Number(match[1]) };
}

/** ESM syntax errors carry no position on Node 20; `node --check` prints one (error path only). */
async function checkSyntax(file: string): Promise<{ line: number; column?: number } | undefined> {
  try {
    await promisify(execFile)(process.execPath, ['--check', file], { timeout: 10_000 });
    return undefined;
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '');
    return syntaxLocation(stderr.replace(/^\s+/, ''), file);
  }
}

/** The "type" of the nearest package.json, as Node decides how to load a .js file. */
export function packageType(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    try {
      const pkg = JSON.parse(readFileSync(join(current, 'package.json'), 'utf8')) as { type?: unknown };
      return typeof pkg.type === 'string' ? pkg.type : undefined;
    } catch {
      // No package.json (or an unreadable one) here: keep walking up, as Node does.
    }
    if (dirname(current) === current) return undefined;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
