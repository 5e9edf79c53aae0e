/**
 * Reads a config file as text with the checks every format shares: it exists, is not huge,
 * is UTF-8 and is not empty. Done before any parser or module loader sees the file, so these
 * cases get one clear message instead of a parser's confusion.
 */
import { readFileSync, statSync } from 'node:fs';
import { TendError } from '../core/errors.js';

/** Real ecosystem files are a few KB; anything past this is a wrong path or generated junk. */
export const MAX_CONFIG_BYTES = 5 * 1024 * 1024;

export function readConfigText(file: string, label: string): string {
  let size: number;
  try {
    const stats = statSync(file);
    if (!stats.isFile()) throw new TendError('CONFIG_NOT_FOUND', `${label}: not a file`);
    size = stats.size;
  } catch (error) {
    if (error instanceof TendError) throw error;
    throw new TendError('CONFIG_NOT_FOUND', `${label}: config file not found`, { cause: error });
  }
  if (size > MAX_CONFIG_BYTES) {
    const mb = (size / 1024 / 1024).toFixed(1);
    throw new TendError('CONFIG_INVALID', `${label}: file is ${mb} MB, over the ${MAX_CONFIG_BYTES / 1024 / 1024} MB limit for config files`);
  }
  const bytes = readFileSync(file);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    const line = firstInvalidUtf8Line(bytes);
    throw new TendError('CONFIG_INVALID', `${label}: not valid UTF-8 text (first bad byte on line ${line}); save it as UTF-8`, { cause: error });
  }
  // TextDecoder drops a leading BOM already; only whitespace left means nothing was written.
  if (text.trim() === '') throw new TendError('CONFIG_INVALID', `${label}: file is empty`);
  return text;
}

/** Line of the first byte that is not UTF-8 (the lenient decoder marks it with U+FFFD). */
function firstInvalidUtf8Line(bytes: Uint8Array): number {
  const lenient = new TextDecoder('utf-8').decode(bytes);
  return lineColumnAt(lenient, lenient.indexOf('\uFFFD')).line;
}

/** 1-based line and column of a character offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}
