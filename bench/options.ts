// Command-line options of `npm run bench`: which sizes, which fwlens worker counts, which anchors.
import { parseArgs } from 'node:util';

/** What one benchmark run measures. */
export interface BenchOptions {
  /** Line counts of the generated logs fwlens runs on. */
  sizes: number[];
  /** Line count of the log the slow anchors (psad, fwlogwatch) run on. */
  anchorSize: number;
  /** Anchors to measure; empty to skip them. */
  anchors: Array<'psad' | 'fwlogwatch'>;
  /** fwlens `--workers` values to compare (only used when the CLI has the flag). */
  workers: number[];
  /** Skip `npm run build` (measure the dist/ already there). */
  skipBuild: boolean;
  /** Seconds after which one measured command is stopped and reported as timed out. */
  timeoutSeconds: number;
  /**
   * Size of the log the other inputs are made from (gzip, FortiGate, Suricata EVE) and `explain` is timed
   * beside; undefined to skip them. Default: 1M when measured, else the largest measured size below it.
   */
  otherInputsSize: number | undefined;
}

/** "100k" -> 100000, "10m" -> 10000000, "2500" -> 2500. */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!m) throw new Error(`bad size "${text}" (use e.g. 100k, 1m, 10m or a line count)`);
  const scale = { '': 1, k: 1e3, m: 1e6 }[m[2]!.toLowerCase() as '' | 'k' | 'm'];
  return Math.round(Number(m[1]) * scale);
}

/** 100000 -> "100k", 10000000 -> "10m". */
export function sizeLabel(lines: number): string {
  if (lines % 1e6 === 0) return `${lines / 1e6}m`;
  if (lines % 1e3 === 0) return `${lines / 1e3}k`;
  return String(lines);
}

const USAGE = `usage: npm run bench -- [--sizes 100k,1m,10m] [--anchor-size 100k] [--anchors psad,fwlogwatch|none]
                        [--workers 1,2] [--other-inputs 1m|none] [--skip-build] [--timeout 5400]
(env: BENCH_SIZES, BENCH_ANCHORS, BENCH_WORKERS, BENCH_TIMEOUT do the same)`;

/** Parse argv (and BENCH_* environment variables as defaults). */
export function benchOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      sizes: { type: 'string', default: env['BENCH_SIZES'] ?? '100k,1m,10m' },
      'anchor-size': { type: 'string', default: env['BENCH_ANCHOR_SIZE'] ?? '100k' },
      anchors: { type: 'string', default: env['BENCH_ANCHORS'] ?? 'psad,fwlogwatch' },
      workers: { type: 'string', default: env['BENCH_WORKERS'] ?? '1,2' },
      'other-inputs': { type: 'string', default: env['BENCH_OTHER_INPUTS'] ?? '' },
      'skip-build': { type: 'boolean', default: false },
      timeout: { type: 'string', default: env['BENCH_TIMEOUT'] ?? '5400' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  // A bare number keeps the old `npm run bench -- 1000000` working: one size.
  const sizes = (positionals[0] ?? values.sizes).split(',').map(parseSize);
  const anchors = values.anchors === 'none' ? [] : values.anchors.split(',').map((a) => a.trim());
  for (const a of anchors)
    if (a !== 'psad' && a !== 'fwlogwatch') throw new Error(`unknown anchor "${a}"\n${USAGE}`);
  const sorted = [...new Set(sizes)].sort((a, b) => a - b);
  const other = values['other-inputs'];
  const otherInputsSize =
    other === 'none'
      ? undefined
      : other
        ? parseSize(other)
        : (sorted.filter((n) => n <= 1e6).pop() ?? sorted[0]);
  return {
    otherInputsSize,
    sizes: sorted,
    anchorSize: parseSize(values['anchor-size']),
    anchors: anchors as BenchOptions['anchors'],
    workers: values.workers.split(',').map(Number),
    skipBuild: values['skip-build'],
    timeoutSeconds: Number(values.timeout),
  };
}
