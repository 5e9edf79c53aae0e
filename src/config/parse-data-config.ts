/**
 * Data formats: JSON (relaxed), YAML and TOML. The YAML and TOML parsers are loaded only when
 * such a file is read, since yaml alone costs ~30 ms of CLI start-up.
 */
import { TendError } from '../core/errors.js';
import { JsonSyntaxError, parseRelaxedJson } from './relaxed-json.js';

export type DataFormat = 'json' | 'yaml' | 'toml';

export async function parseDataConfig(text: string, format: DataFormat, label: string): Promise<unknown> {
  try {
    if (format === 'json') return parseRelaxedJson(text);
    if (format === 'yaml') {
      const { parseDocument } = await import('yaml');
      // merge: PM2's js-yaml@4 honours `<<: *defaults`, and configs written for it rely on that.
      // Nothing is logged (yaml would print its warnings on stderr, several lines each): a tag
      // it cannot resolve fails the file, as it does in js-yaml; the rest of its warnings (a
      // directive it does not know) are ignored, as js-yaml ignores them.
      const document = parseDocument(text, { merge: true, logLevel: 'silent' });
      const problem = document.errors[0] ?? document.warnings.find((warning) => warning.code === 'TAG_RESOLVE_FAILED');
      if (problem !== undefined) throw problem;
      return document.toJS();
    }
    const { parse } = await import('smol-toml');
    return parse(text);
  } catch (error) {
    throw syntaxError(error, label);
  }
}

function syntaxError(error: unknown, label: string): TendError {
  const where = locate(error);
  const firstLine = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  // yaml and smol-toml repeat the position in their message; drop it, it is in `where`.
  const reason = firstLine.replace(/\s*at line \d+, column \d+:?\s*$/, '').replace(/:\s*$/, '');
  const at = where ? ` at line ${where.line}, column ${where.column}` : '';
  return new TendError('CONFIG_INVALID', `${label}: syntax error${at}: ${reason}`, { cause: error });
}

function locate(error: unknown): { line: number; column: number } | undefined {
  if (error instanceof JsonSyntaxError) return { line: error.line, column: error.column };
  if (typeof error !== 'object' || error === null) return undefined;
  // yaml: linePos [{ line, col }]; smol-toml: line, column.
  const withPos = error as { linePos?: Array<{ line: number; col: number }>; line?: unknown; column?: unknown };
  const pos = withPos.linePos?.[0];
  if (pos) return { line: pos.line, column: pos.col };
  if (typeof withPos.line === 'number' && typeof withPos.column === 'number') {
    return { line: withPos.line, column: withPos.column };
  }
  return undefined;
}
