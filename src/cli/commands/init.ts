import type { Command } from 'commander';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TendError } from '../../core/errors.js';
import { printLine } from '../output.js';
import { ECOSYSTEM_TEMPLATES, type TemplateFormat } from '../templates.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .alias('ecosystem')
    .option('--format <format>', 'js, yaml, json or toml', 'js')
    .option('-f, --force', 'overwrite an existing file')
    .description('write a commented ecosystem file in the current folder')
    .action((flags: { format: string; force?: boolean }) => {
      const template = ECOSYSTEM_TEMPLATES[flags.format as TemplateFormat];
      if (!template) throw new TendError('INVALID_ARGUMENT', `--format must be js, yaml, json or toml, got "${flags.format}"`);
      // A `module.exports` file must be .cjs inside a "type": "module" package.
      const fileName = flags.format === 'js' && isModulePackage() ? 'ecosystem.config.cjs' : template.fileName;
      const file = resolve(fileName);
      if (existsSync(file) && !flags.force) throw new TendError('INVALID_ARGUMENT', `${file} already exists (use --force to overwrite it)`);
      writeFileSync(file, template.text);
      printLine(`wrote ${file}; start it with: tend start ${fileName}`);
    });
}

function isModulePackage(): boolean {
  try {
    return (JSON.parse(readFileSync('package.json', 'utf8')) as { type?: string }).type === 'module';
  } catch {
    return false;
  }
}
