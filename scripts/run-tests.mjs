// Runs the whole suite with node:test. Node 20's runner does not expand quoted globs, so the
// file list is collected here. Pass paths or folders to run a subset:
//   node scripts/run-tests.mjs test/unit test/integration/fork
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

function collect(path, out) {
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path).sort()) collect(join(path, entry), out);
  } else if (path.endsWith('.test.ts')) {
    out.push(path);
  }
  return out;
}

const roots = process.argv.slice(2);
const files = (roots.length > 0 ? roots : ['test/unit', 'test/integration']).flatMap((root) => collect(root, []));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

// Unit tests start no processes and share no state, so they run together in one process, which
// starts first: each file in its own process cost ~0.5 s of Node and TypeScript loader start-up,
// 101 files ~50 s of the suite's wall time on 2 cores, against ~30 s for all of them in one.
// Integration files keep a process each (their hooks own a daemon for the file's duration).
const UNIT = resolve('test/unit') + sep;
const unit = files.filter((file) => resolve(file).startsWith(UNIT));
const rest = files.filter((file) => !resolve(file).startsWith(UNIT));
let bundleDir = null;
let runList = files;
if (unit.length > 1) {
  bundleDir = mkdtempSync(join(tmpdir(), 'tend-unit-'));
  const bundle = join(bundleDir, 'unit.test.mjs');
  writeFileSync(bundle, unit.map((file) => `import ${JSON.stringify(pathToFileURL(resolve(file)).href)};\n`).join(''));
  runList = [bundle, ...rest];
}

// Three files at once on 2 cores: most of an integration test is waiting on processes it started
// (a full run took 503 s with two at once, 447-449 s with three).
const concurrency = process.env.TEND_TEST_CONCURRENCY ?? '3';
// Every Node process the suite starts (test files, CLIs, daemons, apps) reads and parses the
// file NODE_EXTRA_CA_CERTS names before running any code: with a system bundle, ~45 ms of a
// ~110 ms start on the 2-core CI machine, thousands of times over. Nothing in the suite makes a
// TLS connection; the one test about the variable sets its own.
const { NODE_EXTRA_CA_CERTS: _unused, ...inherited } = process.env;
// The tests run the `tend` launcher, as users do; it starts this Node whatever comes first on PATH.
const env = { TEND_NODE: process.execPath, ...inherited };
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=120000', ...runList],
  { stdio: 'inherit', env },
);
if (bundleDir !== null) rmSync(bundleDir, { recursive: true, force: true });
process.exit(result.status ?? 1);
