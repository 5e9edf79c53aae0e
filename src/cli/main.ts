import { Command, CommanderError } from 'commander';
import { TEND_VERSION } from '../core/version.js';
import { registerApply } from './commands/apply.js';
import { registerDaemonControl } from './commands/daemon-control.js';
import { registerExport } from './commands/export.js';
import { registerInspect } from './commands/inspect.js';
import { registerInspectProcess } from './commands/inspect-process.js';
import { registerLifecycle } from './commands/lifecycle.js';
import { registerLogFiles } from './commands/log-files.js';
import { registerLogs } from './commands/logs.js';
import { registerMonit } from './commands/monit.js';
import { registerStart } from './commands/start.js';
import { registerStartOr } from './commands/start-or.js';
import { registerImport } from './commands/import.js';
import { registerInit } from './commands/init.js';
import { registerPersistence } from './commands/persistence.js';
import { registerReport } from './commands/report.js';
import { registerRuntime } from './commands/runtime.js';
import { registerServe } from './commands/serve.js';
import { registerStartup } from './commands/startup.js';
import { registerValidate } from './commands/validate.js';
import { registerWeb } from './commands/web.js';
import { EXIT_USAGE, printError, reportError, setSilent } from './output.js';
import { PM2_ONLY_VERBS, suggestCommand } from './pm2-verbs.js';
import { foregroundStartArgv } from './start-targets.js';

function buildProgram(): Command {
  const program = new Command('tend')
    .description('Keeps programs alive: Node clusters, any other language, logs, zero-downtime reloads.')
    .version(TEND_VERSION, '-v, --version')
    .showHelpAfterError('(run `tend --help` for usage)')
    .option('-s, --silent', 'print no process table or notes after an action (errors still print)')
    .exitOverride();
  // PM2_SILENT=true (or 1) in the environment is -s for every command, as under PM2.
  const silentByEnv = /^(true|1)$/i.test(process.env.PM2_SILENT ?? '');
  program.hook('preAction', (self) => setSilent(self.opts().silent === true || silentByEnv));
  registerStart(program);
  registerStartOr(program);
  registerApply(program);
  registerLifecycle(program);
  registerInit(program);
  registerImport(program);
  registerValidate(program);
  registerInspect(program);
  registerLogs(program);
  registerMonit(program);
  registerLogFiles(program);
  registerDaemonControl(program);
  registerWeb(program);
  registerServe(program);
  registerInspectProcess(program);
  registerPersistence(program);
  registerRuntime(program);
  registerStartup(program);
  registerExport(program);
  registerReport(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Runs the CLI and returns the exit code; nothing below this function exits the process. */
export async function runCli(argv: string[]): Promise<number> {
  argv = foregroundStartArgv(argv);
  const program = buildProgram();
  const unknown = unknownCommand(program, argv[2]);
  if (unknown !== null) {
    printError(unknown);
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander; usage mistakes exit 2.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return EXIT_USAGE;
    }
    return reportError(error);
  }
}

/** The message for a first word that is no command (nor an option), with a suggestion that fits. */
function unknownCommand(program: Command, word: string | undefined): string | null {
  if (word === undefined || word.startsWith('-')) return null;
  if (word === 'help' || program.commands.some((c) => c.name() === word || c.aliases().includes(word))) return null;
  // PM2-only verbs answer for themselves; they are never offered as suggestions.
  const names = program.commands.filter((c) => !Object.hasOwn(PM2_ONLY_VERBS, c.name())).flatMap((c) => [c.name(), ...c.aliases()]);
  const suggestion = suggestCommand(word, names);
  return `unknown command '${word}'${suggestion ? ` (did you mean \`tend ${suggestion}\`?)` : ''}; \`tend --help\` lists the commands`;
}
