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
