import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { APP_CONFIG_PATH, SCHEMA_PATH, renderAppConfigTypes, renderSchemaFile } from '../../../scripts/gen-schema.js';
import { buildJsonSchema, defineConfig } from '../../../src/config/index.js';
import { OPTIONS } from '../../../src/config/option-table.js';

const STALE = 'is stale: run `node --import tsx scripts/gen-schema.ts`';

describe('files generated from the option table', () => {
  it(`schema/tend.schema.json is up to date`, () => {
    assert.equal(readFileSync(SCHEMA_PATH, 'utf8'), renderSchemaFile(), `schema/tend.schema.json ${STALE}`);
  });
  it('src/config/app-config.ts is up to date', () => {
    assert.equal(readFileSync(APP_CONFIG_PATH, 'utf8'), renderAppConfigTypes(), `app-config.ts ${STALE}`);
  });
  it('the schema documents every option and alias', () => {
    const app = (buildJsonSchema().definitions as { app: { properties: Record<string, { description?: string }> } }).app;
    for (const def of OPTIONS) {
      for (const name of [def.key, ...((def as { aliases?: readonly string[] }).aliases ?? [])]) {
        assert.ok(app.properties[name]?.description, `${name} has a description`);
      }
    }
  });
  it('defineConfig returns its argument', () => {
    const config = { apps: [{ script: 'app.js', instances: 'max' as const, env_production: { A: 1 } }] };
    assert.equal(defineConfig(config), config);
  });
});
