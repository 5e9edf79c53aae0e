/**
 * Runs async tasks one after the other. Every operation on a file's descriptor (write,
 * rotate, reopen, truncate, close) goes through one of these, so they never interleave.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    // The chain continues after a failure; the caller still sees the rejection.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
