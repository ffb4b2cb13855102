// Store benchmark: ingest rate end to end into DuckDB, bytes per event on disk, `query ip` and `query top`
// times. Usage: npm run bench:store -- [100k|1m|10m] [--no-detect-only] [--queries-only] [--ab]
// (not part of npm test). --queries-only times the queries on the stores a previous run left in bench/out/.
// --ab ingests with the netfilter byte fast path and without it (the readable path only), alternately
// twice each in this process, and prints the ratio of the best times instead of timing queries.
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { knowledgeBase } from '../src/knowledge/index.js';
import { openDuckDbStore } from '../src/store/duckdb.js';
import { ingestIntoStore } from '../src/store/ingest.js';
import { ensureLog, OUT_DIR } from './logs.js';
import { parseSize, sizeLabel } from './options.js';
import { timed, timePresets } from './store-presets.js';

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
    if (args.includes('--ab')) {
      const seconds: Record<string, number[]> = { fast: [], readable: [] };
      for (const fastPath of [true, false, true, false])
        seconds[fastPath ? 'fast' : 'readable']!.push(
          (await ingestOnce(path, log.path, detect, fastPath)) / 1000,
        );
      // The best of each: on a shared machine the slower runs measure the neighbours.
      const best = (xs: number[]) => Math.min(...xs);
      console.log(
        `A/B (${detect ? 'with detection' : '--no-detect'}), best of 2: fast path ${best(seconds.fast!).toFixed(1)} s, readable path ${best(seconds.readable!).toFixed(1)} s: ${(best(seconds.readable!) / best(seconds.fast!)).toFixed(2)}x`,
      );
      continue;
    }
    await ingestOnce(path, log.path, detect, true);
    await timeQueries(path);
  }

  /** Ingest the log into a fresh store at `path`, print the rate and size; returns the milliseconds. */
  async function ingestOnce(path: string, from: string, detect: boolean, fastPath: boolean): Promise<number> {
    rmSync(path, { force: true });
    rmSync(`${path}.wal`, { force: true });
    const [outcome, ms] = await timed(async () => {
      const store = await openDuckDbStore(path);
      try {
        return (await ingestIntoStore(store, [from], { kb, detect, fastPath }))[0]!;
      } finally {
        await store.close();
      }
    });
    const bytes = statSync(path).size;
    console.log(
      `ingest (${detect ? 'with detection' : '--no-detect'}${fastPath ? '' : ', readable path only'}): ${outcome.events} events in ${(ms / 1000).toFixed(1)} s = ${Math.round(outcome.events / (ms / 1000)).toLocaleString('en')} events/s (${outcome.fastEvents ?? 0} by the byte fast path); ${outcome.findings} findings; store ${(bytes / 1e6).toFixed(1)} MB = ${(bytes / outcome.events).toFixed(1)} B/event`,
    );
    return ms;
  }
}

/** Median times of the query presets on the store at `path`. */
async function timeQueries(path: string): Promise<void> {
  const store = await openDuckDbStore(path, { readOnly: true });
  try {
    const newest = Number((await store.sql('SELECT max(ts) AS t FROM events')).rows[0]![0]);
    const busiest = (await store.top('src', 1))[0]!.key;
    const quiet = (
      await store.sql('SELECT ipv4_text(src_v4) FROM events WHERE src_v4 IS NOT NULL LIMIT 1 OFFSET 12345')
    ).rows[0]![0] as string;
    await timePresets(store, { newest, busiest, quiet });
  } finally {
    await store.close();
  }
}

await main();
