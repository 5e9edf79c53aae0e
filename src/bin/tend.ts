#!/usr/bin/env node
import { runCli } from '../cli/main.js';

runCli(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tend: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
