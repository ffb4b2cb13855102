// What bench/instructions.ts and bench/allocations.ts share: the first N lines of the 1M benchmark log as a
// file of their own, and bench/instr-stage.ts bundled inside a checkout (so it finds that checkout's package
// folder, knowledge and context data, and its imports resolve to that checkout's modules).
import { copyFileSync, createReadStream, createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { ensureLog, OUT_DIR } from './logs.js';

/** The stages bench/instr-stage.ts runs. */
export const STAGES = ['ingest', 'summary', 'engine', 'full'] as const;

/**
 * The stage named first on the command line and an option reader (`opt('--lines')`); a missing or unknown
 * stage prints `usage` and exits 2.
 */
export function stageArgs(usage: string): { stage: string; opt: (name: string) => string | undefined } {
  const args = process.argv.slice(2);
  const stage = args[0];
  if (!stage || !(STAGES as readonly string[]).includes(stage)) {
    process.stderr.write(`usage: ${usage}\n`);
    process.exit(2);
  }
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  return { stage, opt };
}

/** The first `lines` lines of the 1M benchmark log (made once, kept in bench/out/). */
export async function firstLinesLog(lines: number): Promise<string> {
  const source = await ensureLog(1_000_000);
  if (typeof source === 'string') throw new Error(`cannot make the benchmark log: ${source}`);
  const log = join(OUT_DIR, `instr-${lines}.log`);
  if (!existsSync(log)) {
    const out = createWriteStream(log);
    let n = 0;
    for await (const line of createInterface({ input: createReadStream(source.path) })) {
      if (n++ >= lines) break;
      out.write(`${line}\n`);
    }
    await new Promise((done) => out.end(done));
  }
  return log;
}

/**
 * bench/instr-stage.ts bundled into `<checkout>/dist/<name>.mjs` (a source map beside it when asked); the stage
 * script is copied into the checkout's dist/, a sibling of its src/, like bench/.
 */
export async function bundleStage(checkout: string, name: string, sourcemap = false): Promise<string> {
  mkdirSync(join(checkout, 'dist'), { recursive: true });
  const entry = join(checkout, 'dist', 'instr-stage.ts');
  copyFileSync(join(import.meta.dirname, 'instr-stage.ts'), entry);
  const bundle = join(checkout, 'dist', `${name}.mjs`);
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: bundle,
    ...(sourcemap ? { sourcemap: 'external' as const } : {}),
    external: ['@duckdb/*', 'playwright-core'],
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: 'error',
  });
  return bundle;
}
