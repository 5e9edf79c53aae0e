/**
 * PM2 verbs tend does not have, each with the one line that says what tend does instead.
 * `tend <verb>` prints it and exits 1, so a PM2 habit never fails with a confusing
 * "unknown command" (or a "did you mean" pointing somewhere else).
 */
export const PM2_ONLY_VERBS: Readonly<Record<string, string>> = {
  deploy: 'deploy is not part of tend: ship the code with your own tooling (git, rsync, CI), then run `tend startOrReload ecosystem.config.js` on the host',
  install: 'tend installs no modules; log rotation is built in (max_size, retain, compress), metrics are at `tend web` and /metrics',
  uninstall: 'tend installs no modules; log rotation is built in (max_size, retain, compress), metrics are at `tend web` and /metrics',
  'module:install': 'tend has no modules; log rotation is built in (max_size, retain, compress), metrics are at `tend web` and /metrics',
  'module:uninstall': 'tend has no modules; nothing to uninstall',
  'module:update': 'tend has no modules; nothing to update',
  'module:generate': 'tend has no modules; write a plain app and start it with `tend start`',
  'module:publish': 'tend has no modules; publish your package with npm',
  link: 'tend has no hosted monitoring; `tend web` serves a dashboard and Prometheus /metrics from your own machine',
  unlink: 'tend has no hosted monitoring; nothing to unlink',
  plus: 'tend has no hosted monitoring; `tend web` serves a dashboard and Prometheus /metrics from your own machine',
};

/**
 * The command a mistyped word most likely meant, or null. Stricter than a plain edit distance
 * (which offers `del` for `deploy` and `save` for `serve`): one edit for words up to five
 * letters, two for longer ones, counting a swap of neighbours as one.
 */
export function suggestCommand(word: string, commands: readonly string[]): string | null {
  const limit = word.length <= 5 ? 1 : 2;
  let best: { name: string; distance: number } | null = null;
  for (const name of commands) {
    const distance = editDistance(word.toLowerCase(), name.toLowerCase());
    if (distance <= limit && (best === null || distance < best.distance)) best = { name, distance };
  }
  return best?.name ?? null;
}

/** Damerau-Levenshtein (optimal string alignment) distance. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}
