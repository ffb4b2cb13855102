// Every example in docs/api.md runs against the library (src/index.ts) and prints the output shown under it.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const run = promisify(execFile);
const DOC = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');
const ENTRY = pathToFileURL(join(ROOT, 'src', 'index.ts')).href;

/** Each ```ts block with the ```text block that follows it. */
const EXAMPLES = [...DOC.matchAll(/```ts\n([\s\S]*?)```\s*\n```text\n([\s\S]*?)```/g)].map((m) => ({
  code: m[1]!,
  output: m[2]!,
}));

describe('docs/api.md examples', () => {
  it('has examples, each with the output it prints', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(5);
    expect((DOC.match(/```ts/g) ?? []).length).toBe(EXAMPLES.length);
  });

  const dir = mkdtempSync(join(tmpdir(), 'fwlens-api-doc-'));
  for (const [i, { code, output }] of EXAMPLES.entries())
    it(`example ${i + 1}: ${code.split('\n')[0]}`, async () => {
      const file = join(dir, `example-${i + 1}.mts`);
      writeFileSync(file, code.replaceAll("from 'fwlens'", `from '${ENTRY}'`));
      const { stdout } = await run(process.execPath, ['--import', 'tsx', file], { cwd: ROOT });
      expect(stdout).toBe(output);
    }, 60_000);
});
