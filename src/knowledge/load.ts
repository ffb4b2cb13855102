// Reads data/*.yaml and checks it against the schema (build step, tests, and edited data at run time).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DATA_DIR } from './paths.js';
import { KnowledgeData, SECTION_FILES } from './schema.js';

/** Read every data file and validate it against the schema; throws a readable error on the first problem. */
export function loadKnowledgeData(dir = DATA_DIR): KnowledgeData {
  const raw: Record<string, unknown[]> = {};
  for (const [section, files] of Object.entries(SECTION_FILES)) {
    const items: unknown[] = [];
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(join(dir, file), 'utf8');
      } catch {
        continue; // a section file may be absent; the schema still checks what exists
      }
      const parsed = parseYaml(text) as unknown;
      if (parsed === null || parsed === undefined) continue;
      if (!Array.isArray(parsed)) throw new Error(`knowledge file ${file} must be a YAML list of entries`);
      items.push(...parsed);
    }
    raw[section] = items;
  }
  const result = KnowledgeData.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`knowledge base is invalid at ${issue.path.join('.')}: ${issue.message}`);
  }
  return result.data;
}
