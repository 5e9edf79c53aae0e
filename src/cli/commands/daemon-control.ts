import type { Command } from 'commander';
import { TendClient } from '../../api/client.js';
import { printLine } from '../output.js';
import { renderTable } from '../render.js';
import { withClient } from '../session.js';

export function registerDaemonControl(program: Command): void {
  program
    .command('ping')
    .description('check that the daemon answers (starting it if needed)')
    .action(() =>
      withClient(async (client) => {
        printLine(JSON.stringify(await client.ping()));
      }),
    );

  program
    .command('kill')
    .description('stop every app gracefully, then the daemon')
    .action(async () => {
      let client: TendClient;
      try {
        client = await TendClient.connect({ autoStart: false });
      } catch {
        const { guardians, stoppedRestart, ended } = await TendClient.cleanUpWithoutDaemon();
        const done = [
          ...(stoppedRestart ? ['stopped the daemon its guardian had just started again, and its apps'] : guardians > 0 ? ['stopped the guardian that was about to start it again'] : []),
          ...(ended > 0 ? [`ended ${ended} process(es) a crashed daemon left`] : []),
        ];
        printLine(done.length > 0 ? `no daemon running; ${done.join('; ')}` : 'no daemon running');
        return;
      }
      await client.kill();
      printLine('daemon stopped');
    });

  program
    .command('sendSignal')
    .alias('send-signal')
    .argument('<signal>', 'e.g. SIGUSR2')
    .argument('<targets...>', 'ids, names or namespaces')
    .description('send a signal to running instances')
    .action((signal: string, targets: string[]) =>
      withClient(async (client) => {
        const infos = await client.sendSignal(signal, targets);
        printLine(`sent ${signal.toUpperCase()} to ${infos.map((i) => `${i.name} (id ${i.id})`).join(', ')}`);
      }),
    );

  program
    .command('scale')
    .argument('<app>', 'app name')
    .argument('<count>', 'N, +N or -N')
    .description('set the number of instances of an app')
    .action((app: string, count: string) =>
      withClient(async (client) => {
        await client.scale(app, count);
        printLine(await renderTable(await client.list()));
      }),
    );
}
