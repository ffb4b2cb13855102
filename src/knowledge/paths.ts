// Where the knowledge lives on disk, from the package folder (the same from src/, dist/ and the bundle).
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';

/** Folder holding the YAML data. */
export const DATA_DIR = join(packageRoot(), 'data');

/** Knowledge compiled to JSON by the build (dist/knowledge.json), already schema-checked. */
export const COMPILED_PATH = join(packageRoot(), 'dist', 'knowledge.json');
