import { connectOrStart } from '../api/daemon-launcher.js';
import { resolveTendHome, tendPaths } from '../core/paths.js';
import { reportError } from './output.js';

/**
 * `tend jlist` and `tend ping` are what scripts and monitoring call in loops, so they skip
 * the argument parser and the command modules: only the socket client is loaded.
 * Returns null when argv is not one of them (with nothing else on the line).
 */
export function fastPathVerb(argv: readonly string[]): 'jlist' | 'ping' | null {
  if (argv.length !== 3) return null;
  const verb = argv[2];
  return verb === 'jlist' || verb === 'ping' ? verb : null;
}

export async function runFastPath(verb: 'jlist' | 'ping'): Promise<number> {
  try {
    const client = await connectOrStart(tendPaths(resolveTendHome()), true);
    try {
      // A list reply goes out as it comes in; each piece is a buffer of its own, so stdout may
      // keep it until written.
      if (verb === 'jlist') await client.requestStream('list', (bytes) => process.stdout.write(bytes));
      else process.stdout.write(JSON.stringify(await client.request('ping')));
      process.stdout.write('\n');
      return 0;
    } finally {
      client.close();
    }
  } catch (error) {
    return reportError(error);
  }
}
