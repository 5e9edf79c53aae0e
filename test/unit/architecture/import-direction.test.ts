import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

// The layer picture of DESIGN.md §2, as "who may import whom". A layer may always import itself.
const SRC = fileURLToPath(new URL('../../../src', import.meta.url));
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  core: [],
  config: ['core'],
  ipc: ['core'],
  logs: ['core'],
  // metrics/proc-stat is the one /proc reader; the cluster driver samples its workers with it.
  metrics: ['core'],
  cluster: ['core', 'metrics'],
  daemon: ['core', 'config', 'ipc', 'logs', 'metrics', 'cluster'],
  api: ['core', 'config', 'ipc'],
  cli: ['api', 'core'],
  web: ['api', 'core'],
  bin: ['cli', 'daemon', 'web', 'core'],
  runtime: [],
};
const NEVER_IMPORTED = new Set(['cli', 'web', 'bin']);
/**
 * Edges allowed for `import type` / `export type` only, which compile to nothing: the cluster
 * driver speaks the protocol whose shapes are defined with the cluster host in runtime/.
 */
const TYPE_ONLY_ALLOWED: Readonly<Record<string, readonly string[]>> = {
  cluster: ['runtime'],
};

function listSources(folder: string): string[] {
  return readdirSync(folder).flatMap((entry) => {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) return listSources(path);
    return /\.(c|m)?tsx?$/.test(entry) && !/\.d\.(c|m)?ts$/.test(entry) ? [path] : [];
  });
}

function layerOf(path: string): string {
  return relative(SRC, path).split(sep)[0] ?? '';
}

interface ImportEdge {
  specifier: string;
  /** `import type` / `export type`: erased at compile time. */
  typeOnly: boolean;
}

/** Relative specifiers of static imports, re-exports and dynamic imports. */
function importsOf(text: string): ImportEdge[] {
  const found: ImportEdge[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\b([^'"]*?)\bfrom\s*['"]([^'"]+)['"]/g)) {
    if (match[2]) found.push({ specifier: match[2], typeOnly: /^\s*type\b/.test(match[1] ?? '') });
  }
  const patterns = [/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) if (match[1]) found.push({ specifier: match[1], typeOnly: false });
  return found.filter((edge) => edge.specifier.startsWith('.'));
}

export function findForbiddenEdges(files: readonly string[], read: (path: string) => string): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const from = layerOf(file);
    for (const { specifier, typeOnly } of importsOf(read(file))) {
      const target = resolve(dirname(file), specifier);
      if (!target.startsWith(SRC + sep)) {
        problems.push(`${relative(SRC, file)} imports ${specifier}, outside src/`);
        continue;
      }
      const to = layerOf(target);
      if (to === from) continue;
      const allowed = ALLOWED[from];
      if (!allowed) problems.push(`${relative(SRC, file)} is in src/${from}, a folder DESIGN.md §2 does not know`);
      else if (!allowed.includes(to) && !(typeOnly && TYPE_ONLY_ALLOWED[from]?.includes(to))) problems.push(`${relative(SRC, file)} (${from}) imports ${specifier} (${to})`);
    }
  }
  return problems;
}

test('every import under src/ follows the layer direction of DESIGN.md §2', () => {
  const files = listSources(SRC);
  assert.ok(files.length > 20, 'found the sources');
  assert.deepEqual(findForbiddenEdges(files, (p) => readFileSync(p, 'utf8')), []);
});

/** The source file a relative specifier names (`./a.js` is `./a.ts`, `./a.tsx` or `./a.cts` ...). */
function sourceFileOf(from: string, specifier: string, known: ReadonlySet<string>): string | null {
  const target = resolve(dirname(from), specifier);
  const stem = target.replace(/\.(c|m)?js$/, '');
  for (const candidate of [target, `${stem}.ts`, `${stem}.tsx`, `${stem}.cts`, `${stem}.mts`]) if (known.has(candidate)) return candidate;
  return null;
}

/** Cycles of value imports between files (type-only imports vanish at compile time and are left out). */
export function findImportCycles(files: readonly string[], read: (path: string) => string): string[][] {
  const known = new Set(files);
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const targets = importsOf(read(file)).flatMap((edge) => {
      const target = edge.typeOnly ? null : sourceFileOf(file, edge.specifier, known);
      return target === null ? [] : [target];
    });
    edges.set(file, targets);
  }
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].map((f) => relative(SRC, f)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return cycles;
}

test('no two source files import each other, directly or through others', () => {
  assert.deepEqual(findImportCycles(listSources(SRC), (p) => readFileSync(p, 'utf8')), []);
});

test('the cycle check finds a cycle and ignores type-only imports', () => {
  const a = join(SRC, 'core', 'a.ts');
  const b = join(SRC, 'core', 'b.tsx');
  const files: Record<string, string> = { [a]: "import { b } from './b.js';\n", [b]: "import { a } from './a.js';\n" };
  assert.deepEqual(findImportCycles([a, b], (p) => files[p] ?? ''), [['core/a.ts', 'core/b.tsx', 'core/a.ts']]);
  files[b] = "import type { A } from './a.js';\n";
  assert.deepEqual(findImportCycles([a, b], (p) => files[p] ?? ''), []);
});

test('the sources checked include .tsx and .cts files', () => {
  const files = listSources(SRC).map((f) => relative(SRC, f));
  assert.ok(files.some((f) => f.endsWith('.tsx')), 'dashboard components');
  assert.ok(files.some((f) => f.endsWith('.cts')), 'the drain preload');
});

test('only bin may import cli, web or bin', () => {
  for (const [layer, allowed] of Object.entries(ALLOWED)) {
    if (layer !== 'bin') assert.deepEqual(allowed.filter((l) => NEVER_IMPORTED.has(l)), [], layer);
  }
});

test('the import check catches a forbidden edge', () => {
  const fake = join(SRC, 'core', 'fake.ts');
  const problems = findForbiddenEdges([fake], () => "import { x } from '../daemon/supervisor.js';\nconst y = await import('../cli/main.js');\n");
  assert.equal(problems.length, 2);
});

test('a type-only edge passes only where it is listed, and a value import there does not', () => {
  const fake = join(SRC, 'cluster', 'fake.ts');
  assert.deepEqual(findForbiddenEdges([fake], () => "import type { A } from '../runtime/host-messages.js';\nexport type { B } from '../runtime/host-messages.js';\n"), []);
  assert.equal(findForbiddenEdges([fake], () => "import { isDaemonToHost } from '../runtime/host-messages.js';\n").length, 1);
  const daemonFake = join(SRC, 'daemon', 'fake.ts');
  assert.equal(findForbiddenEdges([daemonFake], () => "import type { A } from '../runtime/host-messages.js';\n").length, 1);
});

test('the import check lets an allowed edge through', () => {
  const fake = join(SRC, 'daemon', 'fake.ts');
  assert.deepEqual(findForbiddenEdges([fake], () => "import type { AppSpec } from '../core/app-spec.js';\nexport { a } from './b.js';\n"), []);
});
