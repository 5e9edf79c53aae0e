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
