// Where the knowledge lives on disk (same relative places from src/ and dist/).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Folder holding the YAML data. */
export const DATA_DIR = join(here, '..', '..', 'data');

/** Knowledge compiled to JSON by the build (dist/knowledge.json), already schema-checked. */
export const COMPILED_PATH = join(here, '..', 'knowledge.json');
