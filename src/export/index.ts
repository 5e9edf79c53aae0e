/** `tend export`: resolved apps to the files of another engine, with what could not be kept said. */
import { basename } from 'node:path';
import type { AppSpec } from '../core/app-spec.js';
import { TendError } from '../core/errors.js';
import { exportCompose } from './compose.js';
import { exportContainerfile } from './containerfile.js';
import { exportKubernetes } from './kubernetes.js';
import { assessApps } from './mapping-table.js';
import { exportNomad } from './nomad.js';
import { exportSystemd } from './systemd.js';
import type { ExportFile, ExportOptions, ExportTarget, Exporter } from './types.js';

export { EXPORT_TARGETS, type ExportFile, type ExportOptions, type ExportTarget, type Fidelity } from './types.js';
export { MAPPING_TABLE, assessApps } from './mapping-table.js';
export { renderMappingMarkdown } from './mapping-markdown.js';
export { isSecretName } from './secrets.js';

const EXPORTERS: Readonly<Record<ExportTarget, Exporter>> = {
  kubernetes: exportKubernetes,
  compose: exportCompose,
  nomad: exportNomad,
  systemd: exportSystemd,
  containerfile: exportContainerfile,
};
const NEEDS_IMAGE: ReadonlySet<ExportTarget> = new Set(['kubernetes', 'compose']);
const HAS_NAMESPACES: ReadonlySet<ExportTarget> = new Set(['kubernetes', 'nomad']);

export function exportApps(target: ExportTarget, apps: readonly AppSpec[], options: ExportOptions): ExportFile[] {
  if (apps.length === 0) throw new TendError('APP_NOT_FOUND', 'no app to export');
  if (NEEDS_IMAGE.has(target) && !options.image) {
    throw new TendError('INVALID_ARGUMENT', `${target} runs images: pass --image REF (build one with \`tend export containerfile\`)`);
  }
  if (options.namespace !== null && !HAS_NAMESPACES.has(target)) throw new TendError('INVALID_ARGUMENT', `--namespace is for kubernetes and nomad, not ${target}`);
  if (options.runtime && !NEEDS_IMAGE.has(target)) throw new TendError('INVALID_ARGUMENT', `--runtime is for kubernetes and compose, not ${target}`);
  const { dropped } = assessApps(apps, target, options);
  if (dropped.length > 0 && !options.allowLossy) {
    throw new TendError('EXPORT_LOSSY', `${target} cannot carry ${dropped.join('; ')} (--allow-lossy exports without them)`);
  }
  const headerFor = (some: readonly AppSpec[]): string[] => {
    const notes = assessApps(some, target, options);
    return [
      `Exported by \`tend export ${target}${options.runtime ? ' --runtime' : ''}\` from ${options.configFile ? basename(options.configFile) : 'running apps'}.`,
      ...(notes.approximations.length > 0 ? ['Approximations (app: option: what it becomes):', ...notes.approximations.map((line) => `  ${line}`)] : ['Every option is carried exactly.']),
      ...(notes.dropped.length > 0 ? ['Dropped (--allow-lossy):', ...notes.dropped.map((line) => `  ${line}`)] : []),
    ];
  };
  return EXPORTERS[target](apps, options, headerFor);
}
