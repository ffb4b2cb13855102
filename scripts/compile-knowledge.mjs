// Build step: check data/*.yaml against the schema once and write dist/knowledge.json, so the CLI
// starts with a JSON.parse instead of YAML parsing and schema checks.
import { writeFileSync } from 'node:fs';
import { loadKnowledgeData } from '../dist/knowledge/load.js';
import { COMPILED_PATH } from '../dist/knowledge/paths.js';

writeFileSync(COMPILED_PATH, JSON.stringify(loadKnowledgeData()));
