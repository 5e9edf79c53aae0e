import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { TendClient } from '../../api/client.js';
import { isConfigTarget, resolveStart } from '../../api/resolve-start.js';
import type { AppSpec } from '../../core/app-spec.js';
import { TendError } from '../../core/errors.js';
import { resolveTendHome } from '../../core/paths.js';
import { EXPORT_TARGETS, type ExportFile, type ExportTarget } from '../../export/types.js';
import { printError, printLine } from '../output.js';

interface ExportFlags {
  image?: string;
  out?: string;
  namespace?: string;
  allowLossy?: boolean;
  runtime?: boolean;
  env?: string;
  only?: string;
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .argument('<target>', EXPORT_TARGETS.join(', '))
    .argument('[sources...]', 'an ecosystem file (default: ./ecosystem.config.*), or names, ids or namespaces of running apps')
    .option('--image <ref>', 'container image of the apps (required for kubernetes and compose)')
    .option('--out <dir>', 'write the files in this folder instead of printing them')
    .option('--namespace <ns>', 'Kubernetes or Nomad namespace')
    .option('--allow-lossy', 'export even when an option cannot be carried (it is listed at the top)')
    .option('--runtime', 'kubernetes, compose: run each app under tend-runtime in its container (image from `tend export containerfile`)')
    .option('--env <name>', 'use env_<name> from the ecosystem file')
    .option('--only <apps>', 'only these apps of the ecosystem file (comma-separated)')
    .description('write Kubernetes, Compose, Nomad, systemd or Containerfile files for these apps (never deploys)')
    .action(async (target: string, sources: string[], flags: ExportFlags) => {
      if (!(EXPORT_TARGETS as readonly string[]).includes(target)) throw new TendError('INVALID_ARGUMENT', `export target "${target}": expected one of ${EXPORT_TARGETS.join(', ')}`);
      const home = resolveTendHome();
      const { apps, configFile } = await appsToExport(sources, flags, home);
      // Loaded here: the exporters and their YAML writer would slow every other verb's start.
      const { exportApps } = await import('../../export/index.js');
      const files = exportApps(target as ExportTarget, apps, {
        image: flags.image ?? null,
        namespace: flags.namespace ?? null,
        allowLossy: flags.allowLossy === true,
        home,
        configFile,
        envName: flags.env ?? null,
        runtime: flags.runtime === true,
      });
      writeFiles(files, flags.out);
    });
}

/** From an ecosystem file, resolved as `start` resolves it, or from the running apps' stored specs. */
async function appsToExport(sources: string[], flags: ExportFlags, home: string): Promise<{ apps: AppSpec[]; configFile: string | null }> {
  const [first] = sources;
  if (first === undefined || (sources.length === 1 && isConfigTarget(first))) {
    const resolved = await resolveStart({ target: first, envName: flags.env, only: flags.only?.split(','), home });
    for (const warning of resolved.warnings) printError(`warning: ${warning}`);
    return { apps: resolved.apps.map((app) => app.spec), configFile: resolved.configFile };
  }
  const client = await TendClient.connect({ autoStart: false });
  try {
    const described = await client.describe(sources);
    const byName = new Map(described.map((d) => [d.spec.name, d.spec]));
    return { apps: [...byName.values()], configFile: null };
  } finally {
    client.close();
  }
}

function writeFiles(files: readonly ExportFile[], out: string | undefined): void {
  if (out === undefined) {
    process.stdout.write(files.map((f) => (files.length > 1 ? `# --- ${f.name}\n${f.content}` : f.content)).join('\n'));
    return;
  }
  mkdirSync(out, { recursive: true });
  for (const file of files) {
    writeFileSync(join(out, file.name), file.content);
    printLine(`wrote ${join(out, file.name)}`);
  }
}
