/**
 * Splits an argument string the way a POSIX shell would for what people write in configs
 * and flags: whitespace separates, 'single' quotes are literal, "double" quotes and a
 * backslash escape one character. No expansion of variables or globs: nothing is evaluated.
 */
export function splitArgs(line: string): string[] {
  const args: string[] = [];
  let current: string | null = null;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (quote !== null) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) current += line.charAt(++i);
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      current ??= '';
    } else if (/\s/.test(c)) {
      if (current !== null) args.push(current);
      current = null;
    } else if (c === '\\' && i + 1 < line.length) {
      current = (current ?? '') + line.charAt(++i);
    } else {
      current = (current ?? '') + c;
    }
  }
  if (current !== null) args.push(current);
  return args;
}
