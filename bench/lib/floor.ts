import { spawn } from 'node:child_process';
import { nowMs } from './time.js';

/** Times one command from spawn to exit (the floor any Node CLI pays). */
export function timeCommand(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = nowMs();
    const child = spawn(file, args, { stdio: 'ignore', env });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(nowMs() - started) : reject(new Error(`${file} ${args.join(' ')} exited ${code}`))));
  });
}

/** The environment the `tend` launcher gives `ping` and `jlist`: without NODE_EXTRA_CA_CERTS. */
export function fastPathEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _unused, ...rest } = env;
  return rest;
}

/**
 * Times a command, its stdout read through a pipe the way Manager.run reads a CLI's output
 * (spawn to exit). It must exit 0 having printed `bytes` bytes (any number when null).
 */
export function timeReading(file: string, args: string[], bytes: number | null, env: NodeJS.ProcessEnv = fastPathEnv()): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = nowMs();
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'ignore'], env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 && (bytes === null || out.length === bytes) ? resolve(nowMs() - started) : reject(new Error(`${file} ${args.join(' ')}: exit ${code}, ${out.length} bytes read, ${bytes} expected`))));
  });
}

/** A Node process printing `bytes` bytes: the floor of any Node CLI that prints a reply that large. */
export function timePrinting(bytes: number): Promise<number> {
  return timeReading(process.execPath, ['-e', `process.stdout.write(Buffer.alloc(${bytes}, 120))`], bytes);
}

/** `head -c` copying `bytes` bytes: the physical floor of any command printing that many. */
export function timeCopying(bytes: number): Promise<number> {
  return timeReading('head', ['-c', String(bytes), '/dev/zero'], bytes);
}
