import { TendClient } from '../api/client.js';

/** Runs `action` with a connected client (starting the daemon if needed) and closes it after. */
export async function withClient<T>(action: (client: TendClient) => Promise<T>, autoStart = true): Promise<T> {
  const client = await TendClient.connect({ autoStart });
  try {
    return await action(client);
  } finally {
    client.close();
  }
}
