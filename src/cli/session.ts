import { TendClient } from '../api/client.js';
import { TEND_VERSION } from '../core/version.js';
import { printError } from './output.js';

/** Runs `action` with a connected client (starting the daemon if needed) and closes it after. */
export async function withClient<T>(action: (client: TendClient) => Promise<T>, autoStart = true): Promise<T> {
  const client = await TendClient.connect({ autoStart });
  // A daemon left running across an upgrade keeps the old code (PM2 #1401); say so once per command.
  if (client.daemon.version !== TEND_VERSION) {
    printError(`the daemon runs tend ${client.daemon.version}, this is ${TEND_VERSION}; run \`tend update\` to replace it`);
  }
  try {
    return await action(client);
  } finally {
    client.close();
  }
}
