// Benchmark (issue 7): in ONE run, on the same generated logs, time `wc -l` (the floor), fwlens analyze
// end to end as a child process, and the established tools psad and fwlogwatch; print one table.
// Usage: npm run bench -- [--sizes 100k,1m,10m] [--anchors psad,fwlogwatch|none] [--workers 1,2]
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type BenchLog, ensureLog, OUT_DIR } from './logs.js';
import { measure } from './measure.js';
import { benchOptions, sizeLabel } from './options.js';
import { ensureOtherInput, type OtherInput } from './other-formats.js';
import { checkPlanted, readFindings } from './planted.js';
import { formatSummary, formatTable, type ResultRow } from './table.js';
import { debianVersion, ensureDebianTool } from './tools.js';

const ROOT = join(import.meta.dirname, '..');
const FWLENS = join(ROOT, 'bin', 'fwlens.js');
const opts = benchOptions(process.argv.slice(2));
const say = (text: string) => process.stderr.write(`${text}\n`);

/** Build dist/ from the working tree; a failed build (others mid-edit) measures the dist/ already there. */
function build(): string {
  if (opts.skipBuild) return 'skipped (--skip-build)';
  const run = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (run.status === 0) return 'ok';
  say(`npm run build failed; measuring the existing dist/:\n${(run.stdout + run.stderr).slice(-1500)}`);
  return 'FAILED (existing dist/ measured)';
}

function gitState(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    return dirty.trim() ? `${head} + uncommitted src/ changes` : head;
  } catch {
    return 'unknown';
  }
}

/** The first line of a file (read as a stream: the logs are large). */
async function readFirstLine(path: string): Promise<string | undefined> {
  for await (const line of createInterface({ input: createReadStream(path) })) return line;
  return undefined;
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const rows: ResultRow[] = [];
const notes: string[] = [];

/** Measure one command on one log and add its row. */
async function timed(
  tool: string,
  log: BenchLog,
  command: string,
  args: string[],
  stdoutPath?: string,
  variant?: ResultRow['variant'],
) {
  const loadAtStart = loadavg()[0]!;
  say(`  ${tool} on ${sizeLabel(log.lines)} ...`);
  const m = await measure(command, args, {
    timeoutSeconds: opts.timeoutSeconds,
    ...(stdoutPath ? { stdoutPath } : {}),
  });
  const status = m.timedOut ? 'timeout' : m.exitCode === 0 ? 'ok' : `exit ${m.exitCode}`;
  if (status !== 'ok') say(`  ${tool}: ${status}\n${m.stderrTail}`);
  const row: ResultRow = {
    tool,
    command: [command, ...args].join(' ') + (stdoutPath ? ` > ${stdoutPath}` : ' > /dev/null'),
    lines: log.lines,
    bytes: log.bytes,
    seconds: m.seconds,
    peakRssKb: m.peakRssKb,
    loadAtStart,
    status,
    ...(variant ? { variant } : {}),
  };
  rows.push(row);
  // The table so far, so a long run that is stopped still leaves its numbers behind.
  writeFileSync(join(OUT_DIR, 'results-partial.txt'), `${formatTable(rows)}\n`);
  say(`  ${tool}: ${m.seconds.toFixed(2)} s, ${(m.peakRssKb / 1024).toFixed(0)} MB`);
  return row;
}

/** `wc -l` three times, the median kept: one run on 100k lines takes ~10 ms and jitters. */
async function floor(log: BenchLog): Promise<void> {
  const runs: ResultRow[] = [];
  for (let i = 0; i < 3; i++) runs.push(await timed('wc -l', log, 'wc', ['-l', log.path]));
  rows.splice(rows.length - 3, 3, runs.sort((a, b) => a.seconds - b.seconds)[1]!);
}

const header = [
  `fwlens benchmark ${new Date().toISOString()}`,
  `machine: ${cpus()[0]?.model ?? '?'} x${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, load average at start ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
  `fwlens: ${gitState()}, build ${build()}`,
];
const help = spawnSync('node', [FWLENS, 'analyze', '--help'], { encoding: 'utf8' }).stdout ?? '';
const workers = help.includes('--workers') ? opts.workers : [];
if (workers.length === 0) notes.push('fwlens analyze has no --workers flag yet: one fwlens run per size.');

// Logs first, so generation does not overlap a measurement.
const wanted = [
  ...new Set([
    ...opts.sizes,
    ...(opts.anchors.length ? [opts.anchorSize] : []),
    ...(opts.otherInputsSize ? [opts.otherInputsSize] : []),
  ]),
].sort((a, b) => a - b);
const logs = new Map<number, BenchLog>();
for (const lines of wanted) {
  const log = await ensureLog(lines);
  if (typeof log === 'string') notes.push(`SKIPPED ${sizeLabel(lines)} lines: disk too short (${log}).`);
  else logs.set(lines, log);
}

const anchorVersions: string[] = [];
const anchorReady = new Map<string, boolean>();
for (const anchor of opts.anchors) {
  const problem = ensureDebianTool(anchor, anchor);
  if (anchor === 'psad' && !problem && process.getuid?.() !== 0) {
    notes.push('psad skipped: it refuses to run unless root.');
    anchorReady.set(anchor, false);
    continue;
  }
  if (problem) notes.push(`${anchor} skipped: ${problem}`);
  else anchorVersions.push(`${anchor} ${debianVersion(anchor)}`);
  anchorReady.set(anchor, !problem);
}
if (anchorVersions.length) header.push(`anchors: ${anchorVersions.join(', ')} (Debian)`);

for (const [lines, log] of logs) {
  const label = sizeLabel(lines);
  say(`${label} lines (${(log.bytes / 1e6).toFixed(0)} MB), ${log.planted.length} planted scans`);
  // Warm the page cache so every tool reads the file from memory, then the floor.
  await measure('cat', [log.path], { timeoutSeconds: opts.timeoutSeconds });
  await floor(log);
  if (opts.sizes.includes(lines)) {
    for (const w of workers.length ? workers : [0]) {
      const tool = w ? `fwlens w${w}` : 'fwlens';
      const report = join(OUT_DIR, `fwlens-${label}${w ? `-w${w}` : ''}.json`);
      const args = [FWLENS, 'analyze', log.path, '--json', ...(w ? ['--workers', String(w)] : [])];
      const row = await timed(tool, log, 'node', args, report);
      if (row.status === 'ok') {
        row.planted = checkPlanted(log.planted, readFindings(report));
        row.reportHash = await sha256(report);
      }
    }
  }
  if (lines === opts.anchorSize) {
    if (anchorReady.get('psad'))
      await timed(
        'psad',
        log,
        'psad',
        ['-A', '-m', log.path, '--no-whois', '--no-rdns'],
        join(OUT_DIR, `psad-${label}.txt`),
      );
    if (anchorReady.get('fwlogwatch')) {
      await timed('fwlogwatch', log, 'fwlogwatch', [log.path], join(OUT_DIR, `fwlogwatch-${label}.txt`));
      await timed(
        'fwlogwatch -D',
        log,
        'fwlogwatch',
        ['-D', log.path],
        join(OUT_DIR, `fwlogwatch-D-${label}.txt`),
      );
    }
  }
}

// The other inputs beside one netfilter log: gzip, two formats read by their parsers, and explain's cold start.
const otherBase = opts.otherInputsSize ? logs.get(opts.otherInputsSize) : undefined;
if (otherBase) {
  const label = sizeLabel(otherBase.lines);
  for (const kind of ['gz', 'fortigate', 'suricata-eve'] as OtherInput[]) {
    const input = await ensureOtherInput(otherBase, kind);
    await measure('cat', [input.path], { timeoutSeconds: opts.timeoutSeconds });
    for (const w of workers.length ? workers : [0]) {
      const tool = w ? `fwlens w${w}` : 'fwlens';
      const report = join(OUT_DIR, `fwlens-${kind}-${label}${w ? `-w${w}` : ''}.json`);
      const args = [FWLENS, 'analyze', input.path, '--json', ...(w ? ['--workers', String(w)] : [])];
      const row = await timed(tool, input, 'node', args, report, kind);
      if (row.status === 'ok') row.planted = checkPlanted(input.planted, readFindings(report));
    }
  }
  // `explain` of the log's first line, start to exit, five times: the median.
  const line = (await readFirstLine(otherBase.path)) ?? '';
  const runs: ResultRow[] = [];
  for (let i = 0; i < 5; i++)
    runs.push(
      await timed(
        'fwlens explain',
        { ...otherBase, lines: 1, bytes: line.length },
        'node',
        [FWLENS, 'explain', line],
        undefined,
        'explain',
      ),
    );
  rows.splice(rows.length - 5, 5, runs.sort((a, b) => a.seconds - b.seconds)[2]!);
}

header.push(
  `load average at end ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const text = [
  ...header,
  '',
  formatTable(rows),
  '',
  formatSummary(rows, opts.anchorSize),
  ...(notes.length ? ['', ...notes] : []),
].join('\n');
process.stdout.write(`${text}\n`);
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
writeFileSync(join(OUT_DIR, `results-${stamp}.txt`), `${text}\n`);
writeFileSync(
  join(OUT_DIR, `results-${stamp}.json`),
  `${JSON.stringify({ header, rows, notes }, null, 1)}\n`,
);
