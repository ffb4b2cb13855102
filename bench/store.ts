// Store benchmark: ingest rate end to end into DuckDB, bytes per event on disk, `query ip` and `query top`
// times. Usage: npm run bench:store -- [100k|1m|10m] [--no-detect-only] [--queries-only]   (not part of npm test)
// --queries-only times the queries on the stores a previous run left in bench/out/.
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { knowledgeBase } from '../src/knowledge/index.js';
import { openDuckDbStore } from '../src/store/duckdb.js';
import { ingestIntoStore } from '../src/store/ingest.js';
import { ensureLog, OUT_DIR } from './logs.js';
import { parseSize, sizeLabel } from './options.js';

/** Timed repetitions of each query; the median is reported. */
const QUERY_RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await work();
  return [r, performance.now() - t0];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const lines = parseSize(args.find((a) => !a.startsWith('--')) ?? '1m');
  const modes = args.includes('--no-detect-only') ? [false] : [false, true];
  const log = await ensureLog(lines);
  if (typeof log === 'string') {
    console.log(`skipped ${sizeLabel(lines)}: ${log}`);
    return;
  }
  const kb = knowledgeBase();
  console.log(
    `store benchmark, ${sizeLabel(lines)} lines (${(log.bytes / 1e6).toFixed(0)} MB), ${new Date().toISOString()}`,
  );
  for (const detect of modes) {
    const path = join(OUT_DIR, `store-${sizeLabel(lines)}${detect ? '' : '-nodetect'}.duckdb`);
    if (args.includes('--queries-only')) {
      if (existsSync(path)) await timeQueries(path);
      continue;
    }
    rmSync(path, { force: true });
    rmSync(`${path}.wal`, { force: true });
    const [outcome, ms] = await timed(async () => {
      const store = await openDuckDbStore(path);
      try {
        return (await ingestIntoStore(store, [log.path], { kb, detect }))[0]!;
      } finally {
        await store.close();
      }
    });
    const bytes = statSync(path).size;
    console.log(
      `ingest (${detect ? 'with detection' : '--no-detect'}): ${outcome.events} events in ${(ms / 1000).toFixed(1)} s = ${Math.round(outcome.events / (ms / 1000)).toLocaleString('en')} events/s; ${outcome.findings} findings; store ${(bytes / 1e6).toFixed(1)} MB = ${(bytes / outcome.events).toFixed(1)} B/event`,
    );
    await timeQueries(path);
  }
}

/** Median times of the query presets on the store at `path`. */
async function timeQueries(path: string): Promise<void> {
  {
    const store = await openDuckDbStore(path, { readOnly: true });
    try {
      const newest = Number((await store.sql('SELECT max(ts) AS t FROM events')).rows[0]![0]);
      const since = newest - 7 * 86_400_000;
      const top = await store.top('src', 10);
      const busiest = top[0]!.key;
      const quiet = (
        await store.sql('SELECT ipv4_text(src_v4) FROM events WHERE src_v4 IS NOT NULL LIMIT 1 OFFSET 12345')
      ).rows[0]![0] as string;
      for (const [name, work] of [
        [`query ip ${busiest} (busiest)`, () => store.querySource(busiest)],
        [`query ip ${quiet}`, () => store.querySource(quiet)],
        ['query port 22', () => store.queryPort(22)],
        ['query top --by src --since 7d (before the newest event)', () => store.top('src', 10, { since })],
        ['query top --by port --since 7d', () => store.top('port', 10, { since })],
        ['query top --by rule --since 7d', () => store.top('rule', 10, { since })],
        ['query new-sources --since 1d', () => store.newSources(newest - 86_400_000, 10)],
      ] as const) {
        const times: number[] = [];
        for (let i = 0; i < QUERY_RUNS; i++) times.push((await timed(work as () => Promise<unknown>))[1]);
        console.log(`  ${name}: median ${median(times).toFixed(0)} ms (of ${QUERY_RUNS})`);
      }
    } finally {
      await store.close();
    }
  }
}

await main();
