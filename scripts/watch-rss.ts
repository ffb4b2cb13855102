// RSS and live heap of a real `fwlens watch` following a file that a writer appends to, sampled over time.
//
//   node --import tsx scripts/watch-rss.ts [--seconds 180] [--input endless|spoofed] [--rate 500|flood]
//        [--built] [--node-flags '--max-old-space-size=300'] [--every 10] [--lines N] [--store | --store-copy FILE] [--stderr-file F]
//        [--watch-flags '--max-size 100MB']
//
// The writer appends `--rate` lines a second (in tenths of a second), or with `--rate flood` as fast as the
// watcher reads them (kept at most 200,000 lines ahead of what its status says it read). The watcher is the
// CLI from source (tsx), or with `--built` `node bin/fwlens.js` (after `npm run build`), started with
// `--expose-gc` and test/support/heap-signal.mjs, so at the end a SIGUSR2 makes it collect garbage fully and
// report its live heap. With `--lines N` the N lines are written before the watcher starts, and the run ends
// once it has read them all (or after `--seconds`): the time and CPU it took are its throughput. Prints VmRSS (from /proc/<pid>/status) every `--every` seconds, then the peak RSS of
// each fifth of the run, the live heap after a full GC, lines read, lines/s and lines per CPU second of the
// watcher (user + system time of all its threads: steadier than lines/s on a machine shared with others). With
// `--store` the watcher also writes every event into a DuckDB store in the run's folder (`watch --store`), whose
// buffers then count in its RSS; the store file's size and what DuckDB says it holds (`duckdb_memory()` after the
// watcher's last commit, from its status file) are printed with each sample. At the end the event loop's stalls
// of 0.5 s or more and the longest, from test/support/stall-sampler.mjs preloaded into the watcher (and from
// its status, for builds that have the figure). Not part of `npm test`.
import { spawn } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from '../test/helpers.js';
import { endlessLine, spoofedLine } from '../test/support/watch-memory.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const seconds = Number(arg('seconds') ?? 180);
const input = arg('input') ?? 'endless';
if (input !== 'endless' && input !== 'spoofed') throw new Error('--input is endless or spoofed');
const lineOf = input === 'spoofed' ? spoofedLine : endlessLine;
const rateArg = arg('rate') ?? '500';
const flood = rateArg === 'flood';
const rate = flood ? 0 : Number(rateArg);
const every = Number(arg('every') ?? 10);
const built = process.argv.includes('--built');
const nodeFlags = arg('node-flags')?.split(' ').filter(Boolean) ?? [];
/** `--watch-flags '...'`: more arguments for the watcher itself (e.g. `--max-size 100MB`, `--store-hold 2`). */
const watchFlags = arg('watch-flags')?.split(' ').filter(Boolean) ?? [];
const fixedLines = arg('lines') === undefined ? undefined : Number(arg('lines'));
const mb = (b: number) => `${Math.round(b / 1048576)} MB`;
const withStore = process.argv.includes('--store') || arg('store-copy') !== undefined;
/** `--store-copy FILE`: the watcher writes into a copy of this store (a store grown before), not a new one. */
const storeCopy = arg('store-copy');

const temp = mkdtempSync(join(tmpdir(), 'fwlens-rss-'));
const log = join(temp, 'fw.log');
const stateDir = join(temp, 'state');
const report = join(temp, 'heap.json');
const stallReport = join(temp, 'stalls.json');
const storeFile = join(temp, 'store.duckdb');
const storeSize = () => (withStore && existsSync(storeFile) ? `, store ${mb(statSync(storeFile).size)}` : '');
writeFileSync(log, '');
if (storeCopy) copyFileSync(storeCopy, storeFile);
let written = 0;
const append = (n: number) => {
  let text = '';
  for (let k = 0; k < n; k++) text += `${lineOf(written++)}\n`;
  appendFileSync(log, text);
};
if (fixedLines !== undefined) while (written < fixedLines) append(Math.min(20_000, fixedLines - written));

const rssOf = (pid: number): number => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
};
/** CPU seconds the process used so far (user + system, all its threads: the collector's too). */
const cpuOf = (pid: number): number => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
};
const status = (): {
  lines: number;
  heapUsed: number;
  heapTotal?: number;
  engine?: number;
  enginePeak?: number;
  commits?: number;
  lastCommitMs?: number;
} => {
  try {
    const s = JSON.parse(readFileSync(join(stateDir, 'status.json'), 'utf8'));
    return {
      lines: s.counts?.lines ?? 0,
      heapUsed: s.heapUsedBytes ?? 0,
      heapTotal: s.heapTotalBytes,
      engine: s.store?.engineMemoryBytes,
      enginePeak: s.store?.engineMemoryPeakBytes,
      commits: s.store?.commits,
      lastCommitMs: s.store?.lastCommitMs,
    };
  } catch {
    return { lines: 0, heapUsed: 0 };
  }
};
/** DuckDB's own account of its memory after the watcher's last commit (the status file's `store`). */
const engineOf = (s: ReturnType<typeof status>) =>
  s.engine === undefined ? '' : `, DuckDB ${mb(s.engine)} (peak ${mb(s.enginePeak ?? 0)})`;

const cli = built
  ? [join(ROOT, 'bin', 'fwlens.js')]
  : ['--import', 'tsx', join(ROOT, 'test', 'support', 'cli-process.ts')];
const child = spawn(
  process.execPath,
  [
    ...nodeFlags,
    '--expose-gc',
    '--import',
    join(ROOT, 'test', 'support', 'heap-signal.mjs'),
    '--import',
    join(ROOT, 'test', 'support', 'stall-sampler.mjs'),
    ...cli,
    'watch',
    log,
    '--from',
    'start',
    '--state-dir',
    stateDir,
    '--json',
    ...(withStore ? [`--store=${storeFile}`] : []),
    ...watchFlags,
  ],
  {
    cwd: ROOT,
    env: {
      ...process.env,
      LANG: 'en_US.UTF-8',
      NO_COLOR: '1',
      FWLENS_HEAP_REPORT: report,
      FWLENS_STALL_REPORT: stallReport,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  },
);
let stderr = '';
// `--stderr-file F`: all the watcher wrote on stderr, e.g. DuckDB's allocator statistics at exit
// (DUCKDB_JE_MALLOC_CONF=stats_print:true in the environment).
const stderrFile = arg('stderr-file');
if (stderrFile) writeFileSync(stderrFile, '');
child.stderr!.on('data', (d: Buffer) => {
  if (stderr.length < 1 << 16) stderr += d;
  if (stderrFile) appendFileSync(stderrFile, d);
});
const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

const samples: { at: number; rss: number }[] = [];
/** The store's commit times as the status file gives them (its last commit's, each time its count of commits moves). */
const commitMs: number[] = [];
let commitsSeen = 0;
const started = Date.now();
let nextPrint = every;
while (Date.now() - started < seconds * 1000 && child.exitCode === null) {
  if (fixedLines !== undefined) {
    if (status().lines >= fixedLines) break;
  } else if (flood) {
    if (written - status().lines < 200_000) append(20_000);
  } else {
    const due = Math.floor(((Date.now() - started) / 1000) * rate);
    if (due > written) append(due - written);
  }
  await sleep(100);
  const at = (Date.now() - started) / 1000;
  samples.push({ at, rss: rssOf(child.pid!) });
  if (withStore) {
    const s = status();
    if (s.commits !== undefined && s.commits > commitsSeen && s.lastCommitMs !== undefined) {
      commitsSeen = s.commits;
      commitMs.push(s.lastCommitMs);
    }
  }
  if (at >= nextPrint) {
    nextPrint += every;
    const s = status();
    console.log(
      `${Math.round(at)} s: RSS ${mb(samples.at(-1)!.rss)}, heap used ${mb(s.heapUsed)}${s.heapTotal === undefined ? '' : ` of ${mb(s.heapTotal)}`}, ${s.lines.toLocaleString('en')} lines read${storeSize()}${engineOf(s)}`,
    );
  }
}
const elapsed = (Date.now() - started) / 1000;
const read = status().lines;
/** What the watcher's own status says of its event loop (builds that have the figure). */
const loop = (() => {
  try {
    return JSON.parse(readFileSync(join(stateDir, 'status.json'), 'utf8')).eventLoop;
  } catch {
    return undefined;
  }
})();
const cpu = cpuOf(child.pid!);
// Live heap after a full collection, from the watcher itself.
child.kill('SIGUSR2');
for (let i = 0; i < 100 && !existsSync(report); i++) await sleep(100);
const heap = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : undefined;
const rssAfterGc = rssOf(child.pid!);
child.kill('SIGTERM');
const code = await Promise.race([exited, sleep(30_000).then(() => -1)]);
if (code === -1) child.kill('SIGKILL');
/** The run's length: its time limit, or the time it took to read the lines written first. */
const span = fixedLines === undefined ? seconds : elapsed;
const peak = (from: number, to: number) =>
  Math.max(0, ...samples.filter((s) => s.at >= from && s.at < to).map((s) => s.rss));
console.log(
  `${input}, ${fixedLines !== undefined ? 'written first' : flood ? 'flood' : `${rate} lines/s`}, ${fixedLines !== undefined ? `${elapsed.toFixed(1)} s (status every 2 s)` : `${seconds} s`}${nodeFlags.length ? `, ${nodeFlags.join(' ')}` : ''}${built ? ', built' : ''}${withStore ? ', --store' : ''}: written ${written.toLocaleString('en')}, read ${read.toLocaleString('en')} (${Math.round(read / elapsed).toLocaleString('en')} lines/s; ${cpu.toFixed(1)} CPU s, ${Math.round(read / cpu).toLocaleString('en')} lines per CPU second), exit ${code}`,
);
console.log(
  `peak RSS by fifth: ${[0, 1, 2, 3, 4].map((k) => mb(peak((span * k) / 5, (span * (k + 1)) / 5))).join(', ')}; overall ${mb(peak(0, Number.POSITIVE_INFINITY))}`,
);
console.log(
  heap
    ? `after a full GC: live heap ${mb(heap.heapUsed)} (heap total ${mb(heap.heapTotal)}, external ${mb(heap.external)}, array buffers ${mb(heap.arrayBuffers)}), RSS ${mb(rssAfterGc)}`
    : 'no heap report',
);
const stalls = existsSync(stallReport)
  ? (JSON.parse(readFileSync(stallReport, 'utf8')) as { longest: number; over: number[] })
  : undefined;
console.log(
  stalls
    ? `event loop (preload sampler, 50 ms timer): ${stalls.over.length} stalls of 0.5 s or more (${(stalls.over.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s in all), longest ${stalls.longest} ms${loop ? `; the status: longest ${loop.longestStallMs} ms, ${loop.stallsOver500ms} of 0.5 s or more` : ''}`
    : 'no stall report',
);
if (withStore && commitMs.length > 0) {
  const sorted = [...commitMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const fifth = Math.max(1, Math.floor(commitMs.length / 5));
  const mean = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length));
  console.log(
    `commits ${commitsSeen} (${commitMs.length} seen in the status file): lastCommitMs median ${at(0.5)}, p90 ${at(0.9)}, max ${sorted.at(-1)} ms; mean of the first and last fifth ${mean(commitMs.slice(0, fifth))} / ${mean(commitMs.slice(-fifth))} ms`,
  );
}
if (code !== 0) console.log(stderr);
rmSync(temp, { recursive: true, force: true });
