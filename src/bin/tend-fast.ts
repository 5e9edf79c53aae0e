/**
 * `tend ping` and `tend jlist` as the `tend` launcher (tend.sh) runs them: the fast path of
 * tend.ts alone, bundled as CommonJS (scripts/bundle-entries.mjs). Node's ES module loader, and
 * the ES facades it builds for every built-in module imported (`node:fs` loads its streams
 * then), cost ~25 ms of a ~70 ms `tend ping`; scripts and monitoring call these two in loops.
 */
import { fastPathVerb, runFastPath } from '../cli/fast-path.js';
import { endQuietlyWhenStdoutCloses } from '../cli/output.js';

endQuietlyWhenStdoutCloses();

const verb = fastPathVerb(process.argv);
if (verb === null) {
  process.stderr.write('tend-fast: only `ping` or `jlist`, alone (the tend command runs everything else)\n');
  process.exitCode = 2;
} else {
  void runFastPath(verb).then((code) => {
    process.exitCode = code;
  });
}
