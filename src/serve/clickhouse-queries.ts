// The serve console's queries on a ClickHouse store: the same views as on DuckDB (src/serve/duckdb-queries.ts),
// SQL built from typed filter values as checked literals, committed rows only.
import type { Finding } from '../detect/index.js';
import type { FwEvent } from '../event.js';
import { intToIpv4 } from '../net/ip.js';
import { summariesAnswer } from '../store/address-days.js';
import { v6RangeCondition } from '../store/clickhouse/presets.js';
import { EVENT_READ_COLUMNS, rowEvent } from '../store/clickhouse/rows.js';
import { intLiteral, stringLiteral } from '../store/clickhouse/sql.js';
import type { ClickHouseStore } from '../store/clickhouse/store.js';
import { findingMatches, timelineWidth } from './duckdb-queries.js';
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

/** Rows per request of an export (it streams page by page). */
const EXPORT_PAGE_ROWS = 10_000;

/** Newest first; the input and line break ties so pages never overlap (as on DuckDB). */
const NEWEST_FIRST = 'ts DESC NULLS LAST, file_id DESC, line DESC';

const ROW_COLUMNS = `ts, file_id, line, action, direction, transport, src_kind, src_v4, src_text, src_port,
  dst_kind, dst_v4, dst_text, dst_port, rule, prefix, host, format`;

interface RowRecord {
  ts: string | null;
  file_id: number;
  line: string;
  action: string;
  direction: string;
  transport: string | null;
  src_kind: number;
  src_v4: number;
  src_text: string | null;
  src_port: number | null;
  dst_kind: number;
  dst_v4: number;
  dst_text: string | null;
  dst_port: number | null;
  rule: string | null;
  prefix: string | null;
  host: string | null;
  format: string;
}

const address = (kind: number, v4: number, text: string | null) =>
  Number(kind) === 4 ? intToIpv4(Number(v4)) : Number(kind) === 6 ? (text ?? undefined) : undefined;

/** Open the console's queries on a (read-only) ClickHouse store. */
export function clickHouseConsole(store: ClickHouseStore): ConsoleQueries {
  return new ClickHouseConsole(store);
}

class ClickHouseConsole implements ConsoleQueries {
  private readonly events_: string;
  private readonly committed: string;
  private paths: Promise<Map<number, string>> | undefined;

  constructor(private readonly store: ClickHouseStore) {
    this.events_ = store.table('events');
    this.committed = store.committedRows;
  }

  private rows<T>(sql: string): Promise<T[]> {
    return this.store.readRows<T>(sql);
  }

  /** The WHERE clause of a view: one condition per field ("is" chips OR-ed, "is not" chips AND-ed). */
  private where(view: View, time = true): string {
    const parts: string[] = [this.committed];
    if (time && view.from !== undefined) parts.push(`ts >= ${intLiteral(Math.floor(view.from))}`);
    if (time && view.to !== undefined) parts.push(`ts < ${intLiteral(Math.floor(view.to))}`);
    const groups = new Map<string, Filter[]>();
    for (const f of view.filters) {
      const key = `${f.not ? '!' : ''}${f.field}`;
      groups.set(key, [...(groups.get(key) ?? []), f]);
    }
    for (const [key, filters] of groups) {
      const conds = filters.map((f) => this.condition(f));
      // NULL-safe: an event without the field (no port, another address family) is "not" every value.
      if (key.startsWith('!')) for (const c of conds) parts.push(`NOT ifNull(${c}, 0)`);
      else parts.push(`(${conds.join(' OR ')})`);
    }
    return parts.join(' AND ');
  }

  private condition(f: Filter): string {
    switch (f.field) {
      case 'src':
      case 'dst': {
        const a = f.address;
        if (a.kind === 'v4')
          return `(${f.field}_kind = 4 AND ${f.field}_v4 BETWEEN ${intLiteral(a.lo)} AND ${intLiteral(a.hi)})`;
        if (a.kind === 'v6net') return `(${v6RangeCondition(f.field, a.lo, a.hi)})`;
        return `(${f.field}_kind = 6 AND ${f.field}_text = ${stringLiteral(a.text)})`;
      }
      case 'port':
        return f.transport === undefined
          ? `dst_port = ${intLiteral(f.port)}`
          : `(dst_port = ${intLiteral(f.port)} AND transport = ${stringLiteral(f.transport)})`;
      case 'rule':
        return `rule = ${stringLiteral(f.rule)}`;
      case 'action':
        return `action = ${stringLiteral(f.action)}`;
    }
  }

  async span(): Promise<StoreSpan> {
    const [e] = await this.rows<{ n: string; lo: string | null; hi: string | null }>(
      `SELECT count() AS n, min(ts) AS lo, max(ts) AS hi FROM ${this.events_} WHERE ${this.committed}`,
    );
    const [f] = await this.rows<{ n: string }>(
      `SELECT count() AS n FROM ${this.store.table('findings')} WHERE ${this.committed}`,
    );
    const [u] = await this.rows<{ n: string }>(
      `SELECT count() AS n FROM ${this.store.table('problems')} WHERE ${this.committed}`,
    );
    return {
      events: Number(e?.n ?? 0),
      ...(e?.lo === null || e?.lo === undefined ? {} : { first: Number(e.lo), last: Number(e.hi) }),
      findings: Number(f?.n ?? 0),
      unparsed: Number(u?.n ?? 0),
    };
  }

  async timeline(view: View, maxBuckets: number): Promise<Timeline> {
    const span = await this.span();
    const lo = view.from ?? span.first;
    const hi = view.to ?? (span.last === undefined ? undefined : span.last + 1);
    const w = this.where(view);
    if (lo === undefined || hi === undefined || hi <= lo) {
      const [r] = await this.rows<{ n: string }>(`SELECT count() AS n FROM ${this.events_} WHERE ${w}`);
      return { bucketMs: 0, series: {}, events: Number(r?.n ?? 0) };
    }
    const width = timelineWidth(lo, hi, maxBuckets);
    const start = Math.floor(lo / width) * width;
    const buckets = Math.max(1, Math.ceil((hi - start) / width));
    const rows = await this.rows<{
      b: string | null;
      a: string;
      c: string;
      lo: string | null;
      hi: string | null;
    }>(
      `SELECT floor(ts / ${intLiteral(width)}) AS b, toString(action) AS a, count() AS c, min(ts) AS lo,
        max(ts) AS hi FROM ${this.events_} WHERE ${w} GROUP BY b, a`,
    );
    const series: Record<string, number[]> = {};
    let events = 0;
    let first: number | undefined;
    let last: number | undefined;
    for (const r of rows) {
      events += Number(r.c);
      if (r.b === null) continue;
      series[r.a] ??= new Array<number>(buckets).fill(0);
      const i = Number(r.b) - start / width;
      if (i >= 0 && i < buckets) series[r.a]![i]! += Number(r.c);
      if (first === undefined || Number(r.lo) < first) first = Number(r.lo);
      if (last === undefined || Number(r.hi) > last) last = Number(r.hi);
    }
    return { start, bucketMs: width, series, events, ...(first === undefined ? {} : { first, last }) };
  }

  async top(view: View, by: TopField, limit: number): Promise<TopRow[]> {
    // Unfiltered top sources: from the per-day source summaries (and the partial days at the edges), as
    // `query top`, where they pay (10 M noise events on two local shards, all: 3.0 s grouping every event).
    if (by === 'src' && view.filters.length === 0 && summariesAnswer(view.from, view.to))
      return (
        await this.store.top('src', limit, {
          ...(view.from === undefined ? {} : { since: view.from }),
          ...(view.to === undefined ? {} : { until: view.to }),
        })
      ).map(({ key, count }) => ({ key, count }));
    const w = this.where(view);
    const n = intLiteral(limit);
    if (by === 'src' || by === 'dst') {
      // Grouped on the numbers (IPv4 before IPv6 on equal counts, then by address), as on DuckDB.
      const rows = await this.rows<{ kind: number; v4: number; txt: string | null; c: string }>(
        `SELECT ${by}_kind AS kind, ${by}_v4 AS v4, ${by}_v6_hi AS hi, ${by}_v6_lo AS lo, any(${by}_text) AS txt,
          count() AS c FROM ${this.events_} WHERE ${w} AND ${by}_kind != 0
          GROUP BY kind, v4, hi, lo ORDER BY c DESC, kind, v4, hi, lo LIMIT ${n}`,
      );
      return rows.map((r) => ({ key: address(r.kind, r.v4, r.txt) ?? '?', count: Number(r.c) }));
    }
    if (by === 'port') {
      const rows = await this.rows<{ p: number; tr: string | null; c: string }>(
        `SELECT dst_port AS p, transport AS tr, count() AS c FROM ${this.events_}
          WHERE ${w} AND dst_port IS NOT NULL GROUP BY p, tr ORDER BY c DESC, p, tr LIMIT ${n}`,
      );
      return rows.map((r) => ({ key: r.tr ? `${r.p}/${r.tr}` : String(r.p), count: Number(r.c) }));
    }
    const rows = await this.rows<{ k: string; c: string }>(
      `SELECT rule AS k, count() AS c FROM ${this.events_} WHERE ${w} AND rule IS NOT NULL
        GROUP BY k ORDER BY c DESC, k LIMIT ${n}`,
    );
    return rows.map((r) => ({ key: String(r.k), count: Number(r.c) }));
  }

  private inputPaths(): Promise<Map<number, string>> {
    this.paths ??= this.store
      .inputs()
      .then((inputs) => new Map(inputs.map((i) => [i.id, i.path])))
      .catch((e) => {
        this.paths = undefined;
        throw e;
      });
    return this.paths;
  }

  private async eventRows(rows: RowRecord[]): Promise<EventRow[]> {
    const paths = await this.inputPaths();
    return rows.map((r) => {
      const row: EventRow = {
        input: Number(r.file_id),
        line: Number(r.line),
        action: String(r.action),
        direction: String(r.direction),
        format: String(r.format),
      };
      const set = <K extends keyof EventRow>(k: K, v: EventRow[K] | null | undefined) => {
        if (v !== undefined && v !== null) row[k] = v;
      };
      set('time', r.ts === null ? undefined : Number(r.ts));
      set('transport', r.transport);
      set('src', address(r.src_kind, r.src_v4, r.src_text));
      set('srcPort', r.src_port === null ? undefined : Number(r.src_port));
      set('dst', address(r.dst_kind, r.dst_v4, r.dst_text));
      set('dstPort', r.dst_port === null ? undefined : Number(r.dst_port));
      set('rule', r.rule);
      set('prefix', r.prefix);
      set('host', r.host);
      set('file', paths.get(row.input));
      return row;
    });
  }

  private page(view: View, offset: number, limit: number): Promise<RowRecord[]> {
    return this.rows<RowRecord>(
      `SELECT ${ROW_COLUMNS} FROM ${this.events_} WHERE ${this.where(view)}
        ORDER BY ${NEWEST_FIRST} LIMIT ${intLiteral(limit)} OFFSET ${intLiteral(offset)}`,
    );
  }

  async events(view: View, offset: number, limit: number): Promise<EventRow[]> {
    return this.eventRows(await this.page(view, offset, limit));
  }

  async event(input: number, line: number): Promise<FwEvent | undefined> {
    const [r] = await this.rows<Parameters<typeof rowEvent>[0]>(
      `SELECT ${EVENT_READ_COLUMNS.join(', ')} FROM ${this.events_}
        WHERE file_id = ${intLiteral(input)} AND line = ${intLiteral(line)} AND ${this.committed} LIMIT 1`,
    );
    if (!r) return undefined;
    return rowEvent(r, (await this.inputPaths()).get(input));
  }

  async findings(view: View, limit: number): Promise<{ total: number; findings: Finding[] }> {
    // Findings carry addresses and ports, not rules or actions: the address and port chips apply.
    const all = await this.store.findings({
      ...(view.from === undefined ? {} : { since: view.from }),
      ...(view.to === undefined ? {} : { until: view.to }),
    });
    const kept = all
      .filter((f) => findingMatches(view.filters, f.sources, f.targets, f.ports))
      .sort((x, y) => (x.firstSeen ?? Number.POSITIVE_INFINITY) - (y.firstSeen ?? Number.POSITIVE_INFINITY));
    return { total: kept.length, findings: kept.slice(0, limit) };
  }

  async unparsed(offset: number, limit: number): Promise<UnparsedPage> {
    const table = this.store.table('problems');
    const [count] = await this.rows<{ n: string }>(
      `SELECT count() AS n FROM ${table} WHERE ${this.committed}`,
    );
    const rows = await this.rows<{
      file_id: number;
      line: string;
      kind: string;
      reason: string;
      text: string;
    }>(
      `SELECT file_id, line, toString(kind) AS kind, reason, text FROM ${table} WHERE ${this.committed}
        ORDER BY file_id, line LIMIT ${intLiteral(limit)} OFFSET ${intLiteral(offset)}`,
    );
    const paths = await this.inputPaths();
    return {
      total: Number(count?.n ?? 0),
      rows: rows.map((r) => {
        const file = paths.get(Number(r.file_id));
        return {
          ...(file === undefined ? {} : { file }),
          line: Number(r.line),
          kind: r.kind,
          reason: r.reason,
          text: r.text,
        };
      }),
    };
  }

  async count(view: View): Promise<number> {
    const [r] = await this.rows<{ n: string }>(
      `SELECT count() AS n FROM ${this.events_} WHERE ${this.where(view)}`,
    );
    return Number(r?.n ?? 0);
  }

  async *exportRows(view: View, limit: number): AsyncIterable<EventRow> {
    for (let offset = 0; offset < limit; offset += EXPORT_PAGE_ROWS) {
      const page = await this.page(view, offset, Math.min(EXPORT_PAGE_ROWS, limit - offset));
      for (const r of await this.eventRows(page)) yield r;
      if (page.length < EXPORT_PAGE_ROWS) return;
    }
  }

  async close(): Promise<void> {
    // The store is closed by whoever opened it.
  }
}
