// Compiles the native client of `tend ping` and `tend jlist` (src/bin/tend-fast.c, see its
// comment) into dist/bin/tend-fast, where there is a C compiler (`CC`, else `cc`). Without one
// the launcher runs those two verbs through Node, as it runs every other.
//
// Run by the build (scripts/post-build.mjs, `--strict`: a compiler that fails on tend's source is
// a bug to see) and by the package's install step, on the machine that runs tend: the binary is
// never shipped (package.json `files`), since it is made for one system. There a failure only
// warns: tend works without it.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const strict = process.argv.includes('--strict');
const binDir = fileURLToPath(new URL('../dist/bin/', import.meta.url));
const source = fileURLToPath(new URL('../src/bin/tend-fast.c', import.meta.url));
const output = `${binDir}tend-fast`;

// A fresh clone's install step runs before the build has made dist/: the build compiles it then.
// The client asks the kernel for the socket peer's uid the Linux way (SO_PEERCRED).
if (process.platform !== 'linux') {
  console.log(`tend: no native client on ${process.platform}; \`tend ping\` and \`tend jlist\` will run through Node`);
} else if (existsSync(binDir) && existsSync(source)) {
  // A client from an earlier build never outlives its source's build.
  rmSync(output, { force: true });
  const cc = process.env.CC || 'cc';
  if (spawnSync(cc, ['--version'], { stdio: 'ignore' }).error) {
    console.log(`tend: no C compiler (${cc}); \`tend ping\` and \`tend jlist\` will run through Node`);
  } else {
    const run = spawnSync(cc, ['-std=c11', '-O2', '-Wall', '-Wextra', '-Wpedantic', '-o', output, source], { stdio: 'inherit' });
    if (run.status !== 0) {
      const message = `${cc} could not compile ${source} (exit ${run.status ?? run.signal})`;
      if (strict) throw new Error(message);
      console.log(`tend: ${message}; \`tend ping\` and \`tend jlist\` will run through Node`);
      rmSync(output, { force: true });
    }
  }
}
