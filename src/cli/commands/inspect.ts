import type { Command } from 'commander';
import { healthRows } from '../health-rows.js';
import type { DescribeResult } from '../../core/instance-info.js';
import { printLine } from '../output.js';
import { colourStatus, formatBytes, formatDuration, renderMiniList, renderTable, sortInstances } from '../render.js';
import { withClient } from '../session.js';

export function registerInspect(program: Command): void {
  program
    .command('list')
    .aliases(['ls', 'status', 'l', 'ps'])
    .option('--sort <field>', 'sort by id, name, namespace, pid, status, restarts, uptime, cpu or memory; add :desc to reverse')
    .option('-m, --mini-list', 'one line per instance, no table')
    .description('show the process table')
    .action((flags: { sort?: string; miniList?: boolean }) =>
      withClient(async (client) => {
        const list = flags.sort ? sortInstances(await client.list(), flags.sort) : await client.list();
        printLine(flags.miniList ? renderMiniList(list) : await renderTable(list));
      }),
    );

  program
    .command('jlist')
    .description('print the process list as JSON')
    .action(() => withClient(async (client) => printLine(JSON.stringify(await client.list()))));

  program
    .command('prettylist')
    .description('print the process list as indented JSON')
    .action(() => withClient(async (client) => printLine(JSON.stringify(await client.list(), null, 2))));

  program
    .command('describe')
    .aliases(['show', 'desc', 'info'])
    .argument('<targets...>', 'ids, names or namespaces')
    .option('--env', 'show environment values (hidden by default)')
    .option('--json', 'print JSON')
    .description('show everything about an app: options, paths, environment, restart history')
    .action((targets: string[], flags: { env?: boolean; json?: boolean }) =>
      withClient(async (client) => {
        const results = await client.describe(targets, { env: flags.env === true });
        printLine(flags.json ? JSON.stringify(results, null, 2) : results.map(renderDescribe).join('\n\n'));
      }),
    );

  program
    .command('env')
    .argument('<id>', 'instance id or name')
    .description('print the environment an instance received')
    .action((id: string) =>
      withClient(async (client) => {
        const env = await client.env(id);
        printLine(Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n'));
      }),
    );

  program
    .command('pid')
    .argument('[target]', 'id, name or namespace (default: all)')
    .description('print the pids of running instances')
    .action((target: string | undefined) =>
      withClient(async (client) => {
        const all = await client.list();
        const chosen = target ? (await client.describe([target])).map((d) => d.info) : all;
        printLine(chosen.map((i) => i.pid).filter((pid) => pid !== null).join('\n'));
      }),
    );
}

function renderDescribe(result: DescribeResult): string {
  const { info, spec } = result;
  const rows: Array<[string, string]> = [
    ['name', `${info.name} (id ${info.id}, instance ${info.instance})`],
    // A reason reads "waiting for db (launching)": it starts with the status.
    ['status', `${colourStatus(info.status)}${info.waiting_reason?.replace(/^waiting/, '') ?? ''}`],
    ['namespace', info.namespace],
    ['mode', `${info.mode}${spec.execMode === 'cluster' ? ` x${spec.instances}` : ''}`],
    ['pid', String(info.pid ?? '-')],
    ['script', spec.script],
    ['args', spec.args.join(' ')],
    ['interpreter', spec.interpreter ? `${spec.interpreter} ${spec.interpreterArgs.join(' ')}`.trim() : '(none: executed directly)'],
    ['cwd', spec.cwd],
    ...((spec.dependsOn ?? []).length > 0 ? ([['depends on', (spec.dependsOn ?? []).join(', ')]] as Array<[string, string]>) : []),
    ['restarts', String(info.restarts)],
    ['uptime', formatDuration(info.uptime_ms)],
    ...(info.adopted_at === null ? [] : ([['adopted', `${new Date(info.adopted_at).toISOString()} (from the previous daemon)`]] as Array<[string, string]>)),
    ['cpu / memory', `${info.cpu}% / ${formatBytes(info.memory)}`],
    ['last exit', info.exit_signal ? `signal ${info.exit_signal}` : info.exit_code !== null ? `code ${info.exit_code}` : '-'],
    ['kill', `${spec.killSignal}, SIGKILL after ${spec.killTimeoutMs} ms`],
    ['restart policy', `autorestart ${spec.autorestart}, min_uptime ${spec.minUptimeMs} ms, max_restarts ${spec.maxRestarts}`],
    ['cron restart', spec.cronRestart ?? 'off'],
    ['memory limit', spec.maxMemoryRestartBytes === null ? 'off' : `restart past ${formatBytes(spec.maxMemoryRestartBytes)}`],
    ['watch', spec.watch === null ? 'off' : `${spec.watch.join(', ')} (ignoring ${spec.ignoreWatch.join(', ') || 'nothing'}; delay ${spec.watchDelayMs} ms)`],
    ['env', spec.envName ? `env_${spec.envName}` : '(no --env)'],
    ...healthRows(info, spec),
    ['out log', result.logFiles.out ?? '(discarded)'],
    ['error log', result.logFiles.err ?? '(discarded)'],
  ];
  if (result.logFiles.combined) rows.push(['combined log', result.logFiles.combined]);
  if (result.logStats && result.logStats.droppedLines > 0) rows.push(['dropped log lines', `${result.logStats.droppedLines} (${result.logStats.lastError ?? ''})`]);
  if (info.error) rows.push(['errored because', info.error]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  const envNames = Object.entries(result.env).map(([k, v]) => (v === null ? k : `${k}=${v}`));
  lines.push('', `environment (${envNames.length} variables${Object.values(result.env).every((v) => v === null) ? ', values hidden: --env shows them' : ''}):`, ...envNames.map((e) => `  ${e}`));
  lines.push('', 'history:');
  for (const h of result.history.slice(-15)) {
    const exit = h.signal ? ` signal ${h.signal}` : h.exitCode !== null ? ` code ${h.exitCode}` : '';
    lines.push(`  ${new Date(h.at).toISOString()}  ${h.event}${h.cause ? ` (${h.cause})` : ''}${h.pid ? ` pid ${h.pid}` : ''}${exit}${h.detail ? `: ${h.detail}` : ''}`);
  }
  if (result.recentStderr.length > 0) lines.push('', 'last stderr lines:', ...result.recentStderr.map((l) => `  ${l}`));
  return lines.join('\n');
}
