import http from 'node:http';

export interface LoadResult {
  requests: number;
  failedRequests: number;
  socketErrors: number;
  errorMessages: string[];
}

/**
 * Sends GETs back to back from `loops` concurrent loops until `stop()` (or `maxRequests`):
 * keep-alive loops share one Agent, the others open a connection per request. A request error
 * (ECONNRESET, socket hang up, ECONNREFUSED) counts as a socket error; a non-200 as a failure.
 */
export function startLoad(port: number, options: { keepAliveLoops: number; newConnectionLoops: number; maxRequests: number }) {
  const agent = new http.Agent({ keepAlive: true });
  const result: LoadResult = { requests: 0, failedRequests: 0, socketErrors: 0, errorMessages: [] };
  let isStopped = false;

  const once = (useAgent: boolean): Promise<void> =>
    new Promise((resolve) => {
      const request = http.get({ host: '127.0.0.1', port, path: '/', agent: useAgent ? agent : false }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) result.failedRequests += 1;
          resolve();
        });
      });
      request.on('error', (error: NodeJS.ErrnoException) => {
        result.socketErrors += 1;
        if (result.errorMessages.length < 10) result.errorMessages.push(error.code ?? error.message);
        resolve();
      });
    });

  const loop = async (useAgent: boolean): Promise<void> => {
    while (!isStopped && result.requests < options.maxRequests) {
      result.requests += 1;
      await once(useAgent);
    }
  };
  const loops = [
    ...Array.from({ length: options.keepAliveLoops }, () => loop(true)),
    ...Array.from({ length: options.newConnectionLoops }, () => loop(false)),
  ];
  return {
    result,
    async stop(): Promise<LoadResult> {
      isStopped = true;
      await Promise.all(loops);
      agent.destroy();
      return result;
    },
  };
}
