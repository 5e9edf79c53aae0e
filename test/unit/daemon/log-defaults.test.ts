import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readLogDefaults } from '../../../src/daemon/log-defaults.js';

const cases: Array<{ config: string | null; want: ReturnType<typeof readLogDefaults> | RegExp }> = [
  { config: null, want: {} },
  { config: '{"web":{"enabled":false}}', want: {} },
  { config: '{"logs":{"max_size":"10M","retain":5,"compress":true,"rotate_interval":"1d"}}', want: { maxSizeBytes: 10 * 1024 * 1024, retain: 5, compress: true, rotateIntervalMs: 86_400_000 } },
  { config: '{"logs":{"max_size":2048}}', want: { maxSizeBytes: 2048 } },
  { config: '{"logs":{"max_size":"lots"}}', want: /logs\.max_size/ },
  { config: '{"logs":{"retain":0}}', want: /logs\.retain/ },
  { config: '{"logs":{"compress":"yes"}}', want: /logs\.compress/ },
];

test('readLogDefaults: the logs section of config.json, validated per key', (t) => {
  const home = mkdtempSync(join(tmpdir(), 'tend-log-defaults-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  for (const { config, want } of cases) {
    rmSync(join(home, 'config.json'), { force: true });
    if (config !== null) writeFileSync(join(home, 'config.json'), config);
    if (want instanceof RegExp) assert.throws(() => readLogDefaults(home), want, config ?? '');
    else assert.deepEqual(readLogDefaults(home), want, config ?? '');
  }
});
