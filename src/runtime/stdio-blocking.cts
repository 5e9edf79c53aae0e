/**
 * Loaded with `--require` into every Node app tend starts (fork mode directly, cluster workers
 * through drain-preload): stdout and stderr, when they are pipes, are made blocking, as Node
 * itself makes them for files and terminals. Node writes to a pipe asynchronously: once the
 * pipe is full the rest waits in the process, and an app that exits (process.exit, a crash)
 * loses it. Measured: 30,000 lines then process.exit(1), read after a pause, kept 1,447 lines
 * on a pipe and 278 on a socket; 30,000 on both once blocking. While no daemon reads (it is
 * being replaced), a full pipe now holds the app's writes back instead of growing its memory.
 * It touches nothing else of the app.
 */
function makeBlocking(stream: NodeJS.WriteStream): void {
  const handle = (stream as unknown as { _handle?: { setBlocking?: (blocking: boolean) => number } })._handle;
  if (typeof handle?.setBlocking === 'function' && !stream.isTTY) handle.setBlocking(true);
}
makeBlocking(process.stdout);
makeBlocking(process.stderr);
export {};
