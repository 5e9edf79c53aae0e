import assert from 'node:assert/strict';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT, TendHarness } from '../../helpers/tend-harness.js';
import { ConfigDir, appShape } from './support.js';

const tend = new TendHarness();
const dir = new ConfigDir();

before(() => {
  cpSync(join(REPO_ROOT, 'test/fixtures/configs/formats'), dir.path, { recursive: true });
  // The fixture scripts exit at once; idle ones keep the table still (no crash loops) while it is
  // read. The cluster worker leaves when disconnected, so delete need not wait for kill_timeout.
  writeFileSync(join(dir.path, 'api.js'), "setInterval(() => {}, 1 << 30);\nprocess.on('disconnect', () => process.exit(0));\n");
  writeFileSync(join(dir.path, 'worker.sh'), '#!/bin/sh\nexec sleep 600\n');
});
after(async () => {
  await tend.cleanup();
  dir.remove();
});

const FORMATS = [
  'ecosystem.config.cjs',
  'cjs-js/ecosystem.config.js',
  'ecosystem.config.mjs',
  'esm-js/ecosystem.config.js',
  'ecosystem.config.ts',
  'ecosystem.config.json',
  'ecosystem.config.yaml',
  'ecosystem.config.toml',
];

test('tend start <file> gives the same apps (names, modes, instance counts) for every format', async () => {
  const shapes: Record<string, Record<string, string>> = {};
  for (const file of FORMATS) {
    await tend.ok(['start', join(dir.path, file)]);
    const list = await tend.jlist();
    shapes[file] = appShape(list);
    await tend.ok(['delete', 'all']);
  }
  const reference = shapes['ecosystem.config.cjs'];
  assert.deepEqual(reference, { api: 'cluster x2', worker: 'fork x1' });
  for (const file of FORMATS) assert.deepEqual(shapes[file], reference, file);
});
