import { isAbsolute, relative, resolve, sep } from 'node:path';

/** Ignored by default, as PM2 does: dependencies and dotfiles. */
export const DEFAULT_IGNORE_WATCH: readonly string[] = ['node_modules', '.*'];

/**
 * Turns one glob into an anchored RegExp: `**` any depth, `*` and `?` within one segment,
 * `[...]` classes and `{a,b}` alternatives; a backslash escapes the next character. Plain
 * names are globs without wildcards. chokidar 4+ takes no globs, hence this converter.
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  let braceDepth = 0;
  for (let i = 0; i < glob.length; i += 1) {
    const char = glob[i] as string;
    if (char === '*' && glob[i + 1] === '*') {
      // "**/" also matches zero segments.
      source += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '\\' && i + 1 < glob.length) source += `\\${glob[++i] as string}`;
    else if (char === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) source += '\\[';
      else {
        source += `[${glob.slice(i + 1, end).replace(/^!/, '^')}]`;
        i = end;
      }
    } else if (char === '{') {
      braceDepth += 1;
      source += '(?:';
    } else if (char === '}' && braceDepth > 0) {
      braceDepth -= 1;
      source += ')';
    } else if (char === ',' && braceDepth > 0) source += '|';
    else source += char.replace(/[.+^$()|{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

interface Rule {
  /** Matched against each segment when the pattern has no slash, else against the whole path. */
  bySegment: boolean;
  regex: RegExp;
}

/**
 * Builds chokidar's `ignored` function. Paths are judged relative to the watched root that
 * holds them, so a project living under a dot folder (~/.apps/x) is not ignored whole.
 * Patterns with a slash match the relative path, or the absolute path when they are absolute.
 */
export function createIgnoreMatcher(
  roots: readonly string[],
  patterns: readonly (string | RegExp)[],
): (path: string) => boolean {
  const absoluteRoots = roots.map((root) => resolve(root));
  const rules: Rule[] = [];
  const regexes: RegExp[] = [];
  for (const pattern of patterns) {
    if (pattern instanceof RegExp) regexes.push(pattern);
    else if (pattern.includes('/')) rules.push({ bySegment: false, regex: globToRegExp(pattern.replace(/^\.\//, '').replace(/\/$/, '')) });
    else rules.push({ bySegment: true, regex: globToRegExp(pattern) });
  }
  return (path: string): boolean => {
    const absolute = resolve(path);
    const root = absoluteRoots.find((r) => absolute === r || absolute.startsWith(r + sep));
    const rel = root === undefined ? absolute : relative(root, absolute);
    if (rel === '') return false;
    const posix = rel.split(sep).join('/');
    const segments = posix.split('/');
    for (const rule of rules) {
      if (rule.bySegment ? segments.some((s) => rule.regex.test(s)) : rule.regex.test(posix) || (isAbsolute(path) && rule.regex.test(absolute))) {
        return true;
      }
    }
    return regexes.some((regex) => regex.test(absolute));
  };
}
