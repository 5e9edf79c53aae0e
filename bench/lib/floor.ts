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

/**
 * Times a command that prints `bytes` bytes, read through a pipe the way Manager.run reads a
 * CLI's output: the floor of any Node CLI that prints a reply that large (`jlist` of many apps).
 * Node starts without NODE_EXTRA_CA_CERTS, as the `tend` launcher starts `jlist`.
 */
export function timePrinting(bytes: number): Promise<number> {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  return new Promise((resolve, reject) => {
    const started = nowMs();
    const child = spawn(process.execPath, ['-e', `process.stdout.write(Buffer.alloc(${bytes}, 120))`], { stdio: ['ignore', 'pipe', 'ignore'], env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 && out.length === bytes ? resolve(nowMs() - started) : reject(new Error(`printing ${bytes} bytes: exit ${code}, ${out.length} bytes read`))));
  });
}
