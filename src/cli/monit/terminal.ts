/** Switches to the alternate screen buffer and homes the cursor, like less and vim do. */
export const ENTER_ALTERNATE_SCREEN = '\x1b[?1049h\x1b[H';
/** Back to the main screen (whatever was there before monit comes back) and a visible cursor. */
export const LEAVE_ALTERNATE_SCREEN = '\x1b[?1049l\x1b[?25h';

/**
 * The alternate screen for the dashboard's lifetime. Leaving is idempotent and also hooked to
 * the process's `exit` event, so a crash that skips every `finally` still gives the shell back
 * its screen and cursor.
 */
export class AlternateScreen {
  private active = false;
  private readonly onExit = (): void => this.leave();

  constructor(private readonly stream: NodeJS.WriteStream) {}

  enter(): void {
    if (this.active) return;
    this.active = true;
    this.stream.write(ENTER_ALTERNATE_SCREEN);
    process.once('exit', this.onExit);
  }

  leave(): void {
    if (!this.active) return;
    this.active = false;
    process.removeListener('exit', this.onExit);
    this.stream.write(LEAVE_ALTERNATE_SCREEN);
  }
}

/** The terminal's size now; a stream that is not a TTY reports none, so fall back to 80x24. */
export function terminalSize(stream: NodeJS.WriteStream): { columns: number; rows: number } {
  return { columns: stream.columns || 80, rows: stream.rows || 24 };
}

const CLEAR_SCROLLBACK = '\x1b[3J';

/**
 * Drops "clear scrollback" (ED3) from everything written to `stream` until the returned
 * function is called. ink 6 clears the terminal, scrollback included, on the first frame after
 * the window shrinks below the last frame's height (its "frame as tall as the terminal" path),
 * and tmux and xterm apply ED3 to the main screen's history even on the alternate screen:
 * measured, one shrink wiped 92 lines of the user's scrollback. Clearing the visible screen
 * (ED2) is kept; that is all the redraw needs.
 */
export function keepScrollback(stream: NodeJS.WriteStream): () => void {
  const original = stream.write;
  const filtered = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    const text = typeof chunk === 'string' && chunk.includes(CLEAR_SCROLLBACK) ? chunk.replaceAll(CLEAR_SCROLLBACK, '') : chunk;
    return (original as (chunk: unknown, ...rest: unknown[]) => boolean).call(this, text, ...rest);
  };
  stream.write = filtered as typeof stream.write;
  return () => {
    stream.write = original;
  };
}
