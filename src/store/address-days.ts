// Top addresses from the per-day address summaries (schema 2: source_days, destination_days), exactly, for
// the whole store or whole UTC days: the console's top lists and `query top --by src` share it.
import type { DuckDBValue } from '@duckdb/node-api';
import { rankAddresses } from './address-order.js';
import { addressDays, sourceKey } from './schema.js';

/** A day in ms: the summaries' `day` is floor(ts / DAY_MS), the UTC day number (also before 1970). */
export const DAY_MS = 86_400_000;

/** Runs one SQL statement with its values and gives back the rows. */
export type RunSql = (sql: string, values: DuckDBValue[]) => Promise<DuckDBValue[][]>;

/** True when the summaries can answer a time range: open ends, or bounds at midnight UTC. */
export function wholeDays(from: number | undefined, to: number | undefined): boolean {
  return (from === undefined || from % DAY_MS === 0) && (to === undefined || to % DAY_MS === 0);
}

/**
 * The `limit` addresses of one side with the most events in [from, to) (whole days; both absent: every
 * event, the untimed ones included), as rows of [v4, text_sid, count] in the order of rankAddresses
 * (count descending, then IPv4 by number, then IPv6 by value). With D days in the range, the totals of the
 * addresses of the busiest `limit` × D rows give a bar B (the `limit`-th of them; the true `limit`-th total
 * is at least B); an address whose total reaches B has a day with at least B / D events. The summary holds
 * one row per day and address, so such an address has a row there with at least B / D events, unless it has
 * rows waiting in the recent table (several per day and address, a few writes' worth): only the addresses with
 * such a row or with recent rows are summed.
 */
export async function topFromAddressDays(
  run: RunSql,
  side: 'src' | 'dst',
  range: { from?: number; to?: number },
  limit: number,
  /**
   * Other relations with the summaries' columns: `table` with one row per day and address (a day may be
   * partial), `recent` (optional) with any number; by default the side's summary and its recent table.
   */
  relations?: { table: string; recent?: string },
): Promise<[DuckDBValue, DuckDBValue, number][]> {
  let table: string;
  let recent: string | undefined;
  if (relations) ({ table, recent } = relations);
  else {
    const d = addressDays(side);
    table = d.table;
    recent = (await hasRows(run, d.recent)) ? d.recent : undefined;
  }
  const parts: string[] = [];
  const values: DuckDBValue[] = [];
  // A range leaves the untimed events (day NULL) out, as `ts >= from` does.
  if (range.from !== undefined) {
    parts.push('day >= ?');
    values.push(range.from / DAY_MS);
  }
  if (range.to !== undefined) {
    parts.push('day < ?');
    values.push(range.to / DAY_MS);
  }
  const where = parts.length ? parts.join(' AND ') : 'true';
  // Every row of the range: the summary's, and the recent ones beside them (the filters reach into both).
  const all =
    recent === undefined
      ? table
      : `(SELECT day, v4, text_sid, events FROM ${table} UNION ALL SELECT day, v4, text_sid, events FROM ${recent})`;
  const key = sourceKey();
  const [d] = await run(
    `SELECT (count(DISTINCT day) + max(CASE WHEN day IS NULL THEN 1 ELSE 0 END))::DOUBLE FROM ${all} WHERE ${where}`,
    values,
  );
  const days = Math.max(1, Number(d?.[0] ?? 0));
  const [b] = await run(
    `WITH seeds AS (SELECT DISTINCT ${key} AS k FROM (SELECT v4, text_sid FROM ${all} WHERE ${where}
        ORDER BY events DESC LIMIT ?)),
      totals AS (SELECT ${key} AS k, sum(events) AS c FROM ${all} WHERE ${where} AND ${key} IN (SELECT k FROM seeds)
        GROUP BY k ORDER BY c DESC LIMIT ?)
      SELECT count(*)::DOUBLE, min(c)::DOUBLE FROM totals`,
    [...values, limit * days, ...values, limit],
  );
  const bar = Number(b?.[0] ?? 0) < limit ? 0 : Number(b?.[1] ?? 0);
  const candidates =
    recent === undefined
      ? `SELECT ${key} FROM ${table} WHERE ${where} AND events >= ?`
      : `SELECT ${key} FROM ${table} WHERE ${where} AND events >= ? UNION SELECT ${key} FROM ${recent} WHERE ${where}`;
  const rows = await rankAddresses(
    run,
    `SELECT v4, text_sid AS sid, sum(events)::DOUBLE AS c FROM ${all}
      WHERE ${where} AND ${key} IN (${candidates})
      GROUP BY v4, text_sid`,
    [...values, ...values, Math.ceil(bar / days), ...(recent === undefined ? [] : values)],
    limit,
  );
  return rows.map((r) => [r[0]!, r[1]!, Number(r[2])]);
}

/** Whether a table holds any row. */
async function hasRows(run: RunSql, table: string): Promise<boolean> {
  const [r] = await run(`SELECT EXISTS (SELECT 1 FROM ${table})`, []);
  return r?.[0] === true;
}

/**
 * Whether the summaries answer the top addresses of [from, to) quickly: all, whole UTC days, or a range whose
 * partial days at the edges (grouped from the events by `topFromAddressDaysAndEdges`) span at most half the
 * time of the whole days inside it, as the last 7 or 30 days do. Otherwise (the last 24 hours, noon to noon
 * over two days) grouping the edges' events by address costs more than a pass over all of the range's events:
 * measured on the 10 M store, top sources from noon to noon over 3.4 days took 700-820 ms through the
 * summaries and edges against 510-590 ms for the console's bucketed pass.
 */
export function summariesAnswer(from: number | undefined, to: number | undefined): boolean {
  if (wholeDays(from, to)) return true;
  const first = from === undefined ? undefined : Math.ceil(from / DAY_MS) * DAY_MS;
  const last = to === undefined ? undefined : Math.floor(to / DAY_MS) * DAY_MS;
  const edges = (first === undefined ? 0 : first - from!) + (last === undefined ? 0 : to! - last);
  const whole = first === undefined || last === undefined ? Number.POSITIVE_INFINITY : last - first;
  return whole > 0 && edges * 2 <= whole;
}

/** `day` of the rows grouped from the events at a range's first and last partial day (no real day is negative). */
const HEAD_EDGE_DAY = -2_000_000_001;
const TAIL_EDGE_DAY = -2_000_000_002;

/**
 * `topFromAddressDays` over any range [from, to): the whole UTC days inside it from the summaries, and the
 * partial day at each edge (`--since 7d`, the console's "last 30 days") grouped from the events into one
 * more row per address, so every address still has at most one row per (possibly partial) day and the
 * same bound applies. The rows are gathered in a temporary table: `run` must use one connection for all
 * its statements. A range inside one day is grouped from its events alone.
 */
export async function topFromAddressDaysAndEdges(
  run: RunSql,
  side: 'src' | 'dst',
  range: { from?: number; to?: number },
  limit: number,
): Promise<[DuckDBValue, DuckDBValue, number][]> {
  if (wholeDays(range.from, range.to)) return topFromAddressDays(run, side, range, limit);
  const { table, recent } = addressDays(side);
  // Whole days run from the first midnight at or after `from` to the last midnight at or before `to`.
  let first = range.from === undefined ? undefined : Math.ceil(range.from / DAY_MS) * DAY_MS;
  let last = range.to === undefined ? undefined : Math.floor(range.to / DAY_MS) * DAY_MS;
  const selects: string[] = [];
  const values: DuckDBValue[] = [];
  let waiting = false;
  const edge = (day: number, from: number | undefined, to: number | undefined) => {
    const bounds: string[] = [];
    if (from !== undefined) {
      bounds.push('ts >= ?');
      values.push(BigInt(Math.ceil(from)));
    }
    if (to !== undefined) {
      bounds.push('ts < ?');
      values.push(BigInt(Math.ceil(to)));
    }
    selects.push(
      `SELECT ${day} AS day, ${side}_v4 AS v4, ${side}_text_sid AS text_sid, count(*) AS events FROM events
        WHERE ${bounds.join(' AND ')} AND (${side}_v4 IS NOT NULL OR ${side}_text_sid IS NOT NULL) GROUP BY ALL`,
    );
  };
  if (first !== undefined && last !== undefined && first >= last) {
    // No whole day inside: the range's own events.
    edge(HEAD_EDGE_DAY, range.from, range.to);
    first = undefined;
    last = undefined;
  } else {
    if (range.from !== undefined && range.from !== first) edge(HEAD_EDGE_DAY, range.from, first);
    if (range.to !== undefined && range.to !== last) edge(TAIL_EDGE_DAY, last, range.to);
    const days: string[] = [];
    if (first !== undefined) {
      days.push('day >= ?');
      values.push(first / DAY_MS);
    }
    if (last !== undefined) {
      days.push('day < ?');
      values.push(last / DAY_MS);
    }
    // A range always has a bound here, so the untimed events (day NULL) stay out, as `ts >= from` leaves them.
    const onDays = days.join(' AND ');
    const dayValues = values.slice(values.length - days.length);
    selects.push(`SELECT day, v4, text_sid, events FROM ${table} WHERE ${onDays}`);
    // The whole days' recent rows (several per day and address) in a table of their own, for the same bound.
    if (await hasRows(run, recent)) {
      await run(
        `CREATE OR REPLACE TEMP TABLE window_recent AS SELECT day, v4, text_sid, events FROM ${recent} WHERE ${onDays}`,
        dayValues,
      );
      waiting = true;
    }
  }
  await run(`CREATE OR REPLACE TEMP TABLE window_days AS ${selects.join(' UNION ALL ')}`, values);
  try {
    return await topFromAddressDays(run, side, {}, limit, {
      table: 'temp.window_days',
      ...(waiting ? { recent: 'temp.window_recent' } : {}),
    });
  } finally {
    await run('DROP TABLE IF EXISTS temp.window_days', []);
    if (waiting) await run('DROP TABLE IF EXISTS temp.window_recent', []);
  }
}
