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
    // The request goes out with the hello, one round trip to the daemon instead of two.
    const client = await connectOrStart(tendPaths(resolveTendHome()), true, { pipelineHello: true });
    try {
      // A list reply goes out as it comes in; each piece is a buffer of its own, so stdout may
      // keep it until written. Nothing is written unless the daemon took the hello: a refused
      // one fails the request too, and its own error, answered first, is the one reported.
      const reply =
        verb === 'jlist'
          ? client.requestStream('list', (bytes) => process.stdout.write(bytes))
          : client.request('ping').then((pong) => {
              process.stdout.write(JSON.stringify(pong));
            });
      const [greeting, outcome] = await Promise.allSettled([client.greeting, reply]);
      if (greeting.status === 'rejected') throw greeting.reason;
      if (outcome.status === 'rejected') throw outcome.reason;
      process.stdout.write('\n');
      return 0;
    } finally {
      client.close();
    }
  } catch (error) {
    return reportError(error);
  }
}
