// The query presets on the ClickHouse store: an address, a port, rankings, new sources (values as checked literals).
import type { Finding } from '../../detect/index.js';
import { tBoth } from '../../i18n.js';
import { addressIn, addressMatch, intToIpv4, shownAddress, singleAddress } from '../../net/ip.js';
import { DAY_MS, summariesAnswer } from '../address-days.js';
import {
  type IpSummary,
  type PortSummary,
  type PresetOptions,
  type Ranked,
  rankRows,
  type SourceCounts,
  StoreError,
  type TimeWindow,
  type TopKey,
} from '../types.js';
import type { Host } from './connection.js';
import { ipv6Halves, partitionDay } from './rows.js';
import { NO_DAY } from './schema.js';
import { intLiteral, stringLiteral } from './sql.js';

/** Sources per batch of `sourceCounts`. */
const SOURCE_BATCH = 2048;

/** IPv6 global unicast (2000::/3) as a condition on the upper half: 2^61 to 2^62 - 1. */
const GLOBAL_UNICAST_HI = '(src_v6_hi BETWEEN 2305843009213693952 AND 4611686018427387903)';

const num = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));

/** Rows of committed writes only: the condition every read of events, problems and findings carries. */
export function committedCondition(db: string): string {
  return `gen GLOBAL IN (SELECT gen FROM ${db}.inputs)`;
}

/** The presets of one store. */
export class Presets {
  private readonly committed: string;

  constructor(
    private readonly home: Host,
    private readonly db: string,
    private readonly cluster: string | undefined,
    /** The store's findings matching a condition on the findings table. */
    private readonly findingsWhere: (where: string) => Promise<Finding[]>,
  ) {
    this.committed = committedCondition(db);
  }

  private t(name: string): string {
    return `${this.db}.${name}`;
  }

  private async ranked(sql: string): Promise<Ranked[]> {
    return (await this.home.rows<{ k: string; c: string }>(sql)).map((r) => ({
      key: String(r.k),
      count: Number(r.c),
    }));
  }

  /** Events per UTC day: grouped on the day number, named here (the server's own time zone plays no part). */
  private async perDay(where: string): Promise<Ranked[]> {
    const rows = await this.home.rows<{ d: string; c: string }>(
      `SELECT floor(ts / 86400000) AS d, count() AS c FROM ${this.t('events')}
        WHERE ${where} AND ts IS NOT NULL AND ${this.committed} GROUP BY d ORDER BY d`,
    );
    return rows.map((r) => ({
      key: new Date(Number(r.d) * 86_400_000).toISOString().slice(0, 10),
      count: Number(r.c),
    }));
  }

  /** Top destination ports (`port/transport`): port, then transport (none last) break ties. */
  private async rankedPorts(where: string, limit: number) {
    const rows = await this.home.rows<{ p: number; tr: string | null; c: string }>(
      `SELECT dst_port AS p, transport AS tr, count() AS c FROM ${this.t('events')}
        WHERE ${where} AND dst_port IS NOT NULL AND ${this.committed}
        GROUP BY p, tr ORDER BY c DESC, p, tr LIMIT ${intLiteral(limit)}`,
    );
    return rows.map((r) => ({
      port: Number(r.p),
      transport: r.tr ?? undefined,
      key: r.tr ? `${r.p}/${r.tr}` : String(r.p),
      count: Number(r.c),
    }));
  }

  /** Top addresses of one side: grouped on the numeric columns, IPv4 before IPv6 on equal counts. */
  private async rankedAddresses(side: 'src' | 'dst', where: string, limit: number): Promise<Ranked[]> {
    const sql = `SELECT ${side}_kind AS kind, ${side}_v4 AS v4, ${side}_v6_hi AS hi, ${side}_v6_lo AS lo,
        any(${side}_text) AS txt, count() AS c FROM ${this.t('events')}
        WHERE ${where} AND ${side}_kind != 0 AND ${this.committed}
        GROUP BY kind, v4, hi, lo`;
    const rows = await this.perSource<{ kind: number; v4: number; txt: string | null; c: string }>(
      side === 'src',
      sql,
      'c DESC, kind, v4, hi, lo',
      limit,
    );
    return rows.map((r) => ({ key: addressText(r.kind, r.v4, r.txt), count: Number(r.c) }));
  }

  /**
   * A ranking grouped by source address, sorted and cut. On a cluster every source lives on one shard (the
   * sharding key), so each shard ranks its own sources completely (distributed_group_by_no_merge) and only
   * their top rows travel, instead of every shard's groups being merged on the first host.
   */
  private perSource<T>(bySource: boolean, grouped: string, order: string, limit: number): Promise<T[]> {
    const n = intLiteral(limit);
    if (!bySource || this.cluster === undefined)
      return this.home.rows<T>(`${grouped} ORDER BY ${order} LIMIT ${n}`);
    return this.home.rows<T>(
      `SELECT * FROM (${grouped} ORDER BY ${order} LIMIT ${n}) ORDER BY ${order} LIMIT ${n}`,
      {
        distributed_group_by_no_merge: 1,
      },
    );
  }

  async querySource(ip: string, window?: TimeWindow, opts?: PresetOptions): Promise<IpSummary> {
    const limit = rankRows(opts);
    const where = `${addressCondition(ip, 'src')} AND ${windowCondition(window)}`;
    const [head] = await this.home.rows<{ n: string; first: string | null; last: string | null }>(
      `SELECT count() AS n, min(ts) AS first, max(ts) AS last FROM ${this.t('events')}
        WHERE ${where} AND ${this.committed}`,
    );
    const ports = await this.rankedPorts(where, limit);
    const shown = shownAddress(ip);
    const match = addressMatch(ip)!;
    // A network: the findings with a source of its family, matched here (the lists are texts).
    const findings = singleAddress(match)
      ? await this.findingsWhere(`has(sources, ${stringLiteral(shown)})`)
      : (
          await this.findingsWhere(
            `arrayExists(s -> position(s, ':') ${match.kind === 'v4' ? '=' : '>'} 0, sources)`,
          )
        ).filter((f) => f.sources.some((s) => addressIn(match, s)));
    const top = ports[0];
    return {
      ip: shown,
      events: Number(head?.n ?? 0),
      firstSeen: num(head?.first),
      lastSeen: num(head?.last),
      perDay: await this.perDay(where),
      ports: ports.map(({ key, count }) => ({ key, count })),
      targets: await this.rankedAddresses('dst', where, limit),
      ...(top ? { topPort: { port: top.port, ...(top.transport ? { transport: top.transport } : {}) } } : {}),
      findings,
    };
  }

  async queryPort(
    port: number,
    window?: TimeWindow,
    opts?: PresetOptions & { transport?: string },
  ): Promise<PortSummary> {
    const limit = rankRows(opts);
    const transport =
      opts?.transport === undefined ? '' : ` AND transport = ${stringLiteral(opts.transport)}`;
    const where = `dst_port = ${intLiteral(port)}${transport} AND ${windowCondition(window)}`;
    const [head] = await this.home.rows<{ n: string; first: string | null; last: string | null }>(
      `SELECT count() AS n, min(ts) AS first, max(ts) AS last FROM ${this.t('events')}
        WHERE ${where} AND ${this.committed}`,
    );
    const transports = await this.ranked(
      `SELECT ifNull(transport, '?') AS k, count() AS c FROM ${this.t('events')} WHERE ${where} AND ${this.committed}
        GROUP BY k ORDER BY c DESC, k`,
    );
    return {
      port,
      events: Number(head?.n ?? 0),
      firstSeen: num(head?.first),
      lastSeen: num(head?.last),
      perDay: await this.perDay(where),
      sources: await this.rankedAddresses('src', where, limit),
      targets: await this.rankedAddresses('dst', where, limit),
      transports,
    };
  }

  /**
   * Top sources of a range from the per-day source summaries (schema 4): the whole UTC days inside it (or
   * everything) from the summary rows, the partial day at each edge (`--since 7d`, the console's last 7 days)
   * grouped from its events into one more row per source, the same answer as grouping every event.
   * Only the sources that can reach the top are summed. A source has at most one summary row per write and
   * day, and one row per edge, so at most G rows (G: the writes' distinct (write, day) pairs in the range,
   * plus the edges); the busiest limit × G rows name at least `limit` sources; the `limit`-th largest total
   * among those, B, is at most the true `limit`-th total, and a source whose total reaches B has a row of at
   * least B / G. (Grouping every row of a noise log ranks 6 M sources: 3.0 s at 10 M events on two local
   * shards.) Use it where `summariesAnswer` says the summaries pay.
   */
  async topSourcesFromDays(limit: number, window?: TimeWindow): Promise<Ranked[]> {
    const since = window?.since === undefined ? undefined : Math.floor(window.since);
    const until = window?.until === undefined ? undefined : Math.floor(window.until);
    const first = since === undefined ? undefined : Math.ceil(since / DAY_MS) * DAY_MS;
    const last = until === undefined ? undefined : Math.floor(until / DAY_MS) * DAY_MS;
    // No whole day inside: the range's own events.
    if (first !== undefined && last !== undefined && first >= last)
      return this.rankedAddresses('src', windowCondition(window), limit);
    const parts: string[] = [];
    // `d` is exact; the partition day (`day`, the same day for times from 1970 on) lets the server skip
    // whole partitions.
    if (first !== undefined)
      parts.push(
        `d >= ${intLiteral(first / DAY_MS)}`,
        `day >= ${stringLiteral(partitionDay(Math.max(0, first)))}`,
      );
    if (last !== undefined)
      parts.push(
        `d < ${intLiteral(last / DAY_MS)}`,
        `day <= ${stringLiteral(partitionDay(Math.max(0, last)))}`,
      );
    // A range leaves the untimed events out, as `ts >= since` does.
    if (parts.length > 0) parts.push(`d != ${NO_DAY}`);
    const table = this.t('source_days');
    const where = `${parts.length ? parts.join(' AND ') : '1'} AND ${this.committed}`;
    const edges: TimeWindow[] = [];
    if (since !== undefined && since !== first) edges.push({ since, until: first });
    if (until !== undefined && until !== last) edges.push({ since: last, until });
    const key = '(kind, v4, hi, lo)';
    // An edge reads its own day's partition only (`ts` alone prunes none).
    const edgeDays = (w: TimeWindow) =>
      `day >= ${stringLiteral(partitionDay(w.since))} AND day <= ${stringLiteral(partitionDay(w.until! - 1))}`;
    /** The rows of the range as (kind, v4, hi, lo, txt, events), each branch cut by `branch`. */
    const rows = (branch: { sources?: string; minEvents?: string; top?: number }) => {
      const only = branch.sources ? ` AND ${key} GLOBAL IN (${branch.sources})` : '';
      const cut = branch.top === undefined ? '' : ` ORDER BY events DESC LIMIT ${intLiteral(branch.top)}`;
      const summary = `SELECT kind, v4, hi, lo, txt, events FROM ${table} WHERE ${where}${only}${
        branch.minEvents ? ` AND events ${branch.minEvents}` : ''
      }${cut}`;
      const edge = (w: TimeWindow) =>
        `SELECT src_kind AS kind, src_v4 AS v4, src_v6_hi AS hi, src_v6_lo AS lo, any(src_text) AS txt,
          count() AS events FROM ${this.t('events')}
          WHERE src_kind != 0 AND ${windowCondition(w)} AND ${edgeDays(w)} AND ${this.committed}${
            branch.sources
              ? ` AND (src_kind, src_v4, src_v6_hi, src_v6_lo) GLOBAL IN (${branch.sources})`
              : ''
          }
          GROUP BY kind, v4, hi, lo${branch.minEvents ? ` HAVING events ${branch.minEvents}` : ''}${cut}`;
      return [summary, ...edges.map(edge)].join(' UNION ALL ');
    };
    const [pairs] = await this.home.rows<{ g: string }>(
      `SELECT uniqExact(gen, d) AS g FROM ${table} WHERE ${where}`,
    );
    const g = Number(pairs?.g ?? 0) + edges.length;
    if (g === 0) return [];
    const n = limit * g;
    const candidates = `SELECT kind, v4, hi, lo FROM (${rows({ top: n })}) ORDER BY events DESC LIMIT ${intLiteral(n)}`;
    const [bar] = await this.home.rows<{ b: string; n: string }>(
      `SELECT min(c) AS b, count() AS n FROM (SELECT sum(events) AS c FROM (${rows({ sources: candidates })})
        GROUP BY kind, v4, hi, lo ORDER BY c DESC LIMIT ${intLiteral(limit)})`,
    );
    // Fewer than `limit` sources there: the range holds that few, and every source takes part.
    const b = Number(bar?.n ?? 0) < limit ? 0 : Number(bar?.b ?? 0);
    const reach = `* ${intLiteral(g)} >= ${intLiteral(b)}`;
    if (edges.length === 0) {
      // Whole days only: each shard ranks its own sources (perSource), only their top rows travel.
      const sql = `SELECT kind, v4, hi, lo, any(txt) AS txt, sum(events) AS c FROM ${table}
          WHERE ${where} AND ${key} GLOBAL IN (SELECT kind, v4, hi, lo FROM ${table} WHERE ${where} AND events ${reach})
          GROUP BY kind, v4, hi, lo`;
      const ranked = await this.perSource<{ kind: number; v4: number; txt: string | null; c: string }>(
        true,
        sql,
        'c DESC, kind, v4, hi, lo',
        limit,
      );
      return ranked.map((r) => ({ key: addressText(r.kind, r.v4, r.txt), count: Number(r.c) }));
    }
    const reaching = `SELECT kind, v4, hi, lo FROM (${rows({ minEvents: reach })})`;
    const ranked = await this.home.rows<{ kind: number; v4: number; txt: string | null; c: string }>(
      `SELECT kind, v4, hi, lo, any(txt) AS txt, sum(events) AS c FROM (${rows({ sources: reaching })})
        GROUP BY kind, v4, hi, lo ORDER BY c DESC, kind, v4, hi, lo LIMIT ${intLiteral(limit)}`,
    );
    return ranked.map((r) => ({ key: addressText(r.kind, r.v4, r.txt), count: Number(r.c) }));
  }

  async top(by: TopKey, limit: number, window?: TimeWindow): Promise<Ranked[]> {
    const w = windowCondition(window);
    if (by === 'src' && summariesAnswer(window?.since, window?.until))
      return this.topSourcesFromDays(limit, window);
    if (by === 'src') return this.rankedAddresses('src', w, limit);
    if (by === 'port') return (await this.rankedPorts(w, limit)).map(({ key, count }) => ({ key, count }));
    if (by === 'alarm')
      // Rows written before schema 3 keep the alarm name in `extra` only (no mutation rewrites them).
      return this.ranked(
        `SELECT coalesce(alarm, nullIf(visitParamExtractString(extra, 'alarmName'), '')) AS k, count() AS c
          FROM ${this.t('events')} WHERE ${w} AND k IS NOT NULL AND ${this.committed}
          GROUP BY k ORDER BY c DESC, k LIMIT ${intLiteral(limit)}`,
      );
    return this.ranked(
      `SELECT rule AS k, count() AS c FROM ${this.t('events')} WHERE ${w} AND rule IS NOT NULL AND ${this.committed}
        GROUP BY k ORDER BY c DESC, k LIMIT ${intLiteral(limit)}`,
    );
  }

  /** Per-source counts (IPv4 in address order, then IPv6: numbers, then texts), streamed as TabSeparated lines, in batches. */
  async *sourceCounts(window?: TimeWindow): AsyncIterable<SourceCounts> {
    const w = windowCondition(window);
    let v4: number[] = [];
    let count: number[] = [];
    for await (const line of this.home.lines(
      `SELECT src_v4, count() FROM ${this.t('events')} WHERE src_kind = 4 AND ${w} AND ${this.committed}
        GROUP BY src_v4 ORDER BY src_v4`,
    )) {
      const tab = line.indexOf('\t');
      v4.push(Number(line.slice(0, tab)));
      count.push(Number(line.slice(tab + 1)));
      if (v4.length >= SOURCE_BATCH) {
        yield { v4: Float64Array.from(v4), count: Float64Array.from(count) };
        v4 = [];
        count = [];
      }
    }
    if (v4.length) yield { v4: Float64Array.from(v4), count: Float64Array.from(count) };
    // IPv6 sources in global unicast (2000::/3, nearly all) as numbers, four 32-bit words each: the country
    // ranking looks them up in its ranges without making or parsing their texts.
    let words: number[] = [];
    count = [];
    for await (const line of this.home.lines(
      `SELECT bitShiftRight(src_v6_hi, 32), bitAnd(src_v6_hi, 4294967295), bitShiftRight(src_v6_lo, 32),
          bitAnd(src_v6_lo, 4294967295), count() FROM ${this.t('events')}
        WHERE src_kind = 6 AND ${GLOBAL_UNICAST_HI} AND ${w} AND ${this.committed} GROUP BY src_v6_hi, src_v6_lo`,
    )) {
      const f = line.split('\t');
      words.push(Number(f[0]), Number(f[1]), Number(f[2]), Number(f[3]));
      count.push(Number(f[4]));
      if (count.length >= SOURCE_BATCH) {
        yield { v6: Uint32Array.from(words), count: Float64Array.from(count) };
        words = [];
        count = [];
      }
    }
    if (count.length) yield { v6: Uint32Array.from(words), count: Float64Array.from(count) };
    // The others as text: canonical (hex digits, colons, dots), nothing in them is escaped by TabSeparated.
    let ip: string[] = [];
    count = [];
    for await (const line of this.home.lines(
      `SELECT any(src_text), count() FROM ${this.t('events')}
        WHERE src_kind = 6 AND NOT ${GLOBAL_UNICAST_HI} AND ${w} AND ${this.committed}
        GROUP BY src_v6_hi, src_v6_lo`,
    )) {
      const tab = line.indexOf('\t');
      ip.push(line.slice(0, tab));
      count.push(Number(line.slice(tab + 1)));
      if (ip.length >= SOURCE_BATCH) {
        yield { ip, count: Float64Array.from(count) };
        ip = [];
        count = [];
      }
    }
    if (ip.length) yield { ip, count: Float64Array.from(count) };
  }

  async newSources(since: number, limit: number): Promise<(Ranked & { firstSeen: number })[]> {
    const rows = await this.perSource<{
      kind: number;
      v4: number;
      txt: string | null;
      first: string;
      c: string;
    }>(
      true,
      // From the per-day source summaries (schema 4): the timed rows carry each source's first time and count.
      `SELECT kind, v4, hi, lo, any(txt) AS txt, min(first_ts) AS first, sum(events) AS c
        FROM ${this.t('source_days')} WHERE d != ${NO_DAY} AND ${this.committed}
        GROUP BY kind, v4, hi, lo HAVING first >= ${intLiteral(Math.floor(since))}`,
      'c DESC, first, kind, v4, hi, lo',
      limit,
    );
    return rows.map((r) => ({
      key: addressText(r.kind, r.v4, r.txt),
      firstSeen: Number(r.first),
      count: Number(r.c),
    }));
  }
}

/** An address from its kind, IPv4 number and IPv6 text. */
function addressText(kind: number, v4: number, text: string | null): string {
  return Number(kind) === 4 ? intToIpv4(Number(v4)) : (text ?? '?');
}

/** SQL condition on one side's address columns matching an address or IPv4 CIDR (values as checked literals). */
export function addressCondition(ip: string, side: 'src' | 'dst'): string {
  const match = addressMatch(ip);
  if (match === null) throw new StoreError('usage', tBoth('store.badAddress', { value: ip }));
  if (match.kind === 'v4')
    return match.lo === match.hi
      ? `${side}_kind = 4 AND ${side}_v4 = ${intLiteral(match.lo)}`
      : `${side}_kind = 4 AND ${side}_v4 BETWEEN ${intLiteral(match.lo)} AND ${intLiteral(match.hi)}`;
  if (match.kind === 'v6net') return v6RangeCondition(side, match.lo, match.hi);
  const [hi, lo] = ipv6Halves(match.text);
  return `${side}_kind = 6 AND ${side}_v4 = 0 AND ${side}_v6_hi = ${intLiteral(BigInt(hi))} AND ${side}_v6_lo = ${intLiteral(BigInt(lo))}`;
}

/**
 * An IPv6 network on the two 64-bit halves of one side's address: a range of the upper half for /64 and wider,
 * else the upper half and a range of the lower one.
 */
export function v6RangeCondition(side: 'src' | 'dst', lo: bigint, hi: bigint): string {
  const HALF = (1n << 64n) - 1n;
  const [loHi, hiHi] = [lo >> 64n, hi >> 64n];
  if (loHi !== hiHi || ((lo & HALF) === 0n && (hi & HALF) === HALF))
    return `${side}_kind = 6 AND ${side}_v6_hi BETWEEN ${intLiteral(loHi)} AND ${intLiteral(hiHi)}`;
  return `${side}_kind = 6 AND ${side}_v6_hi = ${intLiteral(loHi)} AND ${side}_v6_lo BETWEEN ${intLiteral(lo & HALF)} AND ${intLiteral(hi & HALF)}`;
}

/** SQL condition of a time window on `ts`. */
export function windowCondition(w: TimeWindow | undefined): string {
  const parts: string[] = [];
  if (w?.since !== undefined) parts.push(`ts >= ${intLiteral(Math.floor(w.since))}`);
  if (w?.until !== undefined) parts.push(`ts < ${intLiteral(Math.floor(w.until))}`);
  return parts.length ? parts.join(' AND ') : '1';
}
