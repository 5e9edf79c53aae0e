import type { AppSpec } from '../core/app-spec.js';
import { commentBlock, hostCommand, objectName } from './command.js';
import { cronToOnCalendar } from './cron-calendar.js';
import { splitEnv } from './secrets.js';
import type { ExportFile, Exporter } from './types.js';

/** Where the operator writes each app's secret variables (NAME=value lines, mode 0600). */
export const SECRETS_DIR = '/etc/tend';

/**
 * systemd: a service per app (a template `<app>@.service` when it has several instances, one
 * unit per index), and a timer with its oneshot service for cron_restart.
 */
export const exportSystemd: Exporter = (apps, _options, headerFor) => apps.flatMap((spec) => appUnits(spec, headerFor([spec])));

function appUnits(spec: AppSpec, header: readonly string[]): ExportFile[] {
  const name = objectName(spec.name);
  const template = spec.instances > 1;
  const unitName = template ? `${name}@.service` : `${name}.service`;
  const enable = template ? `systemctl enable --now ${Array.from({ length: spec.instances }, (_, i) => `${name}@${i}.service`).join(' ')}` : `systemctl enable --now ${unitName}`;
  const files: ExportFile[] = [{ name: unitName, content: commentBlock([...header, '', `Install: copy to /etc/systemd/system/, then: ${enable}`]) + serviceUnit(spec, name, template) }];
  if (spec.cronRestart !== null) {
    const restarted = template ? `${name}@*.service` : unitName;
    files.push({ name: `${name}-restart.service`, content: commentBlock(header) + sections({ Unit: [`Description=Restart ${spec.name} (tend cron_restart)`], Service: ['Type=oneshot', `ExecStart=/usr/bin/systemctl restart ${restarted}`] }) });
    files.push({ name: `${name}-restart.timer`, content: commentBlock(header) + sections({ Unit: [`Description=Restart ${spec.name} on ${spec.cronRestart}`], Timer: [`OnCalendar=${cronToOnCalendar(spec.cronRestart)}`], Install: ['WantedBy=timers.target'] }) });
  }
  return files;
}

function serviceUnit(spec: AppSpec, name: string, template: boolean): string {
  const env = splitEnv(spec.env);
  const needs = (spec.dependsOn ?? []).map((name) => `${name}.service`);
  const unit = [`Description=${spec.name} (exported from tend)${template ? ', instance %i' : ''}`, `After=${['network.target', ...needs].join(' ')}`];
  if (needs.length > 0) unit.push(`Requires=${needs.join(' ')}`);
  if (spec.autorestart) unit.push(`StartLimitIntervalSec=${Math.max(spec.minUptimeMs, 1000) * (spec.maxRestarts + 1)}ms`, `StartLimitBurst=${spec.maxRestarts + 1}`);
  const service = [
    'Type=simple',
    `WorkingDirectory=${spec.cwd}`,
    `ExecStart=${hostCommand(spec).map((arg) => quoteArg(arg, true)).join(' ')}`,
    ...Object.entries(env.plain).map(([k, v]) => `Environment=${quoteArg(`${k}=${v}`, false)}`),
    ...(template ? [`Environment=${spec.instanceVar}=%i`] : []),
    ...(env.secretNames.length > 0 ? [`# ${env.secretNames.join(', ')}: NAME=value lines in this file (not exported)`, `EnvironmentFile=${SECRETS_DIR}/${name}.env`] : []),
    `Restart=${spec.autorestart ? 'always' : 'no'}`,
    `RestartSec=${Math.max(spec.restartDelayMs, spec.expBackoffRestartDelayMs)}ms`,
    ...(spec.stopExitCodes.length > 0 ? [`RestartPreventExitStatus=${spec.stopExitCodes.join(' ')}`] : []),
    `KillSignal=${spec.killSignal}`,
    `TimeoutStopSec=${spec.killTimeoutMs}ms`,
    `KillMode=${spec.treekill ? 'control-group' : 'process'}`,
    ...(spec.maxMemoryRestartBytes !== null ? [`MemoryMax=${spec.maxMemoryRestartBytes}`] : []),
    ...(spec.uid !== null ? [`User=${spec.uid}`] : []),
    ...(spec.gid !== null ? [`Group=${spec.gid}`] : []),
  ];
  const install: Record<string, string[]> = spec.autostart ? { Install: ['WantedBy=multi-user.target'] } : {};
  return sections({ Unit: unit, Service: service, ...install });
}

function sections(byName: Record<string, string[]>): string {
  return Object.entries(byName)
    .map(([section, lines]) => `[${section}]\n${lines.join('\n')}\n`)
    .join('\n');
}

/** systemd's quoting: double quotes with C escapes, `%` doubled; `$` doubled where it expands (ExecStart=). */
function quoteArg(value: string, expandsDollar: boolean): string {
  const specifiersEscaped = value.replaceAll('%', '%%');
  const escaped = expandsDollar ? specifiersEscaped.replaceAll('$', '$$$$') : specifiersEscaped;
  return /^[\w./:@+,=-]+$/.test(escaped) ? escaped : `"${escaped.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}
