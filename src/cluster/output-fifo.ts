import { constants, openSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Opens one output FIFO of a held process (`out` or `err` in its folder in TEND_HOME) for
 * reading, as a stream the event loop reads (a FIFO is a pipe to libuv). Non-blocking: its
 * holder keeps a read end and the process a write end open, so the open never waits and the
 * stream ends once the process and every process that inherited its output are gone. With
 * `paused`, nothing is read until its consumer calls resume(). Null when the FIFO is not there.
 */
export function openOutputFifo(dir: string, stream: 'out' | 'err', { paused = false }: { paused?: boolean } = {}): Readable | null {
  let fd: number;
  try {
    fd = openSync(join(dir, stream), constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch {
    return null;
  }
  // `paused`: nothing is read (and lost should the daemon die) before a reader is attached
  // and ready: its sink resumes it once its files are open.
  const socket = new Socket({ fd, readable: true, writable: false, pauseOnCreate: paused } as ConstructorParameters<typeof Socket>[0]);
  // A read error only means no more output from this pipe.
  socket.on('error', () => undefined);
  return socket;
}

/** Calls `done` once every stream given has closed (at once when there is none). */
export function whenClosed(streams: ReadonlyArray<Readable | null>, done: () => void): void {
  let open = 0;
  for (const stream of streams) {
    if (stream === null) continue;
    open += 1;
    stream.once('close', () => {
      open -= 1;
      if (open === 0) done();
    });
  }
  if (open === 0) done();
}

export function removeFifoDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
