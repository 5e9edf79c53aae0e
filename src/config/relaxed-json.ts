/**
 * JSON with the two JSON5 habits PM2 users have (comments and trailing commas), parsed as
 * data. PM2 evaluates .json files as JavaScript; tend never runs code from a data file.
 * Removed characters become spaces so JSON.parse's positions still point into the original.
 */
import { lineColumnAt } from './config-text.js';

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

export function parseRelaxedJson(text: string): unknown {
  const cleaned = blankTrailingCommas(blankComments(text));
  try {
    return JSON.parse(cleaned);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = Number(/at position (\d+)/.exec(message)?.[1] ?? cleaned.trimEnd().length);
    const { line, column } = lineColumnAt(text, offset);
    throw new JsonSyntaxError(message.replace(/ in JSON at position \d+.*$/, ''), line, column);
  }
}

/** Calls `visit` for each character outside strings; string contents are passed through. */
function mapOutsideStrings(text: string, visit: (chars: string[], i: number) => number): string {
  // UTF-16 units, not code points, so indices match JSON.parse's positions.
  const chars = text.split('');
  let inString = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else {
      i = visit(chars, i);
    }
  }
  return chars.join('');
}

function blankComments(text: string): string {
  return mapOutsideStrings(text, (chars, i) => {
    const next = chars[i + 1];
    if (chars[i] !== '/' || (next !== '/' && next !== '*')) return i;
    const block = next === '*';
    let j = i;
    let previous = '';
    for (; j < chars.length; j++) {
      const c = chars[j];
      if (!block && c === '\n') return j - 1;
      // Newlines stay so line numbers in later errors are still right.
      if (c !== '\n') chars[j] = ' ';
      if (block && j > i + 2 && previous === '*' && c === '/') return j;
      previous = c ?? '';
    }
    return j;
  });
}

function blankTrailingCommas(text: string): string {
  return mapOutsideStrings(text, (chars, i) => {
    if (chars[i] !== ',') return i;
    let j = i + 1;
    while (j < chars.length && /\s/.test(chars[j] ?? '')) j++;
    if (chars[j] === '}' || chars[j] === ']') chars[i] = ' ';
    return i;
  });
}
