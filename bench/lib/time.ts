export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every `intervalMs` until it returns a value, or throws naming `what`. */
export async function until<T>(check: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs: number, intervalMs = 20): Promise<T> {
  const deadline = nowMs() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (nowMs() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(intervalMs);
  }
}

/** Wall-clock time in epoch ms with sub-ms precision, comparable with another process's `performance.timeOrigin`. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}
