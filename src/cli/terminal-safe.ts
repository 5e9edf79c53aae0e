/**
 * Text from apps (log lines, names, error messages quoting them) reaches the user's terminal
 * through the CLI. Escape sequences in it could move the cursor over earlier output, retitle
 * the window, write the clipboard (OSC 52) or hide what follows, so everything but colours
 * (SGR, `ESC [ ... m`, harmless and what apps' own coloured logs use) is removed, as are the
 * other control characters except the tab.
 */
const CONTROLS = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[ -/]*[0-~]?|[\x00-\x08\x0a-\x1f\x7f\x80-\x9f]/g;
const SGR = /^\x1b\[[0-9;:]*m$/;

/** `text` with every escape sequence but colours, and every control but tab, removed. */
export function terminalSafe(text: string): string {
  if (!/[\x00-\x08\x0a-\x1f\x7f\x80-\x9f]/.test(text)) return text;
  return text.replace(CONTROLS, (sequence) => (SGR.test(sequence) ? sequence : ''));
}
