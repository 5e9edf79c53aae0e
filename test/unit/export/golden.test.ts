import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TEND_VERSION } from '../../../src/core/version.js';
import { EXPORT_TARGETS, exportApps } from '../../../src/export/index.js';
import { exportOptions, SECRET_VALUES, shopApps } from './export-fixture.js';

// UPDATE_GOLDEN=1 rewrites the files; review the diff before committing it.
const GOLDEN = (target: string) => fileURLToPath(new URL(`./golden/${target}.txt`, import.meta.url));

const VARIANTS = [...EXPORT_TARGETS.map((target) => ({ target, runtime: false })), { target: 'kubernetes', runtime: true }, { target: 'compose', runtime: true }] as const;

for (const { target, runtime } of VARIANTS) {
  const name = runtime ? `${target}-runtime` : target;
  test(`${name}: the shop exports as its golden file`, () => {
    const files = exportApps(target, shopApps(), exportOptions({ runtime }));
    const text = files.map((f) => `=== ${f.name}\n${f.content}`).join('').replaceAll(`tend@${TEND_VERSION}`, 'tend@VERSION');
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN(name), text);
    assert.equal(text, readFileSync(GOLDEN(name), 'utf8'));
  });
}

for (const target of EXPORT_TARGETS) {
  test(`${target}: no secret value appears in the output, only the names`, () => {
    const text = exportApps(target, shopApps(), exportOptions()).map((f) => f.content).join('\n');
    for (const value of SECRET_VALUES) assert.ok(!text.includes(value), `${value} leaked`);
    if (target !== 'containerfile') for (const name of ['STRIPE_API_KEY', 'DB_PASSWORD', 'SMTP_TOKEN']) assert.ok(text.includes(name), `${name} not referenced`);
  });
}
