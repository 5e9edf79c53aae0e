import { TendError } from '../core/errors.js';

/** Exit codes: 1 for a failed operation, 2 for a usage or argument error. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export function printLine(text: string): void {
  process.stdout.write(`${text}\n`);
}

export function printError(text: string): void {
  process.stderr.write(`tend: ${text}\n`);
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
