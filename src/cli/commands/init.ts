import type { Command } from 'commander';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readPm2Dump } from '../../api/import-pm2.js';
import { TendError } from '../../core/errors.js';
import { resolveTendHome } from '../../core/paths.js';
import { printLine } from '../output.js';
import { ECOSYSTEM_TEMPLATES, type TemplateFormat } from '../templates.js';
import { reportImport } from './import.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .alias('ecosystem')
    .option('--format <format>', 'js, yaml, json or toml', 'js')
    .option('-f, --force', 'overwrite an existing file')
    .option('--from-pm2', "write PM2's saved process list (dump.pm2) as the file's apps (js or json)")
    .option('--pm2-home <dir>', "PM2's home folder (default: $PM2_HOME or ~/.pm2)")
    .description('write a commented ecosystem file in the current folder')
    .action((flags: InitFlags) => {
      if (flags.fromPm2) return initFromPm2(flags);
      const template = ECOSYSTEM_TEMPLATES[flags.format as TemplateFormat];
      if (!template) throw new TendError('INVALID_ARGUMENT', `--format must be js, yaml, json or toml, got "${flags.format}"`);
      // A `module.exports` file must be .cjs inside a "type": "module" package.
      const fileName = flags.format === 'js' && isModulePackage() ? 'ecosystem.config.cjs' : template.fileName;
      const file = targetFile(fileName, flags.force);
      writeFileSync(file, template.text);
      printLine(`wrote ${file}; start it with: tend start ${fileName}`);
    });
}

interface InitFlags {
  format: string;
  force?: boolean;
  fromPm2?: boolean;
  pm2Home?: string;
}

/** The file a format gets, refusing to overwrite one unless --force. */
function targetFile(fileName: string, force: boolean | undefined): string {
  const file = resolve(fileName);
  if (existsSync(file) && !force) throw new TendError('INVALID_ARGUMENT', `${file} already exists (use --force to overwrite it)`);
  return file;
}

/**
 * The imported apps under PM2's option names. The file holds their env values, so it is written
 * 0600 and only variable names are printed.
 */
function initFromPm2(flags: InitFlags): void {
  if (flags.format !== 'js' && flags.format !== 'json') throw new TendError('INVALID_ARGUMENT', `--from-pm2 writes js or json, got "${flags.format}"`);
  const imported = readPm2Dump({ pm2Home: flags.pm2Home, home: resolveTendHome() });
  reportImport(imported);
  const json = JSON.stringify({ apps: imported.raw }, null, 2);
  const isJs = flags.format === 'js';
  const fileName = isJs ? (isModulePackage() ? 'ecosystem.config.cjs' : 'ecosystem.config.js') : 'ecosystem.config.json';
  const file = targetFile(fileName, flags.force);
  const header = `// Written by \`tend init --from-pm2\` from ${imported.dumpFile}.\n// It holds the apps' environment values: keep it private (it is created 0600).\n`;
  writeFileSync(file, isJs ? `${header}module.exports = ${json};\n` : `${json}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  printLine(`wrote ${file} with ${imported.raw.length} app(s); check it, then: tend apply ${fileName}`);
}

function isModulePackage(): boolean {
  try {
    return (JSON.parse(readFileSync('package.json', 'utf8')) as { type?: string }).type === 'module';
  } catch {
    return false;
  }
}
