import type { Command } from 'commander';
import { resolve } from 'node:path';
import { distPath } from '../../core/dist-path.js';
import { resolveStart } from '../../api/resolve-start.js';
import { TendError } from '../../core/errors.js';
import { resolveTendHome } from '../../core/paths.js';
import { isDirectory } from '../../api/files.js';
import { printNote, printSummary } from '../output.js';
import { renderTable } from '../render.js';
import { parsePort } from '../runtime-args.js';
import { withClient } from '../session.js';

interface ServeFlags {
  spa?: boolean;
  name?: string;
  host?: string;
  basicAuthUsername?: string;
  basicAuthPassword?: string;
}

const DEFAULT_PORT = 8080;

export function registerServe(program: Command): void {
  program
    .command('serve')
    .argument('[dir]', 'folder to serve', '.')
    .argument('[port]', `port (default ${DEFAULT_PORT})`, parsePort)
    .option('--spa', 'answer paths that name no file with index.html (client-side routing)')
    .option('--name <name>', 'app name (default static-page-server-<port>)')
    .option('--host <address>', 'listen on this address only (default: every address, as any web server)')
    .option('--basic-auth-username <user>', 'ask for this user and --basic-auth-password')
    .option('--basic-auth-password <password>', 'the password (kept in the app\'s env, not its arguments)')
    .description('serve a folder\'s files over HTTP, as an app tend keeps alive')
    .action((dir: string, port: number | undefined, flags: ServeFlags) => serve(dir, port ?? DEFAULT_PORT, flags));
}

async function serve(dir: string, port: number, flags: ServeFlags): Promise<void> {
  const root = resolve(dir);
  if (!isDirectory(root)) throw new TendError('INVALID_ARGUMENT', `serve: ${root} is not a folder`);
  if ((flags.basicAuthUsername === undefined) !== (flags.basicAuthPassword === undefined)) {
    throw new TendError('INVALID_ARGUMENT', 'serve: --basic-auth-username and --basic-auth-password go together');
  }
  const name = flags.name ?? `static-page-server-${port}`;
  const auth = flags.basicAuthUsername === undefined ? {} : { PM2_SERVE_BASIC_AUTH_USERNAME: flags.basicAuthUsername, PM2_SERVE_BASIC_AUTH_PASSWORD: flags.basicAuthPassword ?? '' };
  const resolved = await resolveStart({
    target: distPath('runtime/static-server.js'),
    args: [root, String(port), ...(flags.spa ? ['--spa'] : []), ...(flags.host ? ['--host', flags.host] : [])],
    // Online once it listens: a busy port is a failed start, not a green `online`.
    appOptions: { name, wait_ready: true, env: auth },
    home: resolveTendHome(),
  });
  await withClient(async (client) => {
    const registered = (await client.list()).some((i) => i.name === name);
    if (registered) {
      await client.restart([name], { apps: resolved.apps });
      printNote(`${name} was already registered: restarted it to serve ${root} on port ${port}`);
    } else {
      await client.startApps(resolved.apps);
    }
    printSummary(await renderTable(await client.list()));
  });
}
