import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where tend keeps its state: `$TEND_HOME`, or `~/.tend`. */
export function resolveTendHome(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.TEND_HOME;
  return configured && configured.length > 0 ? resolve(configured) : join(homedir(), '.tend');
}

/** Linux's sockaddr_un.sun_path holds 108 bytes including the terminating NUL. */
export const MAX_SOCKET_PATH_BYTES = 107;

export interface TendPaths {
  home: string;
  socket: string;
  /** The single-daemon lock: a socket bound for the daemon's life (see daemon-lock.ts). */
  lockSocket: string;
  stateFile: string;
  dumpFile: string;
  logsDir: string;
  daemonLog: string;
  daemonOut: string;
  pidFile: string;
  webToken: string;
  configFile: string;
}

export function tendPaths(home: string): TendPaths {
  return {
    home,
    socket: join(home, 'tend.sock'),
    lockSocket: join(home, 'tend.lock'),
    stateFile: join(home, 'state.json'),
    dumpFile: join(home, 'dump.json'),
    logsDir: join(home, 'logs'),
    daemonLog: join(home, 'daemon.log'),
    daemonOut: join(home, 'daemon.out'),
    pidFile: join(home, 'daemon.pid'),
    webToken: join(home, 'web.token'),
    configFile: join(home, 'config.json'),
  };
}
