import type { SpawnedInstance } from '../core/driver.js';
import type { LogSinkLike } from './instance.js';

/**
 * Feeds a process's stdout and stderr into its log sink, and closes the sink once both
 * streams have closed: after the process and anything still holding its pipes are gone.
 * Without a sink the streams are read into nothing (a holder's FIFO starts paused).
 */
export function captureOutput(spawned: SpawnedInstance, sink: LogSinkLike | null): void {
  if (sink === null) {
    spawned.stdout?.resume();
    spawned.stderr?.resume();
    return;
  }
  let open = 0;
  const onClose = (): void => {
    open -= 1;
    if (open === 0) void sink.close();
  };
  for (const [name, stream] of [['out', spawned.stdout], ['err', spawned.stderr]] as const) {
    if (!stream) continue;
    open += 1;
    stream.once('close', onClose);
    sink.attach(name, stream);
  }
  if (open === 0) void sink.close();
}
