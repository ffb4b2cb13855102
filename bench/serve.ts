// Console benchmark: every view's API call of `fwlens serve`, over real HTTP on loopback, on a store of N
// generated events. Usage: npm run bench:serve -- [100k|1m|10m] [--no-detect]   (not part of npm test)
// Reuses the store bench/store.ts leaves in bench/out/ (store-1m.duckdb, or store-10m-nodetect.duckdb), or
// builds one from the same generated log. Detection at ingest takes long at 10 M: --no-detect skips it.
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { knowledgeBase } from '../src/knowledge/index.js';
import { startConsole } from '../src/serve/server.js';
import { openDuckDbStore } from '../src/store/duckdb.js';
import { ingestIntoStore } from '../src/store/ingest.js';
import { ensureLog, OUT_DIR } from './logs.js';
import { parseSize, sizeLabel } from './options.js';

/** Timed repetitions of each view after the first (cold) one; the median is reported. */
const RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The store to measure: an existing one of this size, else one built now. */
async function storeFor(lines: number, detect: boolean): Promise<string> {
  const label = sizeLabel(lines);
  const withFindings = join(OUT_DIR, `store-${label}.duckdb`);
  const without = join(OUT_DIR, `store-${label}-nodetect.duckdb`);
  if (detect && existsSync(withFindings)) return withFindings;
  if (existsSync(without) && (!detect || !existsSync(withFindings))) return without;
  const log = await ensureLog(lines);
  if (typeof log === 'string') throw new Error(`cannot build a ${label} store: ${log}`);
  const path = detect ? withFindings : without;
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
  const t0 = performance.now();
  const store = await openDuckDbStore(path);
  try {
    await ingestIntoStore(store, [log.path], { kb: knowledgeBase(), detect });
  } finally {
    await store.close();
  }
  console.log(`built ${path} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return path;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const lines = parseSize(args.find((a) => !a.startsWith('--')) ?? '1m');
  const path = await storeFor(lines, !args.includes('--no-detect') && lines <= 1_000_000);
  // No answer cache and no warm-up: every call below runs its queries.
  const app = await startConsole({
    storePath: path,
    host: '127.0.0.1',
    port: 0,
    lang: 'en',
    cache: false,
    warm: false,
  });
  try {
    const base = new URL(app.url);
    /** Time one GET to the whole body. */
    const fetchMs = async (path: string) => {
      const t0 = performance.now();
      const r = await fetch(new URL(path, base));
      const body = await r.text();
      if (!r.ok) throw new Error(`${path}: ${r.status} ${body}`);
      return { ms: performance.now() - t0, body };
    };
    const meta = JSON.parse((await fetchMs('/api/meta')).body) as { span: { events: number; last: number } };
    const top = JSON.parse((await fetchMs('/api/top?by=src&limit=1')).body) as { key: string }[];
    const busiest = top[0]!.key;
    const [first] = JSON.parse((await fetchMs('/api/events?limit=1')).body) as {
      input: number;
      line: number;
    }[];
    const day = `from=${meta.span.last + 1 - 86_400_000}&to=${meta.span.last + 1}`;
    const f = (chip: string) => `f=${encodeURIComponent(chip)}`;
    const pivot = f(`src:${busiest}`);
    const not = `${f(`!src:${busiest}`)}&${f('port:22')}`;
    const views: [string, string][] = [
      ['meta (store span, words)', '/api/meta'],
      ['timeline, all', '/api/timeline'],
      ['timeline, last 24 h', `/api/timeline?${day}`],
      ['top sources, all', '/api/top?by=src'],
      ['top destinations, all', '/api/top?by=dst'],
      ['top ports, all', '/api/top?by=port'],
      ['top rules, all', '/api/top?by=rule'],
      ['events, first page', '/api/events?limit=50'],
      ['events, page at offset 10,000', '/api/events?limit=50&offset=10000'],
      ['event explanation', `/api/event?input=${first!.input}&line=${first!.line}`],
      ['findings', '/api/findings'],
      ['unparsed lines', '/api/unparsed'],
      [`pivot src ${busiest}: timeline`, `/api/timeline?${pivot}`],
      ['pivot: top ports', `/api/top?by=port&${pivot}`],
      ['pivot: events', `/api/events?limit=50&${pivot}`],
      ['pivot: findings', `/api/findings?${pivot}`],
      ['is not src + port 22: timeline', `/api/timeline?${not}`],
      ['is not src + port 22: top sources', `/api/top?by=src&${not}`],
      ['last 24 h: top sources', `/api/top?by=src&${day}`],
      ['pivot: CSV export (whole body)', `/api/export?format=csv&${pivot}`],
      ['port 22: NDJSON export (whole body)', `/api/export?format=ndjson&${f('port:22')}`],
    ];
    const bytes = statSync(path).size;
    console.log(
      `serve benchmark: ${path} (${meta.span.events.toLocaleString('en')} events, ${(bytes / 1e6).toFixed(0)} MB), ${new Date().toISOString()}\n`,
    );
    console.log('| view | first (cold) | median of 5 |\n|---|--:|--:|');
    const worst: number[] = [];
    for (const [name, url] of views) {
      const cold = (await fetchMs(url)).ms;
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push((await fetchMs(url)).ms);
      worst.push(median(times));
      console.log(`| ${name} | ${cold.toFixed(0)} ms | ${median(times).toFixed(0)} ms |`);
    }
    // What the page asks when a view changes: these five at once.
    const pageLoad = async (q: string) => {
      const t0 = performance.now();
      await Promise.all(
        [
          `/api/timeline?${q}`,
          `/api/events?limit=50&${q}`,
          `/api/findings?${q}`,
          ...['src', 'port', 'rule', 'dst'].map((by) => `/api/top?by=${by}&${q}`),
        ].map(fetchMs),
      );
      return performance.now() - t0;
    };
    for (const [name, q] of [
      ['whole view (7 calls at once), all', ''],
      ['whole view, pivot', pivot],
      ['whole view, last 24 h', day],
    ] as const) {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push(await pageLoad(q));
      console.log(`| ${name} | | ${median(times).toFixed(0)} ms |`);
    }
    console.log(`\nslowest single view (median): ${Math.max(...worst).toFixed(0)} ms`);
  } finally {
    await app.close();
  }
  await timeWarmUp(path);
}

/**
 * The console as `fwlens serve` starts it (answer cache and warm-up on): how long the warm-up takes (a
 * console closed at once waits for it), then the whole view of "all" and of two presets once it is done.
 */
async function timeWarmUp(path: string): Promise<void> {
  let t0 = performance.now();
  await (await startConsole({ storePath: path, host: '127.0.0.1', port: 0, lang: 'en' })).close();
  const warmMs = performance.now() - t0;
  console.log(`\nwarm-up of the opening view and the four presets: ${(warmMs / 1000).toFixed(1)} s`);
  const app = await startConsole({ storePath: path, host: '127.0.0.1', port: 0, lang: 'en' });
  try {
    await new Promise((r) => setTimeout(r, warmMs * 1.5 + 3000));
    const base = new URL(app.url);
    const meta = (await (await fetch(new URL('/api/meta', base))).json()) as { span: { last: number } };
    const end = meta.span.last + 1;
    for (const [name, q] of [
      ['all', ''],
      ['24h', `from=${end - 86_400_000}&to=${end}`],
      ['30d', `from=${end - 2_592_000_000}&to=${end}`],
    ] as const) {
      const and = q ? `&${q}` : '';
      const urls = [
        `/api/timeline${q ? `?${q}` : ''}`,
        `/api/events?offset=0&limit=50${and}`,
        `/api/findings${q ? `?${q}` : ''}`,
        ...['src', 'port', 'rule', 'dst'].map((by) => `/api/top?by=${by}${and}`),
      ];
      t0 = performance.now();
      await Promise.all(urls.map(async (u) => (await fetch(new URL(u, base))).text()));
      console.log(`whole view, ${name}, after the warm-up: ${(performance.now() - t0).toFixed(0)} ms`);
    }
  } finally {
    await app.close();
  }
}

await main();
