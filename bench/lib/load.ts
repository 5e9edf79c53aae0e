import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LoadRequest {
  port: number;
  connections: number;
  durationS: number;
}

export interface LoadResult {
  requestsPerS: number;
  p99Ms: number;
  ok2xx: number;
  non2xx: number;
  /** Socket errors (refused, reset, closed before the response). */
  errors: number;
  timeouts: number;
  resets: number;
  /** The load generator's own CPU, in % of one core: what it takes from the servers it measures. */
  generatorCpuPercent: number;
}

export type LoadWorkerMessage = { type: 'started' } | { type: 'done'; result: LoadResult } | { type: 'error'; message: string };

const WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

export interface RunningLoad {
  /** Ends the load early (autocannon's stop) and resolves with what it measured. */
  stop(): Promise<LoadResult>;
  done: Promise<LoadResult>;
}

/** Starts autocannon (keep-alive, 127.0.0.1) in a child process; resolves once it is sending. */
export async function startLoad(request: LoadRequest): Promise<RunningLoad> {
  const child = fork(WORKER, [JSON.stringify(request)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let onStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (onStarted = resolve));
  const done = new Promise<LoadResult>((resolve, reject) => {
    child.on('message', (message: LoadWorkerMessage) => {
      if (message.type === 'started') onStarted();
      else if (message.type === 'done') resolve(message.result);
      else reject(new Error(`load generator: ${message.message}`));
    });
    child.on('exit', (code) => reject(new Error(`load generator exited ${code} before reporting`)));
  });
  await started;
  return {
    done,
    stop: () => {
      child.send('stop');
      return done;
    },
  };
}

export async function runLoad(request: LoadRequest): Promise<LoadResult> {
  return (await startLoad(request)).done;
}
