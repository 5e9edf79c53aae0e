import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** A file's text, or null when it cannot be read (a process gone meanwhile, an fd closed). */
function readOrNull<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}

/** TCP ports in LISTEN state (hex state 0A) by socket inode, from /proc/<pid>/net/tcp and tcp6. */
function listeningSocketsIn(pid: number): Map<string, number> {
  const byInode = new Map<string, number>();
  for (const table of ['tcp', 'tcp6']) {
    const text = readOrNull(() => readFileSync(`/proc/${pid}/net/${table}`, 'utf8')) ?? '';
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [local, state, inode] = [fields[1], fields[3], fields[9]];
      if (state !== '0A' || local === undefined || inode === undefined) continue;
      byInode.set(inode, parseInt(local.split(':').pop() ?? '', 16));
    }
  }
  return byInode;
}

/** The TCP ports process `pid` itself listens on (its own descriptors, not its children's). */
export function listeningPortsOf(pid: number): Set<number> {
  const sockets = listeningSocketsIn(pid);
  const ports = new Set<number>();
  for (const fd of readOrNull(() => readdirSync(`/proc/${pid}/fd`)) ?? []) {
    const link = readOrNull(() => readlinkSync(`/proc/${pid}/fd/${fd}`)) ?? '';
    const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
    const port = inode === undefined ? undefined : sockets.get(inode);
    if (port !== undefined) ports.add(port);
  }
  return ports;
}

/** Whether anything in this network namespace listens on `port` (seen from /proc/self). */
export function isPortListening(port: number): boolean {
  return [...listeningSocketsIn(process.pid).values()].includes(port);
}
