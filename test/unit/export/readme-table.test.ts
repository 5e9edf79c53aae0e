import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { renderMappingMarkdown } from '../../../src/export/index.js';

const README = fileURLToPath(new URL('../../../README.md', import.meta.url));
const START = '<!-- export-table: generated from src/export/mapping-table.ts -->\n';
const END = '<!-- /export-table -->';

test("the README's export table is the code's mapping table", () => {
  const text = readFileSync(README, 'utf8');
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  assert.ok(from >= 0 && to > from, 'README has the export-table markers');
  const current = text.slice(from + START.length, to);
  const wanted = renderMappingMarkdown();
  if (process.env.UPDATE_README && current !== wanted) writeFileSync(README, text.slice(0, from + START.length) + wanted + text.slice(to));
  else assert.equal(current, wanted, 'run UPDATE_README=1 node scripts/run-tests.mjs test/unit/export/readme-table.test.ts');
});
