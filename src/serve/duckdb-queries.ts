// The serve console's queries on the embedded DuckDB store: SQL built from typed filter values only.
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { Finding } from '../detect/index.js';
import type { FwEvent } from '../event.js';
import { addressIn, intToIpv4 } from '../net/ip.js';
import { summariesAnswer, topFromAddressDaysAndEdges } from '../store/address-days.js';
import { rankAddresses } from '../store/address-order.js';
import {
  type DuckDbStore,
  EVENT_READ_COLUMNS,
  LOOKUP_CHUNK,
  rankedNames,
  rankedPortRows,
  rowEvent,
} from '../store/duckdb.js';
import { BoundedCache } from '../util/bounded-cache.js';
import type {
  ConsoleQueries,
  EventRow,
  Filter,
  StoreSpan,
  Timeline,
  TopField,
  TopRow,
  UnparsedPage,
  View,
} from './queries.js';

/** Connections kept open for requests running at the same time (an export holds one while it streams). */
export const MAX_CONNECTIONS = 4;

/** Bucket widths the timeline picks from: the narrowest that keeps the bucket count under the maximum. */
export const BUCKET_WIDTHS_MS = [
  1_000, 10_000, 60_000, 300_000, 900_000, 3_600_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
  604_800_000, 2_592_000_000,
];

/**
 * The timeline's bucket width for times from `lo` to `hi` (ms): the narrowest of BUCKET_WIDTHS_MS whose buckets,
 * counted from `lo` floored to the width, are at most `maxBuckets`; past the widest, a multiple of it (a range
 * of decades still gives at most `maxBuckets` bars).
 */
export function timelineWidth(lo: number, hi: number, maxBuckets: number): number {
  const fits = (b: number) => Math.ceil((hi - Math.floor(lo / b) * b) / b) <= maxBuckets;
  const width = BUCKET_WIDTHS_MS.find(fits);
  if (width !== undefined) return width;
  const widest = BUCKET_WIDTHS_MS.at(-1)!;
  let k = Math.max(1, Math.ceil((hi - lo) / maxBuckets / widest));
  while (!fits(k * widest)) k++;
  return k * widest;
}

/**
 * SQL text and its values. Times and ids are bound as JS numbers cast to BIGINT in the SQL: a BigInt value
 * binds as HUGEINT and turns every comparison with `ts` into a 128-bit one (measured: 20 times slower).
 */
interface Sql {
  sql: string;
  values: DuckDBValue[];
}

/**
 * Columns of an event row of the table and the exports: string ids and numbers only. Their texts are
 * looked up afterwards for the few ids in the page: joining `strings` (which holds every IPv6 address
 * text) seven times cost a second on 10 M events; the ordered, limited read alone takes 20 ms.
 */
const ROW_COLUMNS = `ts::DOUBLE, file_id::INTEGER, line::DOUBLE, action::VARCHAR, direction::VARCHAR, transport_sid,
  src_v4, src_text_sid, src_port, dst_v4, dst_text_sid, dst_port, rule_sid, prefix_sid, host_sid, format_sid`;
/** Positions of the string ids in ROW_COLUMNS. */
const ROW_SIDS = [5, 7, 10, 12, 13, 14, 15];
/** Newest first; the input and line break ties so pages never overlap. */
const NEWEST_FIRST = 'ts DESC NULLS LAST, file_id DESC, line DESC';

/** Most string texts kept in memory by id (they cannot change while the console runs). */
const MAX_CACHED_TEXTS = 100_000;

/** Filter texts whose string ids are kept, per generation of the cache (it holds up to twice this many). */
const MAX_CACHED_SIDS = 10_000;

const opt = <T>(v: DuckDBValue, f: (x: DuckDBValue) => T): T | undefined =>
  v === null || v === undefined ? undefined : f(v);

/**
 * Events a view must hold before the top address lists take the bucketed path: below it one GROUP BY of
 * every address is as quick.
 */
export const BUCKETED_TOP_MIN_EVENTS = 2_000_000;

/** Buckets whose addresses the bucketed top list counts exactly first (the busiest buckets). */
export const FIRST_ROUND_BUCKETS = 64;

/** More buckets than this that could still hold a top address: one GROUP BY of every address instead. */
export const MAX_CANDIDATE_BUCKETS = 4096;

/** True when the per-day summaries answer a view's top addresses: no chips, and a range they answer quickly (summariesAnswer). */
export function summaryAnswers(view: View): boolean {
  return view.filters.length === 0 && summariesAnswer(view.from, view.to);
}

/** Tunables of the bucketed top lists (tests shrink them to drive every branch against the plain query). */
export interface TopTunables {
  /** Answer top addresses from the per-day summaries when the view allows (tests turn it off to compare). */
  summaries: boolean;
  bucketedTopMinEvents: number;
  firstRoundBuckets: number;
  maxCandidateBuckets: number;
}

/** Open the console's queries on a (read-only) DuckDB store. */
export function duckDbConsole(store: DuckDbStore, tunables: Partial<TopTunables> = {}): ConsoleQueries {
  return new DuckDbConsole(store, {
    summaries: true,
    bucketedTopMinEvents: BUCKETED_TOP_MIN_EVENTS,
    firstRoundBuckets: FIRST_ROUND_BUCKETS,
    maxCandidateBuckets: MAX_CANDIDATE_BUCKETS,
    ...tunables,
  });
}

class DuckDbConsole implements ConsoleQueries {
  private readonly idle: DuckDBConnection[] = [];
  private open = 0;
  private readonly waiting: ((c: DuckDBConnection) => void)[] = [];
  private spanCache: Promise<StoreSpan> | undefined;
  /**
   * String ids by text, looked up once (the store is read-only while the console runs; a writer's turn
   * opens it anew). Bounded: a console that runs for months is asked for ever new filter values.
   */
  private readonly sids = new BoundedCache<string, number | null>(MAX_CACHED_SIDS);
  /** Texts by string id, and input paths by id, as looked up. */
  private readonly texts = new Map<number, string>();
  private paths: Promise<Map<number, string>> | undefined;

  constructor(
    private readonly store: DuckDbStore,
    private readonly tunables: TopTunables,
  ) {}

  private async acquire(): Promise<DuckDBConnection> {
    const c = this.idle.pop();
    if (c) return c;
    if (this.open < MAX_CONNECTIONS) {
      this.open++;
      return this.store.connect();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(c: DuckDBConnection): void {
    const next = this.waiting.shift();
    if (next) next(c);
    else this.idle.push(c);
  }

  /**
   * Small lookups (string texts, input paths) run on a connection of their own, one after another: an
   * export holds a pool connection while it streams and needs texts for each chunk, so with every pool
   * connection streaming a lookup could otherwise wait for ever.
   */
  private lookupConnection: Promise<DuckDBConnection> | undefined;
  private lookupQueue: Promise<unknown> = Promise.resolve();

  private lookup(sql: string, values: DuckDBValue[] = []): Promise<DuckDBValue[][]> {
    this.lookupConnection ??= this.store.connect();
    const run = this.lookupQueue.then(async () => {
      const c = await this.lookupConnection!;
      return (await c.runAndReadAll(sql, values)).getRows();
    });
    this.lookupQueue = run.catch(() => undefined);
    return run;
  }

  private async rows(sql: string, values: DuckDBValue[] = []): Promise<DuckDBValue[][]> {
    const c = await this.acquire();
    try {
      return (await c.runAndReadAll(sql, values)).getRows();
    } finally {
      this.release(c);
    }
  }

  /** The string ids of texts (null: the store never saw the text, so nothing can match it). */
  private async resolve(texts: string[]): Promise<Map<string, number | null>> {
    const ids = new Map<string, number | null>();
    const missing: string[] = [];
    for (const t of new Set(texts)) {
      const id = this.sids.get(t);
      if (id === undefined) missing.push(t);
      else ids.set(t, id);
    }
    if (missing.length === 0) return ids;
    const found: DuckDBValue[][] = [];
    for (let i = 0; i < missing.length; i += LOOKUP_CHUNK) {
      const part = missing.slice(i, i + LOOKUP_CHUNK);
      found.push(
        ...(await this.rows(
          `SELECT text, min(id) FROM strings WHERE text IN (${part.map(() => '?').join(', ')}) GROUP BY text`,
          part,
        )),
      );
    }
    for (const t of missing) ids.set(t, null);
    for (const [text, id] of found) ids.set(String(text), Number(id));
    for (const t of missing) this.sids.set(t, ids.get(t)!);
    return ids;
  }

  /** Look up the texts of string ids not yet known. */
  private async loadTexts(ids: Iterable<DuckDBValue>): Promise<void> {
    const missing = [...new Set([...ids].filter((v) => v !== null).map(Number))].filter(
      (id) => !this.texts.has(id),
    );
    if (missing.length === 0) return;
    if (this.texts.size + missing.length > MAX_CACHED_TEXTS) this.texts.clear();
    // At most LOOKUP_CHUNK ids bound per statement, however many a caller brings.
    for (let i = 0; i < missing.length; i += LOOKUP_CHUNK) {
      const part = missing.slice(i, i + LOOKUP_CHUNK);
      const found = await this.lookup(
        `SELECT id::INTEGER, text FROM strings WHERE id IN (${part.map(() => '?').join(', ')})`,
        part,
      );
      for (const [id, text] of found) this.texts.set(Number(id), String(text));
    }
  }

  private text(id: DuckDBValue): string | undefined {
    return id === null ? undefined : this.texts.get(Number(id));
  }

  /** Event rows from ROW_COLUMNS rows: addresses printed, string ids and input ids turned into text. */
  private async eventRows(rows: DuckDBValue[][]): Promise<EventRow[]> {
    await this.loadTexts(rows.flatMap((r) => ROW_SIDS.map((i) => r[i]!)));
    this.paths ??= this.lookup('SELECT id::INTEGER, path FROM inputs').then(
      (rs) => new Map(rs.map(([id, path]) => [Number(id), String(path)])),
    );
    const paths = await this.paths;
    return rows.map((r) => {
      const row: EventRow = {
        input: Number(r[1]),
        line: Number(r[2]),
        action: String(r[3]),
        direction: String(r[4]),
        format: this.text(r[15]!) ?? '?',
      };
      const set = <K extends keyof EventRow>(k: K, v: EventRow[K] | undefined) => {
        if (v !== undefined) row[k] = v;
      };
      set('time', opt(r[0]!, Number));
      set('transport', this.text(r[5]!));
      set('src', r[6] === null ? this.text(r[7]!) : intToIpv4(Number(r[6])));
      set('srcPort', opt(r[8]!, Number));
      set('dst', r[9] === null ? this.text(r[10]!) : intToIpv4(Number(r[9])));
      set('dstPort', opt(r[11]!, Number));
      set('rule', this.text(r[12]!));
      set('prefix', this.text(r[13]!));
      set('host', this.text(r[14]!));
      set('file', paths.get(row.input));
      return row;
    });
  }

  /** The WHERE clause of a view: one condition per field ("is" chips OR-ed, "is not" chips AND-ed). */
  private async where(view: View, time = true): Promise<Sql> {
    const sids = await this.resolve(
      view.filters.flatMap((f) =>
        f.field === 'rule'
          ? [f.rule]
          : f.field === 'port' && f.transport
            ? [f.transport]
            : (f.field === 'src' || f.field === 'dst') && f.address.kind === 'v6'
              ? [f.address.text]
              : [],
      ),
    );
    const parts: string[] = [];
    const values: DuckDBValue[] = [];
    if (time && view.from !== undefined) {
      parts.push('ts >= ?::BIGINT');
      values.push(Math.floor(view.from));
    }
    if (time && view.to !== undefined) {
      parts.push('ts < ?::BIGINT');
      values.push(Math.floor(view.to));
    }
    const groups = new Map<string, Filter[]>();
    for (const f of view.filters) {
      const key = `${f.not ? '!' : ''}${f.field}`;
      groups.set(key, [...(groups.get(key) ?? []), f]);
    }
    for (const [key, filters] of groups) {
      const conds = filters.map((f) => this.condition(f, sids));
      if (key.startsWith('!')) {
        // NULL-safe: an event without the field (no port, an IPv6 source) is "not" every value.
        for (const c of conds) {
          parts.push(`NOT coalesce(${c.sql}, false)`);
          values.push(...c.values);
        }
      } else {
        parts.push(`(${conds.map((c) => c.sql).join(' OR ')})`);
        for (const c of conds) values.push(...c.values);
      }
    }
    return { sql: parts.length ? parts.join(' AND ') : 'true', values };
  }

  private condition(f: Filter, sids: Map<string, number | null>): Sql {
    const sid = (text: string) => sids.get(text) ?? null;
    switch (f.field) {
      case 'src':
      case 'dst': {
        const a = f.address;
        if (a.kind === 'v4')
          return a.lo === a.hi
            ? { sql: `${f.field}_v4 = ?`, values: [a.lo] }
            : { sql: `${f.field}_v4 BETWEEN ? AND ?`, values: [a.lo, a.hi] };
        // An IPv6 network: a range of the 128-bit values (numbers the filter parser made, as literals).
        if (a.kind === 'v6net')
          return { sql: `${f.field}_v6 BETWEEN ${a.lo}::UHUGEINT AND ${a.hi}::UHUGEINT`, values: [] };
        const id = sid(a.text);
        return id === null ? { sql: 'false', values: [] } : { sql: `${f.field}_text_sid = ?`, values: [id] };
      }
      case 'port': {
        if (f.transport === undefined) return { sql: 'dst_port = ?', values: [f.port] };
        const id = sid(f.transport);
        return id === null
          ? { sql: 'false', values: [] }
          : { sql: '(dst_port = ? AND transport_sid = ?)', values: [f.port, id] };
      }
      case 'rule': {
        const id = sid(f.rule);
        return id === null ? { sql: 'false', values: [] } : { sql: 'rule_sid = ?', values: [id] };
      }
      case 'action':
        return { sql: 'action = ?', values: [f.action] };
    }
  }

  span(): Promise<StoreSpan> {
    this.spanCache ??= (async () => {
      const [e] = await this.rows('SELECT count(*)::DOUBLE, min(ts)::DOUBLE, max(ts)::DOUBLE FROM events');
      const [f] = await this.rows('SELECT count(*)::DOUBLE FROM findings');
      const [u] = await this.rows('SELECT count(*)::DOUBLE FROM unparsed');
      return {
        events: Number(e![0]),
        ...(e![1] === null ? {} : { first: Number(e![1]), last: Number(e![2]) }),
        findings: Number(f![0]),
        unparsed: Number(u![0]),
      };
    })();
    return this.spanCache;
  }

  async timeline(view: View, maxBuckets: number): Promise<Timeline> {
    const span = await this.span();
    const lo = view.from ?? span.first;
    const hi = view.to ?? (span.last === undefined ? undefined : span.last + 1);
    const w = await this.where(view);
    if (lo === undefined || hi === undefined || hi <= lo) {
      const [r] = await this.rows(`SELECT count(*)::DOUBLE FROM events WHERE ${w.sql}`, w.values);
      return { bucketMs: 0, series: {}, events: Number(r![0]) };
    }
    const width = timelineWidth(lo, hi, maxBuckets);
    const start = Math.floor(lo / width) * width;
    const buckets = Math.max(1, Math.ceil((hi - start) / width));
    // One pass: counts per (bucket, action), the untimed events in the NULL bucket, first and last per
    // group. Grouped on the bucket number (floored, so a time before 1970 falls in its own bucket; 10 M
    // events: ~110 ms against ~85 for truncating `//`) and the ENUM, cast only in the few result rows
    // (casting the action inside the GROUP BY made it three times slower on 1 M events).
    const rows = await this.rows(
      `SELECT b::DOUBLE, a::VARCHAR, c::DOUBLE, lo::DOUBLE, hi::DOUBLE FROM (SELECT floor(ts / ?::BIGINT) AS b, action AS a,
        count(*) AS c, min(ts) AS lo, max(ts) AS hi FROM events WHERE ${w.sql} GROUP BY ALL)`,
      [width, ...w.values],
    );
    const series: Record<string, number[]> = {};
    let events = 0;
    let first: number | undefined;
    let last: number | undefined;
    for (const [b, action, count, min, max] of rows) {
      events += Number(count);
      if (b === null) continue;
      const a = String(action);
      series[a] ??= new Array<number>(buckets).fill(0);
      const i = Number(b) - start / width;
      if (i >= 0 && i < buckets) series[a]![i]! += Number(count);
      if (first === undefined || Number(min) < first) first = Number(min);
      if (last === undefined || Number(max) > last) last = Number(max);
    }
    return {
      start,
      bucketMs: width,
      series,
      events,
      ...(first === undefined ? {} : { first, last }),
    };
  }

  async top(view: View, by: TopField, limit: number): Promise<TopRow[]> {
    if ((by === 'src' || by === 'dst') && this.tunables.summaries && summaryAnswers(view))
      return this.summaryTop(by, view, limit);
    const w = await this.where(view);
    if (by === 'src' || by === 'dst') return this.topAddresses(by, w, limit);
    if (by === 'port') {
      // Ties by port, then transport name (none last), as the ClickHouse console and `query top` break them.
      const rows = await rankedPortRows(
        {
          rows: (sql, v) => this.rows(sql, v),
        },
        w.sql,
        w.values,
        limit,
      );
      return rows.map(({ key, count }) => ({ key, count }));
    }
    // Count, then the rule's name in byte order, cut in SQL (as `query top --by rule`).
    return rankedNames(
      (sql, v) => this.rows(sql, v),
      `SELECT rule_sid AS k, count(*)::DOUBLE AS c FROM events WHERE ${w.sql} AND rule_sid IS NOT NULL GROUP BY ALL`,
      w.values,
      limit,
    );
  }

  /** The top addresses of a view without chips (see summaryAnswers), from the per-day summaries. */
  private async summaryTop(side: 'src' | 'dst', view: View, limit: number): Promise<TopRow[]> {
    // One connection for every statement: the partial days go through a temporary table of that connection.
    const c = await this.acquire();
    let rows: Awaited<ReturnType<typeof topFromAddressDaysAndEdges>>;
    try {
      rows = await topFromAddressDaysAndEdges(
        async (sql, values) => (await c.runAndReadAll(sql, values)).getRows(),
        side,
        view,
        limit,
      );
    } finally {
      this.release(c);
    }
    await this.loadTexts(rows.map((r) => r[1]));
    return rows.map(([v4, sid, count]) => ({
      key: v4 === null ? (this.text(sid) ?? '?') : intToIpv4(Number(v4)),
      count,
    }));
  }

  /** The exact top addresses of one side among the events matching `w` (and, when given, `within`). */
  private async exactAddresses(
    side: 'src' | 'dst',
    w: Sql,
    limit: number,
    within = 'true',
  ): Promise<TopRow[]> {
    // Grouped on the numeric columns; only the few rows kept are turned into text.
    const rows = await rankAddresses(
      (sql, v) => this.rows(sql, v),
      `SELECT ${side}_v4 AS v4, ${side}_text_sid AS sid, count(*)::DOUBLE AS c FROM events
        WHERE ${w.sql} AND (${side}_v4 IS NOT NULL OR ${side}_text_sid IS NOT NULL) AND ${within}
        GROUP BY ALL`,
      w.values,
      limit,
    );
    return rows.map((r) => ({
      key: r[0] === null ? String(r[3] ?? '?') : intToIpv4(Number(r[0])),
      count: Number(r[2]),
    }));
  }

  /**
   * The top addresses, exact, without grouping millions of distinct addresses when the view is large.
   * Addresses fall into 65,536 buckets (an IPv4 address by its /16, an IPv6 one by its string id); no
   * address counts more than its bucket. The addresses of the busiest buckets are counted first; the
   * `limit`-th of them sets a bar L, and only buckets holding at least L events can hold an address of the
   * final list, so only those are counted exactly. Ties and order are those of the plain GROUP BY (a test
   * checks the two agree). Real logs and the generated one alike have a few heavy sources over a spread of
   * background noise, so few buckets pass the bar; when many would, one plain GROUP BY runs instead.
   */
  private async topAddresses(side: 'src' | 'dst', w: Sql, limit: number): Promise<TopRow[]> {
    // coalesce and a shift, not CASE and a division: half the time of the pass over 10 M events.
    const bucket = `coalesce(${side}_v4 >> 16, 65536 + ${side}_text_sid % 65536)`;
    // The busiest buckets only (enough to decide), with the view's event count beside each.
    const rows = await this.rows(
      `SELECT b::INTEGER, c::DOUBLE, (sum(c) OVER ())::DOUBLE FROM (SELECT ${bucket} AS b, count(*) AS c FROM events
        WHERE ${w.sql} AND (${side}_v4 IS NOT NULL OR ${side}_text_sid IS NOT NULL) GROUP BY b)
        ORDER BY c DESC, b LIMIT ?`,
      [...w.values, this.tunables.maxCandidateBuckets + 1],
    );
    const buckets = rows.map(([b, c]) => ({ b: Number(b), c: Number(c) }));
    const events = rows.length ? Number(rows[0]![2]) : 0;
    // Few events, or one bucket holding most of them (a log of one protected host): few distinct
    // addresses to group, and the plain GROUP BY is the quicker.
    if (buckets.length === 0 || events < this.tunables.bucketedTopMinEvents || buckets[0]!.c * 2 > events)
      return this.exactAddresses(side, w, limit);
    // Bucket numbers come from the query above: integers, written into the SQL as such.
    const inBuckets = (bs: { b: number }[]) => `${bucket} IN (${bs.map((x) => Math.trunc(x.b)).join(', ')})`;
    const first = buckets.slice(0, this.tunables.firstRoundBuckets);
    const round1 = await this.exactAddresses(side, w, limit, inBuckets(first));
    const bar = round1.length < limit ? 1 : round1[limit - 1]!.count;
    const candidates = buckets.filter((x) => x.c >= bar);
    if (candidates.length <= first.length) return round1;
    if (candidates.length > this.tunables.maxCandidateBuckets) return this.exactAddresses(side, w, limit);
    return this.exactAddresses(side, w, limit, inBuckets(candidates));
  }

  private async pageSql(view: View, offset: number, limit: number): Promise<Sql> {
    const w = await this.where(view);
    return {
      sql: `SELECT ${ROW_COLUMNS} FROM events WHERE ${w.sql} ORDER BY ${NEWEST_FIRST} LIMIT ? OFFSET ?`,
      values: [...w.values, limit, offset],
    };
  }

  async events(view: View, offset: number, limit: number): Promise<EventRow[]> {
    const q = await this.pageSql(view, offset, limit);
    return this.eventRows(await this.rows(q.sql, q.values));
  }

  async event(input: number, line: number): Promise<FwEvent | undefined> {
    const c = await this.acquire();
    try {
      const rows = (
        await c.runAndReadAll(
          `SELECT ${EVENT_READ_COLUMNS} FROM events WHERE file_id = ? AND line = ? LIMIT 1`,
          [input, line],
        )
      ).getRows();
      const row = rows[0];
      if (!row) return undefined;
      // The string ids of this one row, and its input's path.
      const ids = row.filter(
        (_, i) => [3, 6, 10, 12, 15, 16, 17, 18, 19, 20, 21, 22].includes(i) && row[i] !== null,
      );
      const texts = new Map<number, string>();
      if (ids.length) {
        const found = (
          await c.runAndReadAll(
            `SELECT id, text FROM strings WHERE id IN (${ids.map(() => '?').join(', ')})`,
            ids,
          )
        ).getRows();
        for (const [id, text] of found) texts.set(Number(id), String(text));
      }
      const paths = new Map<number, string>();
      const p = (await c.runAndReadAll('SELECT path FROM inputs WHERE id = ?', [input])).getRows()[0];
      if (p) paths.set(input, String(p[0]));
      return rowEvent(row, paths, (sid) => (sid === null ? undefined : texts.get(Number(sid))));
    } finally {
      this.release(c);
    }
  }

  async findings(view: View, limit: number): Promise<{ total: number; findings: Finding[] }> {
    // Findings carry addresses and ports, not rules or actions: the address and port chips apply.
    const parts: string[] = [];
    const values: DuckDBValue[] = [];
    if (view.from !== undefined) {
      parts.push('(last_ts IS NULL OR last_ts >= ?::BIGINT)');
      values.push(Math.floor(view.from));
    }
    if (view.to !== undefined) {
      parts.push('(first_ts IS NULL OR first_ts < ?::BIGINT)');
      values.push(Math.floor(view.to));
    }
    const rows = await this.rows(
      `SELECT id::DOUBLE, sources, targets, ports FROM findings WHERE ${parts.join(' AND ') || 'true'}
        ORDER BY first_ts NULLS LAST, id`,
      values,
    );
    const list = (v: DuckDBValue) => ((v as { items?: DuckDBValue[] } | null)?.items ?? []).map(String);
    const kept = rows.filter((r) =>
      findingMatches(view.filters, list(r[1]!), list(r[2]!), list(r[3]!).map(Number)),
    );
    const ids = kept.slice(0, limit).map((r) => Number(r[0]));
    if (ids.length === 0) return { total: kept.length, findings: [] };
    const marks = ids.map(() => '?::UBIGINT').join(', ');
    const bodies = await this.rows(
      `SELECT f.id::DOUBLE, f.body::VARCHAR,
        (SELECT list({'file': i.path, 'line': e.line::DOUBLE, 'text': e.text} ORDER BY e.ord)
          FROM evidence e LEFT JOIN inputs i ON i.id = e.file_id WHERE e.finding_id = f.id)::JSON::VARCHAR
        FROM findings f WHERE f.id IN (${marks})`,
      ids,
    );
    const byId = new Map(
      bodies.map((r) => {
        const f = JSON.parse(String(r[1])) as Finding;
        const ev = (JSON.parse(String(r[2] ?? 'null')) ?? []) as {
          file: string | null;
          line: number | null;
          text: string;
        }[];
        f.evidence = ev.map((e) => ({
          ...(e.file === null ? {} : { file: e.file }),
          ...(e.line === null ? {} : { line: Number(e.line) }),
          text: e.text,
        }));
        return [Number(r[0]), f] as const;
      }),
    );
    return { total: kept.length, findings: ids.map((id) => byId.get(id)!).filter(Boolean) };
  }

  async unparsed(offset: number, limit: number): Promise<UnparsedPage> {
    const [count] = await this.rows('SELECT count(*)::DOUBLE FROM unparsed');
    const rows = await this.rows(
      `SELECT i.path, u.line::DOUBLE, u.kind::VARCHAR, u.reason, u.text FROM unparsed u
        LEFT JOIN inputs i ON i.id = u.file_id ORDER BY u.file_id, u.line LIMIT ? OFFSET ?`,
      [limit, offset],
    );
    return {
      total: Number(count![0]),
      rows: rows.map((r) => ({
        ...(r[0] === null ? {} : { file: String(r[0]) }),
        line: Number(r[1]),
        kind: String(r[2]),
        reason: String(r[3]),
        text: String(r[4]),
      })),
    };
  }

  async count(view: View): Promise<number> {
    const w = await this.where(view);
    return Number((await this.rows(`SELECT count(*)::DOUBLE FROM events WHERE ${w.sql}`, w.values))[0]![0]);
  }

  async *exportRows(view: View, limit: number): AsyncIterable<EventRow> {
    const q = await this.pageSql(view, 0, limit);
    const c = await this.acquire();
    try {
      const result = await c.stream(q.sql, q.values);
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        for (const r of await this.eventRows(chunk.getRows())) yield r;
      }
    } finally {
      this.release(c);
    }
  }

  pendingSummaries(): Promise<number> {
    return this.store.pendingSummaries();
  }

  async close(): Promise<void> {
    for (const c of this.idle.splice(0)) c.closeSync();
    if (this.lookupConnection) (await this.lookupConnection).closeSync();
  }
}

/** Whether a finding with these sources, targets and ports passes the view's address and port chips. */
export function findingMatches(
  filters: Filter[],
  sources: string[],
  targets: string[],
  ports: number[],
): boolean {
  const groups = new Map<string, boolean[]>();
  for (const f of filters) {
    let hit: boolean;
    if (f.field === 'src' || f.field === 'dst') {
      const list = f.field === 'src' ? sources : targets;
      const a = f.address;
      hit = list.some((s) => addressIn(a, s));
    } else if (f.field === 'port') hit = ports.includes(f.port);
    else continue;
    const key = `${f.not ? '!' : ''}${f.field}`;
    groups.set(key, [...(groups.get(key) ?? []), hit]);
  }
  for (const [key, hits] of groups) {
    if (key.startsWith('!') ? hits.some(Boolean) : !hits.some(Boolean)) return false;
  }
  return true;
}
