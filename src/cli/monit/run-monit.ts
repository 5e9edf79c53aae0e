import { render } from 'ink';
import { createElement as h } from 'react';
import type { TendClient } from '../../api/client.js';
import { Dashboard } from './dashboard.js';
import type { MonitAction } from './keys.js';
import { MonitSession } from './monit-session.js';
import { AlternateScreen, keepScrollback, terminalSize } from './terminal.js';

/** Long enough to read "connection lost" before the screen goes back to the shell. */
const LOST_NOTICE_MS = 1500;

export class DaemonLostError extends Error {
  constructor() {
    super('lost the connection to the daemon; monit closed');
  }
}

/**
 * Runs the dashboard until q, Ctrl-C, SIGINT/SIGTERM or the daemon's loss, and always leaves
 * the terminal as it found it: main screen, cursor shown, stdin out of raw mode.
 * Rejects (exit code 1 through the CLI) on errors and with DaemonLostError when the daemon went away.
 */
export async function runMonit(client: TendClient): Promise<void> {
  const stdout = process.stdout;
  const screen = new AlternateScreen(stdout);
  const title = `tend monit · daemon ${client.daemon.pid} · ${client.home}`;
  let finish: (outcome: Error | null) => void = () => undefined;
  const outcome = new Promise<Error | null>((resolve) => (finish = resolve));

  let draw = (): void => undefined;
  const session = new MonitSession(client, () => draw());
  const onAction = (action: MonitAction): void => {
    if (session.act(action)) finish(null);
  };
  const element = () => {
    const { columns, rows } = terminalSize(stdout);
    return h(Dashboard, { view: session.view(columns, rows, title), onAction });
  };

  screen.enter();
  const restoreWrite = keepScrollback(stdout);
  // ink's own Ctrl-C handler would exit the process without our cleanup; the key is mapped instead.
  const app = render(element(), { exitOnCtrlC: false, patchConsole: false, maxFps: 20 });
  draw = () => app.rerender(element());
  // Runs before ink's own resize handler, so ink lays out the frame planned for the new size.
  const onResize = (): void => draw();
  // A signal is a request to close, like q: the dashboard holds no work, so it exits 0.
  const onSignal = (): void => finish(null);
  stdout.prependListener('resize', onResize);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  app.waitUntilExit().catch((error: unknown) => finish(error instanceof Error ? error : new Error(String(error))));
  let ended = false;
  void client.closed().then(() => {
    // Our own close() after quitting also ends the connection; that is not a loss.
    if (ended) return;
    session.say('connection to the daemon lost — closing', 'red');
    setTimeout(() => finish(new DaemonLostError()), LOST_NOTICE_MS).unref();
  });

  try {
    await session.start().catch((error: unknown) => finish(error instanceof Error ? error : new Error(String(error))));
    const failure = await outcome;
    if (failure) throw failure;
  } finally {
    ended = true;
    session.stop();
    stdout.removeListener('resize', onResize);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    app.unmount();
    restoreWrite();
    screen.leave();
  }
}
