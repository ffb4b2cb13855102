// How the DuckDB store and its console rank addresses: by count, then IPv4 before IPv6, each by its value, as
// ClickHouse orders its numeric columns (`kind, v4, hi, lo`); an IPv6 address's string id is no order of its own.
import type { DuckDBValue } from '@duckdb/node-api';
import { ipv6BigInt, ipv6Groups } from '../net/ip.js';

/** Runs one SQL statement with its values and gives back the rows. */
export type RunRows = (sql: string, values: DuckDBValue[]) => Promise<DuckDBValue[][]>;

/**
 * SQL for the 32 hex digits of an IPv6 address from its canonical text `text` (RFC 5952, as the store keeps
 * it: lower case, no dotted IPv4 tail): `2001:db8::30` is `20010db8…0030`. Compared as text, the digits
 * are in the order of the addresses' 128-bit values, the order `compareIpv6Text` gives.
 */
export function ipv6SortKey(text: string): string {
  const present = `len(list_filter(string_split(${text}, ':'), lambda g: g <> ''))`;
  const filled = `trim(replace(${text}, '::', ':' || repeat('0:', 8 - ${present})), ':')`;
  return `array_to_string(list_transform(string_split(${filled}, ':'), lambda g: lpad(g, 4, '0')), '')`;
}

/** IPv6 texts by their 128-bit values; a text that is no address after every address. */
export function compareIpv6Text(a: string | null, b: string | null): number {
  const x = a === null ? null : ipv6Groups(a);
  const y = b === null ? null : ipv6Groups(b);
  if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
  const d = ipv6BigInt(x) - ipv6BigInt(y);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

const num = (v: DuckDBValue) => (v === null ? null : Number(v));

/** Ascending, NULL last. */
function ascending(a: DuckDBValue, b: DuckDBValue): number {
  const x = num(a);
  const y = num(b);
  if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
  return x - y;
}

/** The texts of IPv6 string ids, read from the string table (a few ids: the rows of one ranked list). */
async function textsOf(run: RunRows, rows: DuckDBValue[][]): Promise<Map<number, string>> {
  const ids = [...new Set(rows.filter((r) => r[0] === null && r[1] !== null).map((r) => Number(r[1])))];
  const texts = new Map<number, string>();
  if (ids.length > 0)
    for (const [id, text] of await run(`SELECT id, text FROM strings WHERE id IN (${ids.join(', ')})`, []))
      texts.set(Number(id), String(text));
  return texts;
}

/**
 * The `limit` rows of `grouped` (a query whose columns are `v4`, the IPv4 address as a number or NULL,
 * `sid`, the IPv6 text's string id, `c`, the count, then the `tieBy` columns), ranked by count descending,
 * then the `tieBy` columns ascending (new sources: their first time), then IPv4 before IPv6, IPv4 by
 * number, IPv6 by value. Each row comes back as [v4, sid, c, ...tieBy, IPv6 text or NULL].
 *
 * As cheap as the plain ranking: one top-N by (count, tieBy, v4, string id) fetches a row more than asked
 * (or the caller gives those rows as `head`), and only those rows are ordered here; only when IPv6 rows tied
 * with the last row shown were left out (the row after it is one) does a second query pick the tied IPv6
 * rows with the lowest addresses.
 */
export async function rankAddresses(
  run: RunRows,
  grouped: string,
  values: DuckDBValue[],
  limit: number,
  opts: { tieBy?: string[]; head?: DuckDBValue[][] } = {},
): Promise<DuckDBValue[][]> {
  const n = Math.max(0, Math.trunc(limit));
  if (n === 0) return [];
  const tieBy = opts.tieBy ?? [];
  const width = 3 + tieBy.length;
  const head = (
    opts.head ??
    (await run(
      `SELECT * FROM (${grouped}) ORDER BY c DESC, ${tieBy.map((t) => `${t}, `).join('')}v4 NULLS LAST,
        sid NULLS LAST LIMIT ${n + 1}`,
      values,
    ))
  ).map((r) => r.slice(0, width));
  // The plain ranking's order: which rows it cut, and whether it cut inside a tie.
  const tieKey = (r: DuckDBValue[]) =>
    r
      .slice(2, width)
      .map((v) => String(num(v)))
      .join(' ');
  const byCount = (a: DuckDBValue[], b: DuckDBValue[]) => {
    for (let i = 2; i < width; i++) {
      const d = i === 2 ? ascending(b[i]!, a[i]!) : ascending(a[i]!, b[i]!);
      if (d !== 0) return d;
    }
    return ascending(a[0]!, b[0]!);
  };
  head.sort((a, b) => byCount(a, b) || ascending(a[1]!, b[1]!));
  let rows = head.slice(0, n);
  const next = head[n];
  if (next !== undefined && next[0] === null && tieKey(next) === tieKey(rows[n - 1]!)) {
    // IPv6 rows tied with the last shown were cut by string id: the tied IPv6 rows with the lowest addresses.
    const key = tieKey(next);
    const cut = (r: DuckDBValue[]) => r[0] === null && tieKey(r) === key;
    const lowest = await run(
      `SELECT g.* FROM (${grouped}) g JOIN strings s ON s.id = g.sid
        WHERE g.v4 IS NULL AND ${['c', ...tieBy].map((column) => `g.${column} = ?`).join(' AND ')}
        ORDER BY ${ipv6SortKey('s.text')} LIMIT ${rows.filter(cut).length}`,
      [...values, ...next.slice(2, width)],
    );
    rows = [...rows.filter((r) => !cut(r)), ...lowest.map((r) => r.slice(0, width))];
  }
  const texts = await textsOf(run, rows);
  return rows
    .map((r) => [...r, r[0] === null ? (texts.get(Number(r[1])) ?? null) : null])
    .sort((a, b) => byCount(a, b) || compareIpv6Text(a[width] as string | null, b[width] as string | null));
}
