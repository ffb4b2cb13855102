// ClickHouse store benchmark: two local clickhouse-server shards behind Distributed tables (started here), ingest
// rate end to end, the store's write alone, bytes on disk per shard and the query presets' times.
// Usage: npm run bench:clickhouse -- [100k|1m] [--single] [--detect] [--console]   (not part of npm test; needs
// clickhouse-server). --console: after the end-to-end ingest, time the serve console's views on the store instead.
import { performance } from 'node:perf_hooks';
import { appendEvent, Dictionary, EventBatch } from '../src/core/batch.js';
import type { FwEvent } from '../src/event.js';
import { ingest } from '../src/ingest/pipeline.js';
import { knowledgeBase } from '../src/knowledge/index.js';
import { startConsole } from '../src/serve/server.js';
import { Host } from '../src/store/clickhouse/connection.js';
import { openClickHouseStore } from '../src/store/clickhouse/store.js';
import { parseClickHouseAddress } from '../src/store/clickhouse/url.js';
import { ingestIntoStore } from '../src/store/ingest.js';
import type { Store } from '../src/store/types.js';
import { clickhouseServerBinary, startLocalCluster } from '../test/support/clickhouse-servers.js';
import { ensureLog } from './logs.js';
import { parseSize, sizeLabel } from './options.js';
import { timed, timePresets } from './store-presets.js';

/** Median times of the console's views on the ClickHouse store at `address` (the DuckDB ones: bench/serve.ts). */
async function timeConsole(address: string): Promise<void> {
  const app = await startConsole({
    storePath: address,
    host: '127.0.0.1',
    port: 0,
    lang: 'en',
    cache: false,
    warm: false,
  });
  try {
    const get = async (path: string) => {
      const t0 = performance.now();
      const r = await fetch(new URL(path, app.url));
      const body = await r.text();
      if (r.status !== 200) throw new Error(`${path}: ${r.status} ${body}`);
      return [performance.now() - t0, body] as const;
    };
    const busiest = (JSON.parse((await get('/api/top?by=src&limit=1'))[1]) as { key: string }[])[0]!.key;
    const pivot = `f=${encodeURIComponent(`src:${busiest}`)}`;
    const views: [string, string][] = [
      ['meta', '/api/meta'],
      ['timeline, all', '/api/timeline'],
      ['top sources, all', '/api/top?by=src'],
      ['top destinations, all', '/api/top?by=dst'],
      ['top ports, all', '/api/top?by=port'],
      ['top rules, all', '/api/top?by=rule'],
      ['events, first page', '/api/events?offset=0&limit=50'],
      ['findings', '/api/findings'],
      [`pivot src ${busiest}: timeline`, `/api/timeline?${pivot}`],
      ['pivot: top ports', `/api/top?by=port&${pivot}`],
      ['pivot: events', `/api/events?offset=0&limit=50&${pivot}`],
    ];
    console.log('\n| console view (ClickHouse) | first | median of 5 |\n|---|--:|--:|');
    for (const [name, path] of views) {
      const times: number[] = [];
      for (let i = 0; i < 6; i++) times.push((await get(path))[0]);
      const first = times.shift()!;
      const median = [...times].sort((a, b) => a - b)[2]!;
      console.log(`| ${name} | ${Math.round(first)} ms | ${Math.round(median)} ms |`);
    }
  } finally {
    await app.close();
  }
}

const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en');

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const lines = parseSize(args.find((a) => !a.startsWith('--')) ?? '1m');
  const single = args.includes('--single');
  const detect = args.includes('--detect');
  if (!clickhouseServerBinary()) {
    console.log('skipped: clickhouse-server is not installed');
    return;
  }
  const log = await ensureLog(lines);
  if (typeof log === 'string') {
    console.log(`skipped ${sizeLabel(lines)}: ${log}`);
    return;
  }
  const cluster = await startLocalCluster(2);
  try {
    const [s0, s1] = cluster.servers as [(typeof cluster.servers)[0], (typeof cluster.servers)[0]];
    const hosts = single ? [s0] : [s0, s1];
    const url = (db: string) =>
      `clickhouse://${hosts.map((s) => `127.0.0.1:${s.httpPort}`).join(',')}/${db}${single ? '' : `?cluster=${cluster.cluster}`}`;
    const open = (db: string, readOnly = false) =>
      openClickHouseStore(parseClickHouseAddress(url(db))!, { readOnly });
    console.log(
      `ClickHouse store benchmark, ${sizeLabel(lines)} lines (${(log.bytes / 1e6).toFixed(0)} MB), ${single ? 'one server' : 'two shards (Distributed)'}, ${detect ? 'with detection' : '--no-detect'}, ${new Date().toISOString()}`,
    );

    // 1. End to end: read, parse, (detect,) write, commit.
    let insertMs = 0;
    const insertLines = Host.prototype.insertLines;
    Host.prototype.insertLines = async function (
      this: Host,
      table: string,
      columns: readonly string[],
      chunks: Buffer[],
    ) {
      const t0 = performance.now();
      try {
        await insertLines.call(this, table, columns, chunks);
      } finally {
        insertMs += performance.now() - t0;
      }
    };
    const kb = knowledgeBase();
    const [outcome, ms] = await timed(async () => {
      const store = await open('bench_e2e');
      try {
        return (await ingestIntoStore(store, [log.path], { kb, detect }))[0]!;
      } finally {
        await store.close();
      }
    });
    Host.prototype.insertLines = insertLines;
    console.log(
      `ingest end to end: ${outcome.events.toLocaleString('en')} events in ${(ms / 1000).toFixed(1)} s = ${rate(outcome.events, ms)} events/s (${(insertMs / 1000).toFixed(1)} s of it waiting on INSERTs); ${outcome.findings} findings`,
    );

    // --console: the serve console on this store over real HTTP (no answer cache, no warm-up), then stop.
    if (args.includes('--console')) {
      await timeConsole(url('bench_e2e'));
      return;
    }

    // 2. The store's write alone: the same events parsed beforehand, then written and committed.
    const dict = new Dictionary();
    const batches: EventBatch[] = [new EventBatch(dict)];
    await ingest([{ path: log.path }], {
      onEvent: (ev: FwEvent) => {
        if (batches.at(-1)!.full) batches.push(new EventBatch(dict));
        appendEvent(batches.at(-1)!, ev, 0, ev.line ?? 0);
      },
    });
    const writeStore = await open('bench_write');
    const [, writeMs] = await timed(async () => {
      const w = await writeStore.begin();
      for (const b of batches) await w.appendEvents(b, 1);
      await w.commit({
        id: 1,
        path: log.path,
        dev: 0,
        ino: 0,
        fingerprint: '',
        fingerprintBytes: 0,
        size: log.bytes,
        offset: log.bytes,
        lines,
        events: outcome.events,
        unparsed: 0,
        stats: {
          path: log.path,
          formats: {},
          lines,
          events: outcome.events,
          malformed: 0,
          nonTraffic: {},
          unrecognized: 0,
          blank: 0,
          multiEventExtra: 0,
        },
      });
    });
    await writeStore.close();
    console.log(
      `store write alone (parsed beforehand): ${outcome.events.toLocaleString('en')} events in ${(writeMs / 1000).toFixed(1)} s = ${rate(outcome.events, writeMs)} events/s`,
    );

    // 3. Bytes on disk, per shard.
    for (const [i, s] of hosts.entries()) {
      const h = new Host({ url: s.url, readOnly: true }, s.url);
      const [r] = await h.rows<{ b: string; rows: string }>(
        `SELECT sum(bytes_on_disk) AS b, sum(rows) AS rows FROM system.parts WHERE database = 'bench_e2e' AND active AND table LIKE 'events%'`,
      );
      await h.close();
      console.log(
        `  shard ${i + 1}: ${Number(r!.rows).toLocaleString('en')} events, ${(Number(r!.b) / 1e6).toFixed(1)} MB = ${(Number(r!.b) / Math.max(1, Number(r!.rows))).toFixed(1)} B/event`,
      );
    }

    // 4. The presets, on a read-only store.
    const store = await open('bench_e2e', true);
    try {
      await timeQueries(store);
    } finally {
      await store.close();
    }
  } finally {
    await cluster.close();
  }
}

async function timeQueries(store: Store): Promise<void> {
  const newest = Number((await store.sql('SELECT max(ts) AS t FROM bench_e2e.events')).rows[0]![0]);
  const busiest = (await store.top('src', 1))[0]!.key;
  const quiet = String(
    (
      await store.sql(
        'SELECT IPv4NumToString(src_v4) FROM bench_e2e.events WHERE src_kind = 4 LIMIT 1 OFFSET 12345',
      )
    ).rows[0]![0],
  );
  await timePresets(store, { newest, busiest, quiet, first: [['event count', () => store.eventCount()]] });
}

await main();
