// The published JSON schemas (schema/*.schema.json) in one validator with formats checked, for every test.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import { ROOT } from '../helpers.js';

// ajv-formats is CommonJS: under NodeNext its default export arrives wrapped.
const addFormats = ((formatsModule as unknown as { default?: typeof formatsModule }).default ??
  formatsModule) as unknown as (ajv: Ajv2020) => void;

/** A validator holding every schema in schema/ by its $id (`report.schema.json`, `event.schema.json` ...). */
export function schemaValidator(): {
  validate(id: string, doc: unknown): boolean;
  errors(): string;
} {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  const dir = join(ROOT, 'schema');
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.schema.json')))
    ajv.addSchema(JSON.parse(readFileSync(join(dir, f), 'utf8')));
  return {
    validate: (id, doc) => ajv.validate(id, doc) as boolean,
    errors: () => ajv.errorsText(),
  };
}
