/**
 * The JSON Schema of an ecosystem file, derived from the option table that validates it, so
 * editors check YAML and JSON files by the same rules. schema/tend.schema.json is this
 * object, written by scripts/gen-schema.ts; a unit test keeps the two equal.
 */
import { envKind, type JsonSchema } from './option-kinds.js';
import { OPTION_NOTES } from './option-notes.js';
import { OPTIONS, type OptionDef } from './option-table.js';

export function buildJsonSchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const scriptNames: string[] = [];
  for (const def of OPTIONS as readonly OptionDef[]) {
    properties[def.key] = { description: def.doc, ...def.kind.json };
    for (const alias of def.aliases ?? []) {
      properties[alias] = { description: `Alias of ${def.key}. ${def.doc}`, ...def.kind.json };
    }
    if (def.key === 'script') scriptNames.push(def.key, ...(def.aliases ?? []));
  }
  for (const [key, note] of Object.entries(OPTION_NOTES)) {
    if (note.effect === 'none') properties[key] = { description: `No effect in tend: ${note.reason}.`, deprecated: true };
  }
  const app: JsonSchema = {
    type: 'object',
    description: 'One app.',
    properties,
    patternProperties: {
      '^env_(?!file$).+$': { description: 'Environment used with `--env <name>`, merged over env.', ...envKind.json },
    },
    additionalProperties: false,
    anyOf: scriptNames.map((name) => ({ required: [name] })),
  };
  const appRef = { $ref: '#/definitions/app' };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'tend ecosystem file',
    description: 'Apps for the tend process manager (PM2-compatible).',
    definitions: { app },
    oneOf: [
      {
        type: 'object',
        properties: {
          apps: { type: 'array', items: appRef, minItems: 1 },
          deploy: { description: 'PM2 deploy section; ignored by tend.', type: 'object' },
        },
        required: ['apps'],
        additionalProperties: false,
      },
      { type: 'array', items: appRef, minItems: 1 },
      appRef,
    ],
  };
}
