// How far the heap of `fwlens watch` may grow past what is alive before V8 collects it: a service left running.
import { setFlagsFromString } from 'node:v8';

/**
 * Percent the old generation may grow past its live size after a full collection before the next one
 * (V8's `--heap-growing-percent`). Otherwise V8 picks the factor itself, up to 4x with the default heap limit
 * of a machine with a few GB of memory: under a flood of forged sources (`scripts/watch-rss.ts`), ~90-115 MB
 * stayed alive while heap used swung between 145 and 460 MB and RSS sat at 470-650 MB. At 50 % the same runs
 * peaked at 286-343 MB. The price is more full collections under such a flood: 100,000 forged lines took
 * 14.6 CPU seconds against 16.5 (medians of three alternated runs, each run's spread larger than that);
 * with ordinary traffic the watcher is idle most of the time. See docs/watch.md, Memory bounds.
 */
export const WATCH_HEAP_GROWTH_PERCENT = 50;

/**
 * Set the heap growth of this process for a watch, unless Node.js was already told one (`--heap-growing-percent`
 * on its command line or in NODE_OPTIONS). `FWLENS_WATCH_HEAP_GROWTH` sets another percent; 0 leaves V8's own.
 * The flag is read at every full collection, so setting it once the process runs is enough. Returns the
 * percent set, or undefined when none was.
 */
export function limitHeapGrowth(
  env: NodeJS.ProcessEnv = process.env,
  execArgv: readonly string[] = process.execArgv,
): number | undefined {
  const given = [...execArgv, env['NODE_OPTIONS'] ?? ''].some((a) => /heap[-_]growing[-_]percent/.test(a));
  if (given) return undefined;
  const wanted = env['FWLENS_WATCH_HEAP_GROWTH'];
  const percent = wanted === undefined || wanted === '' ? WATCH_HEAP_GROWTH_PERCENT : Number(wanted);
  if (!Number.isInteger(percent) || percent <= 0 || percent > 1000) return undefined;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
  return percent;
}
