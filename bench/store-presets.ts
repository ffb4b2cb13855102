// Timing shared by the store benchmarks (DuckDB in bench/store.ts, ClickHouse in bench/clickhouse.ts): the
// query presets, each run several times, the median printed.
import type { Store } from '../src/store/types.js';

/** Timed repetitions of each query; the median is reported. */
export const QUERY_RUNS = 5;

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The result of `work` and the milliseconds it took. */
export async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await work();
  return [r, performance.now() - t0];
}

/**
 * Print the median time of every `query` preset on `store`: `busiest` and `quiet` are two source addresses,
 * `newest` the newest stored event (epoch ms; `--since` counts back from it), `first` extra timings to run
 * before them.
 */
export async function timePresets(
  store: Store,
  opts: { newest: number; busiest: string; quiet: string; first?: [string, () => Promise<unknown>][] },
): Promise<void> {
  const { newest, busiest, quiet } = opts;
  const since = newest - 7 * 86_400_000;
  const presets: [string, () => Promise<unknown>][] = [
    ...(opts.first ?? []),
    [`query ip ${busiest} (busiest)`, () => store.querySource(busiest)],
    [`query ip ${quiet}`, () => store.querySource(quiet)],
    ['query port 22', () => store.queryPort(22)],
    ['query top --by src --since 7d (before the newest event)', () => store.top('src', 10, { since })],
    ['query top --by port --since 7d', () => store.top('port', 10, { since })],
    ['query top --by rule --since 7d', () => store.top('rule', 10, { since })],
    ['query new-sources --since 1d', () => store.newSources(newest - 86_400_000, 10)],
  ];
  for (const [name, work] of presets) {
    const times: number[] = [];
    for (let i = 0; i < QUERY_RUNS; i++) times.push((await timed(work))[1]);
    console.log(`  ${name}: median ${median(times).toFixed(0)} ms (of ${QUERY_RUNS})`);
  }
}
