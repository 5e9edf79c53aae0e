/**
 * How `start`'s operands split into scripts and script arguments. Operands after `--` are
 * always arguments. Before it, when every extra operand is an existing file, they are more
 * scripts to start (`tend start a.js b.js`, as PM2 does); otherwise they are the first
 * script's arguments, as before.
 */
export function splitStartOperands(
  target: string | undefined,
  operands: readonly string[],
  afterDash: readonly string[],
  isFile: (path: string) => boolean,
): { targets: Array<string | undefined>; args: string[] } {
  const beforeDash = operands.slice(0, operands.length - afterDash.length);
  if (target !== undefined && beforeDash.length > 0 && beforeDash.every(isFile)) {
    return { targets: [target, ...beforeDash], args: [...afterDash] };
  }
  return { targets: [target], args: [...operands] };
}

/**
 * PM2's `start ... --no-daemon` runs the apps in the foreground: in tend that is `tend runtime`
 * with the same operands and flags. Returns argv rewritten, or unchanged for anything else.
 */
export function foregroundStartArgv(argv: readonly string[]): string[] {
  const dash = argv.indexOf('--');
  const flags = dash === -1 ? argv : argv.slice(0, dash);
  if (argv[2] !== 'start' || !flags.includes('--no-daemon')) return [...argv];
  const at = argv.indexOf('--no-daemon');
  return [...argv.slice(0, 2), 'runtime', ...argv.slice(3, at), ...argv.slice(at + 1)];
}
