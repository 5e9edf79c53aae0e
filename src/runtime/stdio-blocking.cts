/**
 * Loaded with `--require` into every Node app tend starts (fork mode directly, cluster workers
 * through drain-preload): stdout and stderr, when they are pipes, are made blocking, as Node
 * itself makes them for files and terminals. Node writes to a pipe asynchronously: once the
 * pipe is full the rest waits in the process, and an app that exits (process.exit, a crash)
 * loses it. Measured: 30,000 lines then process.exit(1), read after a pause, kept 1,447 lines
 * on a pipe and 278 on a socket; 30,000 on both once blocking. While no daemon reads (it is
 * being replaced), a full pipe now holds the app's writes back instead of growing its memory.
 *
 * Under a holder it also writes the code the app exits with to TEND_EXIT_FILE (a file in the
 * holder's folder, 0700), and removes that variable from the app's environment: the holder's
 * shell reports a status of 128+n both for signal n and for `exit(128+n)`, and the file tells
 * them apart (a process a signal ends writes none). It touches nothing else of the app.
 */
function makeBlocking(stream: NodeJS.WriteStream): void {
  const handle = (stream as unknown as { _handle?: { setBlocking?: (blocking: boolean) => number } })._handle;
  if (typeof handle?.setBlocking === 'function' && !stream.isTTY) handle.setBlocking(true);
}
// A --require preload is CommonJS by necessity; this is TypeScript's CommonJS import form.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import fs = require('node:fs');

makeBlocking(process.stdout);
makeBlocking(process.stderr);

const exitFile = process.env.TEND_EXIT_FILE;
if (exitFile !== undefined) {
  delete process.env.TEND_EXIT_FILE;
  process.once('exit', (code) => {
    try {
      fs.writeFileSync(exitFile, `${code}\n`, { mode: 0o600 });
    } catch {
      // The holder's folder is gone (an app adopted by no daemon): its shell status stands.
    }
  });
}
export {};
