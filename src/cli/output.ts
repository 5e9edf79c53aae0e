import { TendError } from '../core/errors.js';
import { terminalSafe } from './terminal-safe.js';

/** Exit codes: 1 for a failed operation, 2 for a usage or argument error. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** `-s/--silent`: no process table and no notes after an action; errors still print. */
let silent = false;

export function setSilent(value: boolean): void {
  silent = value;
}

/** What an action says after it is done (tables, notes): left out with `--silent`. */
export function printSummary(text: string): void {
  if (!silent) printLine(text);
}

/** A remark on stderr (`tend: ...`), left out with `--silent`. */
export function printNote(text: string): void {
  if (!silent) printError(text);
}

/** One line (or several, split on newlines) with escape sequences from apps removed. */
export function printLine(text: string): void {
  process.stdout.write(`${safeLines(text)}\n`);
}

export function printError(text: string): void {
  process.stderr.write(`tend: ${safeLines(text)}\n`);
}

function safeLines(text: string): string {
  return text.includes('\n') ? text.split('\n').map(terminalSafe).join('\n') : terminalSafe(text);
}

/**
 * A reader that went away (`tend jlist | head -1`) ends the command quietly with the exit code
 * it has so far, as a closed pipe ends `cat`, instead of with a stack trace: Node ignores
 * SIGPIPE, so the write fails with EPIPE, an error nobody listens for; a stdout that is a
 * socket (the pipes of Node's child_process are socket pairs) may say ECONNRESET instead. Only
 * stdout: any other error on it is thrown as before.
 */
export function endQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

/** One line on stderr for any error, and the exit code it deserves. */
export function reportError(error: unknown): number {
  if (error instanceof TendError) {
    printError(error.message);
    return error.code === 'INVALID_ARGUMENT' ? EXIT_USAGE : EXIT_FAILURE;
  }
  const message = error instanceof Error ? error.message : String(error);
  printError(message);
  if (process.env.TEND_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return EXIT_FAILURE;
}
