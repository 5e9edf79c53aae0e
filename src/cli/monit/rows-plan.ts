/** Title, column header, log title and key help: the lines that are not list or log rows. */
export const CHROME_LINES = 4;

export interface RowsPlan {
  /** Process rows shown (the list scrolls when there are more). */
  listRows: number;
  /** Log lines shown under the list; 0 hides the log pane and its title. */
  logRows: number;
  /** Every line of the frame; at most rows - 1. */
  frameLines: number;
}

/**
 * Splits the terminal's height between the process list and the log pane. The frame is kept
 * at most `rows - 1` lines: ink 6 clears the whole screen and scrollback on every frame that
 * is exactly as tall as the terminal. The list gets what it needs up to 60 % of the space;
 * the logs get the rest.
 */
export function planRows(rows: number, instanceCount: number): RowsPlan {
  const usable = Math.max(0, rows - 1);
  const available = usable - CHROME_LINES;
  const wanted = Math.max(1, instanceCount);
  if (available < 2) {
    // Too short for a log pane: title, header, help, and whatever rows remain.
    const listRows = Math.max(0, Math.min(wanted, usable - (CHROME_LINES - 1)));
    return { listRows, logRows: 0, frameLines: Math.min(usable, listRows + CHROME_LINES - 1) };
  }
  const listRows = Math.min(wanted, Math.max(1, Math.ceil(available * 0.6)));
  const logRows = available - listRows;
  return { listRows, logRows, frameLines: listRows + logRows + CHROME_LINES };
}

/**
 * The first list row to show so the selected row stays visible, moving the window as little
 * as possible from where it was.
 */
export function scrollOffset(selected: number, listRows: number, count: number, previous: number): number {
  if (listRows <= 0 || count <= listRows) return 0;
  let offset = Math.min(Math.max(0, previous), count - listRows);
  if (selected < offset) offset = selected;
  if (selected >= offset + listRows) offset = selected - listRows + 1;
  return offset;
}

/** The index after a move, clamped to the list (no wrap-around: holding a key stops at the end). */
export function moveSelection(index: number, delta: number, count: number): number {
  if (count <= 0) return 0;
  return Math.min(count - 1, Math.max(0, index + delta));
}
