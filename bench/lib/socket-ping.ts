import { join } from 'node:path';
import { IpcClient } from '../../src/ipc/client.js';
import { delay, nowMs } from './time.js';

export interface SocketPing {
  /** Ends the pings and closes the connection; resolves to the slowest round trip in ms. */
  stop(): Promise<number>;
}

/**
 * `ping` requests over one connection to the tend daemon of `home`, one every 20 ms (each
 * waited for), until `stop()`: what the daemon's own event loop costs a client that is already
 * connected, without the start-up of a CLI process in the figure.
 */
export async function pingOverOneSocket(home: string, clientName: string): Promise<SocketPing> {
  const client = await IpcClient.connect(join(home, 'tend.sock'), { clientName });
  let stopped = false;
  let slowestMs = 0;
  const loop = (async () => {
    while (!stopped) {
      const sentAt = nowMs();
      await client.request('ping');
      slowestMs = Math.max(slowestMs, nowMs() - sentAt);
      await delay(20);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop.finally(() => client.close());
      return slowestMs;
    },
  };
}
