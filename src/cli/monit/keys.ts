export type MonitAction = 'up' | 'down' | 'top' | 'bottom' | 'restart' | 'stop' | 'reload' | 'quit';

/** The parts of ink's key object this dashboard reads; declared here so the mapping stays pure. */
export interface KeyState {
  upArrow?: boolean;
  downArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  ctrl?: boolean;
  escape?: boolean;
}

const LETTERS: Record<string, MonitAction> = {
  k: 'up',
  j: 'down',
  g: 'top',
  G: 'bottom',
  r: 'restart',
  s: 'stop',
  l: 'reload',
  q: 'quit',
};

/** What a key press means, or null for keys the dashboard ignores. */
export function keyAction(input: string, key: KeyState): MonitAction | null {
  if (key.ctrl && input === 'c') return 'quit';
  if (key.ctrl) return null;
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.pageUp) return 'top';
  if (key.pageDown) return 'bottom';
  if (key.escape) return 'quit';
  return LETTERS[input] ?? null;
}

/**
 * The help line, shortened to what fits. Restart, stop and reload act at once, without a y/n
 * question: stop is undone with restart, and a question would hide the logs it interrupts.
 */
export function helpLine(columns: number): string {
  const long = '↑↓/jk move · r restart · s stop (r starts again) · l reload · q quit — keys act at once';
  const short = '↑↓ jk · r restart · s stop · l reload · q quit';
  const tiny = 'r s l q';
  if (long.length <= columns) return long;
  if (short.length <= columns) return short;
  return tiny.slice(0, Math.max(0, columns));
}

/**
 * Every action in one input event. Keys typed faster than a frame (or a held key) reach ink as
 * one string ("jjj"); each letter is one press, so none is dropped.
 */
export function keyActions(input: string, key: KeyState): MonitAction[] {
  const single = keyAction(input, key);
  if (single !== null || key.ctrl || input.length <= 1) return single === null ? [] : [single];
  return [...input].map((letter) => keyAction(letter, {})).filter((action): action is MonitAction => action !== null);
}
