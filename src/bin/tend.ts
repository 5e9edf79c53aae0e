#!/usr/bin/env node
import { fastPathVerb, runFastPath } from '../cli/fast-path.js';
import { endQuietlyWhenStdoutCloses } from '../cli/output.js';

endQuietlyWhenStdoutCloses();

const fast = fastPathVerb(process.argv);
const run = fast ? runFastPath(fast) : import('../cli/main.js').then(({ runCli }) => runCli(process.argv));
run.then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tend: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
