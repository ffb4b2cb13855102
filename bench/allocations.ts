// Where one analyze stage allocates: every allocation of one pass (the objects the collector already took
// included), sampled by V8's heap profiler, summed by the function that made it and mapped back to the
// TypeScript source. Garbage is a fifth of a full pass's time, and it is made per line, so bytes per line
// show which code to change. Usage:
//   npm run bench:alloc -- <ingest|summary|engine|full> [--lines 200000] [--top 30]
// Allocations inside built-ins (Array.prototype.push, Map.prototype.set, String.prototype.slice ...) are
// counted to the source function that called them, written `push < feed`.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleStage, firstLinesLog, stageArgs } from './stage-bundle.js';

const { stage, opt } = stageArgs('npm run bench:alloc -- <ingest|summary|engine|full> [--lines N] [--top N]');
const lines = Number(opt('--lines') ?? 200_000);
const top = Number(opt('--top') ?? 30);
const here = resolve(import.meta.dirname, '..');

const log = await firstLinesLog(lines);
const bundle = await bundleStage(here, 'alloc-stage', true);
const profileFile = join(here, 'dist', `alloc-${stage}.heapprofile`);
const run = spawnSync('node', [bundle, stage, log, '1'], {
  env: { ...process.env, FWLENS_ALLOC_PROFILE: profileFile },
  encoding: 'utf8',
});
if (run.status !== 0) throw new Error(`the stage failed: ${run.stderr.slice(-2000)}`);

interface Node {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: Node[];
}
const profile = JSON.parse(readFileSync(profileFile, 'utf8')) as { head: Node };
const map = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')));
const bundleUrl = `file://${bundle}`;

/** `name (file:line)` of a frame, in the TypeScript source when it is ours. */
function place(n: Node): string {
  const f = n.callFrame;
  const name = f.functionName || '(anonymous)';
  if (f.url !== bundleUrl) return f.url ? `${name} (${f.url.replace(/^.*node_modules\//, '')})` : name;
  const e = map.findEntry(f.lineNumber, f.columnNumber) as { originalSource?: string; originalLine?: number };
  if (!e.originalSource) return `${name} (bundle:${f.lineNumber + 1})`;
  const file = e.originalSource.startsWith('file:') ? fileURLToPath(e.originalSource) : e.originalSource;
  return `${name} (${relative(here, resolve(join(here, 'dist'), file))}:${(e.originalLine ?? 0) + 1})`;
}

const bySite = new Map<string, number>();
let total = 0;
/** Sum self sizes by site; a built-in's allocations go to the nearest source function above it. */
function walk(n: Node, caller: string | undefined): void {
  const builtin = n.callFrame.url === '';
  const site = place(n);
  const key = builtin && caller ? `${site} < ${caller}` : site;
  if (n.selfSize > 0) {
    bySite.set(key, (bySite.get(key) ?? 0) + n.selfSize);
    total += n.selfSize;
  }
  for (const c of n.children) walk(c, builtin ? caller : site);
}
walk(profile.head, undefined);

const mb = (b: number) => (b / 1e6).toFixed(1);
process.stdout.write(
  `${stage}: ${mb(total)} MB allocated in one pass over ${lines.toLocaleString('en-US')} lines = ${Math.round(total / lines).toLocaleString('en-US')} bytes per line (sampled every 16 KB)\n`,
);
for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, top))
  process.stdout.write(
    `${((bytes / total) * 100).toFixed(1).padStart(5)} %  ${mb(bytes).padStart(7)} MB  ${String(Math.round(bytes / lines)).padStart(5)} B/line  ${site}\n`,
  );
