// Long fuzz run (issue 14): per format, N mutated lines through ingest() and a per-line timer; table in docs/fuzz.md.
// Usage: npm run fuzz -- [--lines 1000000] [--format <id>] [--seed N] [--batch 500] [--stall 120] [--out docs/fuzz.md]
// Each format runs on a worker thread, stopped when a batch makes no progress for --stall seconds.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import {
  captureArbitrary,
  describe,
  type FuzzMode,
  type FuzzTarget,
  fuzzTargets,
  GROWTH_LIMIT,
  growthCheck,
  lineArbitrary,
  MAX_OVERLONG_BYTES,
  readerLines,
  renderCapture,
  runBatch,
  slowestStep,
  textBatch,
  type WorstLine,
  worstLine,
} from '../test/support/fuzz.js';

const ROOT = join(import.meta.dirname, '..');
/** Where the slowest line of each format is written in full when it took over 1 ms. */
const SLOW_DIR = join(ROOT, 'bench', 'out', 'fuzz-slow');
const USAGE = `usage: npm run fuzz -- [--lines 1000000] [--format <id>] [--seed N] [--batch 500] [--out docs/fuzz.md]
  --lines    mutated lines per format (packets for captures), default 1000000
  --format   one format id (or "envelope"); default every format
  --seed     fast-check seed, default 1412
  --batch    mutated lines per ingest() call, default 500
  --stall    seconds without progress after which a format's run is stopped (a line that never ends), default 120
  --out      where the Markdown table goes, default docs/fuzz.md ("-" for stdout only)`;

/** Options of one long run. */
interface FuzzOptions {
  lines: number;
  format?: string;
  seed: number;
  batch: number;
  /** Seconds a batch (or the growth check) may take before the format's run is stopped. */
  stall: number;
  out: string;
}

/** Parse argv; a bad value is one sentence and exit code 2. */
function fuzzOptions(argv: string[]): FuzzOptions {
  const fail = (text: string): never => {
    process.stderr.write(`${text}\n${USAGE}\n`);
    process.exit(2);
  };
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        lines: { type: 'string', default: '1000000' },
        format: { type: 'string' },
        seed: { type: 'string', default: '1412' },
        batch: { type: 'string', default: '500' },
        stall: { type: 'string', default: '120' },
        out: { type: 'string', default: 'docs/fuzz.md' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e) {
    return fail((e as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const int = (name: string, min: number): number => {
    const n = Number(values[name]);
    return Number.isSafeInteger(n) && n >= min
      ? n
      : fail(`--${name} must be a whole number of at least ${min}.`);
  };
  return {
    lines: int('lines', 1),
    format: values.format as string | undefined,
    seed: int('seed', 0),
    batch: int('batch', 1),
    stall: int('stall', 1),
    out: values.out as string,
  };
}

/** One row of the result table. */
interface Row {
  id: string;
  lines: number;
  exceptions: number;
  lost: number;
  worst: (WorstLine & { slowest: string }) | undefined;
  linesPerSecond: number;
  growth: string;
  /** First few failures, one line each. */
  failures: string[];
  /** Set when the run of this format was stopped: what did not finish. */
  stalled?: string;
}

const say = (text: string) => process.stderr.write(`${text}\n`);

/** Seed of one batch of one target: differs per target and per batch, fixed by the run's seed. */
function batchSeed(seed: number, targetIndex: number, batch: number): number {
  return (seed * 1_000_003 + targetIndex * 7919 + batch) % 2_147_483_647;
}

function emptyRow(id: string): Row {
  return {
    id,
    lines: 0,
    exceptions: 0,
    lost: 0,
    worst: undefined,
    linesPerSecond: 0,
    growth: '',
    failures: [],
  };
}

/** Fuzz one target; `progress` hears the row so far before each batch and before the growth check. */
async function fuzzTarget(
  target: FuzzTarget,
  index: number,
  opts: FuzzOptions,
  progress: (row: Row, phase: string) => void,
): Promise<Row> {
  const row = emptyRow(target.id);
  const note = (text: string) => {
    if (row.failures.length < 5) row.failures.push(text);
  };
  let ingestMs = 0;
  const started = performance.now();
  for (let b = 0; row.lines < opts.lines; b++) {
    const seed = batchSeed(opts.seed, index, b);
    const mode: FuzzMode = target.format && b % 2 === 1 ? 'forced' : 'auto';
    progress(row, `batch ${b} (seed ${seed}, ${mode})`);
    let report: Awaited<ReturnType<typeof runBatch>>;
    let fed: number;
    let body: string[] = [];
    const t0 = performance.now();
    if (target.captures.length > 0) {
      const [cap] = fc.sample(captureArbitrary(target.captures.length), { seed, numRuns: 1 });
      report = await runBatch(target, [renderCapture(cap!, target.captures)], mode, true);
      fed = Math.max(1, report.lines);
    } else {
      const lines = fc.sample(lineArbitrary(target.seeds.length, { maxOverlong: MAX_OVERLONG_BYTES }), {
        seed,
        numRuns: Math.min(opts.batch, opts.lines - row.lines),
      });
      // Every eighth batch opens with its mutated lines (no clean head): binary sniff, JSON documents.
      const chunks = textBatch(target, lines, b % 8 !== 7);
      body = readerLines(chunks.at(-1)!);
      report = await runBatch(target, chunks, mode);
      fed = body.length;
    }
    ingestMs += performance.now() - t0;
    row.lines += fed;
    if (report.exception !== undefined) row.exceptions++;
    row.lost += report.lost;
    for (const v of report.violations) note(`batch seed ${seed} (${mode}): ${v.slice(0, 300)}`);
    if (body.length > 0) {
      const worst = worstLine(body, target, mode);
      row.exceptions += worst.exceptions.length;
      for (const e of worst.exceptions) note(`batch seed ${seed} (${mode}), timing pass: ${e}`);
      if (!row.worst || worst.micros > row.worst.micros) {
        const step = slowestStep(worst.text, target, mode);
        row.worst = { ...worst, slowest: `${step.step}, ${step.micros.toFixed(0)} µs` };
      }
    }
    if (b % 20 === 0) say(`  ${target.id}: ${row.lines.toLocaleString('en-US')} lines`);
  }
  row.linesPerSecond = row.lines / (ingestMs / 1000);
  if (target.captures.length === 0) {
    progress(row, 'growth check');
    const failure = growthCheck(target, { maxSeeds: 3 });
    row.growth = failure
      ? `**${failure.ratio.toFixed(1)}x** at ${failure.size} B (${failure.variant})`
      : `ok (≤ ${GROWTH_LIMIT}x)`;
  } else row.growth = 'n/a (binary)';
  say(`  ${target.id}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return row;
}

/** Text safe to show in Markdown: controls, non-ASCII (bidi overrides ...) and backticks escaped. */
function printable(text: string): string {
  return JSON.stringify(text)
    .slice(1, -1)
    .replace(/[^\x20-\x7e]|`/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load average at start ${loadavg()[0]!.toFixed(1)}`;
}

function gitHead(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** The Markdown report of a run. */
function report(
  rows: Row[],
  opts: FuzzOptions,
  command: string,
  startedAt: Date,
  head: string,
  host: string,
): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const table = rows.map((r) => {
    const worst = r.stalled
      ? `**stopped**: ${r.stalled}`
      : r.worst
        ? `${r.worst.micros < 1000 ? r.worst.micros.toFixed(0) : `**${r.worst.micros.toFixed(0)}**`} µs (${r.worst.bytes.toLocaleString('en-US')} B)`
        : 'n/a';
    return `| ${r.id} | ${r.lines.toLocaleString('en-US')} | ${r.exceptions} | ${r.lost} | ${worst} | ${Math.round(r.linesPerSecond).toLocaleString('en-US')} | ${cell(r.growth)} |`;
  });
  const failures = rows.flatMap((r) =>
    [...(r.stalled ? [`stopped: ${r.stalled}`] : []), ...r.failures].map(
      (f) => `- ${r.id}: ${cell(printable(f))}`,
    ),
  );
  const slow = rows
    .filter((r) => r.worst && r.worst.micros >= 1000)
    .map((r) => {
      const w = r.worst!;
      return `- ${r.id}, ${w.micros.toFixed(0)} µs (slowest step: ${w.slowest}): \`${printable(w.text.slice(0, 160))}\`…`;
    });
  return `# Fuzz run

Command: \`${command}\`
Date: ${startedAt.toISOString()}
Commit: ${head}
Machine: ${host}
Seed: ${opts.seed} (batches of ${opts.batch} mutated lines; overlong values up to ${MAX_OVERLONG_BYTES.toLocaleString('en-US')} bytes)

${
  opts.lines < 1_000_000
    ? `**A small run** (${opts.lines.toLocaleString('en-US')} mutated lines per format) that checks the tool works; the run the
issue asks for is \`npm run fuzz -- --lines 1000000\` on an otherwise idle machine.\n\n`
    : ''
}Every format's fixture lines (inputs and rejects), mutated by the structure-aware fuzzer in
\`test/support/fuzz.ts\` (the same generator the suite runs in \`test/fuzz.test.ts\`): fields deleted,
duplicated, overlong; separators swapped and inserted; invalid UTF-8, Latin-1 and UTF-16 bytes;
truncation at any byte; NUL runs; CR and CR-only line ends; bidi overrides; ANSI escapes; markup;
lines glued together; huge and negative numbers; envelopes (syslog RFC 3164/5424, journald JSON and
export, dmesg, PVE) wrapped around them. Captures (pcap) get byte flips, absurd lengths, copies and
truncation. Each batch goes through \`ingest()\` on an in-memory stream, half with auto-detection and
half with the format forced.

- **exceptions**: batches where an exception escaped \`ingest()\`.
- **lost lines**: lines missing from (or counted twice in) the accounting \`lines = events - multiEventExtra + malformed + non-traffic + unrecognized + blank\`, against the lines fed.
- **worst line**: slowest single line through the envelope reader and the format router (what ingest runs per line), re-timed alone twenty more times when over 0.2 ms (the memo of the last line's JSON parse and depth scan replaced first, so each timing pays in full), keeping the fastest (its steady cost: a collection pause, a first compilation or a busy machine does not count); lines over the 64 KiB length cap are not timed (ingest counts them as too long and never routes them); with its length in bytes.
- **stopped**: the format ran on a worker thread that was stopped after ${opts.stall} s without progress: a line of that batch did not finish (a catastrophic regular expression); the row counts the batches before it.
- **lines/s**: mutated lines per second through \`ingest()\` (mutated lines are many times slower than clean ones: most go through every format's detect()).
- **work per byte 4 KB → 60 KB**: the growth check of the suite over every hostile variant of up to three seed lines; bold when the work per byte grew more than ${GROWTH_LIMIT}x (super-linear).

| format | mutated lines | exceptions | lost lines | worst line | lines/s | work per byte 4 KB → 60 KB |
|---|--:|--:|--:|--:|--:|---|
${table.join('\n')}
${failures.length > 0 ? `\n## Failures\n\n${failures.join('\n')}\n` : ''}${slow.length > 0 ? `\n## Lines over 1 ms (first 160 characters, escaped; in full in bench/out/fuzz-slow/ after a run)\n\n${slow.join('\n')}\n` : ''}`;
}

async function main(): Promise<void> {
  const opts = fuzzOptions(process.argv.slice(2));
  const all = fuzzTargets();
  const targets = opts.format ? all.filter((t) => t.id === opts.format) : all;
  if (targets.length === 0) {
    process.stderr.write(`Unknown format "${opts.format}"; known: ${all.map((t) => t.id).join(', ')}.\n`);
    process.exit(2);
  }
  const startedAt = new Date();
  const host = machine();
  const command = `npm run fuzz -- ${process.argv.slice(2).join(' ')}`.trim();
  const rows: Row[] = [];
  for (const target of targets) {
    say(`${target.id} ...`);
    rows.push(await fuzzInWorker(target.id, all.indexOf(target), opts));
  }
  const text = report(rows, opts, command, startedAt, gitHead(), host);
  // The slow lines in full, to reproduce them (bench/out/ is not committed).
  mkdirSync(SLOW_DIR, { recursive: true });
  for (const r of rows)
    if (r.worst && r.worst.micros >= 1000) writeFileSync(join(SLOW_DIR, `${r.id}.txt`), `${r.worst.text}\n`);
  if (opts.out === '-') process.stdout.write(text);
  else {
    writeFileSync(resolve(ROOT, opts.out), text);
    say(`table written to ${opts.out}`);
  }
  const bad = rows.filter((r) => r.exceptions > 0 || r.lost > 0 || r.stalled);
  if (bad.length > 0) {
    say(`exceptions, lost lines or a stopped run in: ${bad.map((r) => r.id).join(', ')}`);
    process.exit(1);
  }
}

/**
 * Run one target on a worker thread; a synchronous parser stuck on one line (a catastrophic regular
 * expression) cannot be interrupted in-process, so the worker is stopped when it reports no progress
 * for `opts.stall` seconds and the row says what did not finish.
 */
function fuzzInWorker(id: string, index: number, opts: FuzzOptions): Promise<Row> {
  return new Promise((done) => {
    // The worker runs this TypeScript file too: it registers the same loader (tsx) first, then imports it.
    const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); });`;
    const worker = new Worker(boot, { eval: true, workerData: { index, opts } });
    let row = emptyRow(id);
    let phase = 'start';
    let lastProgress = Date.now();
    const finish = (result: Row) => {
      clearInterval(watchdog);
      void worker.terminate();
      done(result);
    };
    const watchdog = setInterval(() => {
      if (Date.now() - lastProgress < opts.stall * 1000) return;
      if (phase === 'growth check') row.growth = `**stopped** (no result in ${opts.stall} s)`;
      else {
        row.stalled = `${phase} did not finish in ${opts.stall} s`;
        row.growth = 'not run (stopped before)';
      }
      say(`  ${id}: stopped, ${phase} made no progress for ${opts.stall} s`);
      finish(row);
    }, 1000);
    worker.on('message', (m: { kind: 'progress' | 'done'; row: Row; phase: string }) => {
      row = m.row;
      phase = m.phase;
      lastProgress = Date.now();
      if (m.kind === 'done') finish(row);
    });
    worker.on('error', (e) => {
      row.exceptions++;
      row.failures.push(`the run stopped: ${describe(e)}`);
      finish(row);
    });
  });
}

if (isMainThread) await main();
else {
  const { index, opts } = workerData as { index: number; opts: FuzzOptions };
  const target = fuzzTargets()[index]!;
  const post = (kind: 'progress' | 'done', row: Row, phase: string) =>
    parentPort!.postMessage({ kind, row, phase });
  const row = await fuzzTarget(target, index, opts, (r, phase) => post('progress', r, phase));
  post('done', row, 'done');
}
