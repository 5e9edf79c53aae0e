import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DAEMON_NODE_FLAGS } from '../../../src/api/daemon-launcher.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

function launcherLine(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8').split('\n')[1] ?? '';
}

test("tend-runtime's shell launcher starts node with the daemon's flags, in both of its branches", () => {
  const line = launcherLine('src/bin/tend-runtime.ts');
  const starts = line.split('"${TEND_NODE:-node}"').slice(1);
  assert.equal(starts.length, 2, line);
  for (const start of starts) assert.ok(start.startsWith(` ${DAEMON_NODE_FLAGS.join(' ')} "$0" "$@"`), start);
});

test('the built tend-runtime keeps the launcher as its second line', () => {
  assert.equal(readFileSync(join(ROOT, 'dist/bin/tend-runtime.js'), 'utf8').split('\n')[0], '#!/bin/sh');
  assert.equal(launcherLine('dist/bin/tend-runtime.js'), launcherLine('src/bin/tend-runtime.ts'));
});
