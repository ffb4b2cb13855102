// Instructions per pass of one analyze stage, counted by valgrind (cachegrind): unlike seconds they do not
// move with the machine's load, so two builds can be compared on a busy machine. Usage:
//   npm run bench:instructions -- <ingest|summary|engine|full> [--lines 20000] [--against <dir>]
// Each stage runs once and three times in one process under `node --single-threaded` (no concurrent
// compiler or collector threads); half the difference is one warm pass, start-up and the first compilation
// left out. The passes run after a full collection with a young generation that starts at 1 GB
// (`--min-semi-space-size`; `--max-semi-space-size` alone only let it grow there after scavenges, so the
// `ingest` and `full` passes, which start from a small heap, collected 9-24 times a run) and without the
// memory reducer: V8 schedules collections partly by wall-clock time (scavenge and marking tasks, the memory
// reducer's timer), which valgrind's slowdown and the machine's load move, and counts with collections
// inside moved by up to 30 % between runs of one build (`full` at one commit: 125,493 to 174,380 per line).
// So the count is the mutator's work; what it allocates (the collector's work) is `npm run bench:alloc`.
// The collections the passes still made are printed (`full` makes one scavenge in its three passes, for the
// read buffers' external memory; it comes at the same point in every run).
// `--against <dir>` counts the same stage in another checkout of fwlens (a `git worktree` of an older
// commit) for an A/B with the digest of what each made.
import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { bundleStage, firstLinesLog, stageArgs } from './stage-bundle.js';

const { stage, opt } = stageArgs(
  'npm run bench:instructions -- <ingest|summary|engine|full> [--lines N] [--against DIR]',
);
if (spawnSync('valgrind', ['--version']).status !== 0) {
  process.stderr.write('bench:instructions needs valgrind (apt-get install -y valgrind)\n');
  process.exit(2);
}
const lines = Number(opt('--lines') ?? 20_000);
const here = resolve(import.meta.dirname, '..');
const checkouts = [here, ...(opt('--against') ? [resolve(opt('--against')!)] : [])];

const log = await firstLinesLog(lines);

/**
 * Instructions valgrind counted for one run of the bundle, and the collections its passes made (`--trace-gc`
 * lines after the full collection the stage asks for before them).
 */
function instructions(bundle: string, runs: number): { count: number; digest: string; collections: number } {
  const r = spawnSync(
    'valgrind',
    [
      '--tool=cachegrind',
      '--cache-sim=no',
      '--cachegrind-out-file=/dev/null',
      'node',
      '--single-threaded',
      '--min-semi-space-size=1024',
      '--max-semi-space-size=1024',
      '--no-memory-reducer',
      '--trace-gc',
      '--expose-gc',
      bundle,
      stage!,
      log,
      String(runs),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  const refs = /I\s+refs:\s+([\d,]+)/.exec(r.stderr);
  if (r.status !== 0 || !refs) throw new Error(`valgrind run failed: ${r.stderr.slice(-2000)}`);
  const gcs = r.stdout.split('\n').filter((l) => /: (?:Scavenge|Mark-Compact|Minor Mark-Compact) /.test(l));
  const begun = gcs.findLastIndex((l) => l.includes('testing'));
  return {
    count: Number(refs[1]!.replace(/,/g, '')),
    digest: r.stdout.trim().split(' ').pop()!,
    collections: gcs.length - begun - 1,
  };
}

for (const dir of checkouts) {
  const bundle = await bundleStage(dir, 'instr-stage');
  const one = instructions(bundle, 1);
  const three = instructions(bundle, 3);
  const perPass = (three.count - one.count) / 2;
  const commit = execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], {
    encoding: 'utf8',
  }).trim();
  process.stdout.write(
    `${stage} at ${commit} (${dir === here ? 'this checkout' : dir}): ${Math.round(perPass / 1e6).toLocaleString('en-US')} M instructions per pass over ${lines.toLocaleString('en-US')} lines, ${Math.round(perPass / lines).toLocaleString('en-US')} per line; digest ${three.digest}; collections in the passes ${one.collections} / ${three.collections}\n`,
  );
}
