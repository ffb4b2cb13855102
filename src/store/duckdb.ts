// The embedded store: one DuckDB database file, written through the appender by data chunks, read by SQL.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import type { DuckDBConnection, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { countryCodes } from '../context/country-codes.js';
import { type Dictionary, FLAG_BITS } from '../core/batch.js';
import type { Finding } from '../detect/index.js';
import type { FwEvent, TcpFlag } from '../event.js';
import { tBoth } from '../i18n.js';
import type { InputStats } from '../ingest/pipeline.js';
import {
  type AddressMatch,
  addressIn,
  addressMatch,
  intToIpv4,
  shownAddress,
  singleAddress,
} from '../net/ip.js';
import { DAY_MS, summariesAnswer, topFromAddressDaysAndEdges } from './address-days.js';
import { rankAddresses } from './address-order.js';
import {
  DuckDBInstance,
  DuckDBUIntegerType,
  DuckDBUSmallIntType,
  INTEGER,
  LIST,
  StatementType,
  VARCHAR,
} from './duckdb-api.js';
import { appendColumns, EVENT_COLUMNS, EventAppender } from './duckdb-appender.js';
import { TRAFFIC_COUNT_COLUMNS, TRAFFIC_COUNT_KEYS } from './rare-fields.js';
import {
  ADDRESS_DAY_TABLES,
  ADDRESS_DAYS_RECENT_ROWS,
  addressDaysSelect,
  dayKey,
  MIGRATIONS,
  SOURCES_RECENT_ROWS,
  sourceKey,
  sourcesMerged,
  sourcesSelect,
} from './schema.js';
import { filterBitsFor, TextFilter } from './text-filter.js';
import {
  type CountryRanges,
  EVIDENCE_TEXT_CHARS,
  type IpSummary,
  type PortSummary,
  type PresetOptions,
  type PruneResult,
  type Ranked,
  rankRows,
  readingOrder,
  SCHEMA_VERSION,
  type SizePruneResult,
  type SourceCounts,
  type SqlResult,
  type Store,
  type StoredInput,
  type StoredProblem,
  StoreError,
  type StoreWriter,
  type TimeWindow,
  type TopKey,
  UNPARSED_TEXT_CHARS,
} from './types.js';
import type { WriterMemory } from './writer-memory.js';

/** Rounds of dropping days a size bound takes at most (each one corrects the bytes-per-event estimate). */
export const SIZE_PRUNE_ROUNDS = 3;

/** Rows per ranking a query preset returns by default. */

/** How the store file is opened. */
export interface DuckDbStoreOptions {
  /**
   * Read only: a separate instance with `access_mode=READ_ONLY`, no external access (files, network,
   * extensions) and its configuration locked, for queries and raw SQL.
   */
  readOnly?: boolean;
  /**
   * A writer that runs for long (`watch --store`): instead of the whole string table, keep at most this many
   * texts in memory between writes and look the others up per batch (true: STRING_CACHE_TEXTS). False: load
   * the table for every write. Absent: a write below SMALL_WRITE_BYTES looks up, a larger one loads.
   */
  boundedStrings?: boolean | number;
  /**
   * What a writer that opens the same store again and again (`watch --store` lets go of the file whenever
   * another process wants it) keeps between opens: its share of the string table and the filter of its texts.
   * Reused only while the file is the same store (made at the same moment: see `storeIdentity`).
   */
  memory?: WriterMemory;
  /**
   * DuckDB's `memory_limit` for this instance (e.g. `512MB`; default: 80 % of the machine's memory). A writer
   * that keeps the file open for months sets it: DuckDB keeps what it read cached up to that limit.
   */
  memoryLimit?: string;
}

/**
 * Texts a bounded writer keeps in memory between writes (~15 MB of heap for 100,000 IPv6 texts, measured):
 * what a watch meets again and again (interfaces, prefixes, hosts, its busiest addresses) stays, the rest is
 * looked up per batch (or known new by the writer's filter of the table's texts).
 */
export const STRING_CACHE_TEXTS = 100_000;

/**
 * What any write holds of the string table in memory at most, in texts and in characters (900-character log
 * prefixes, all different, made 100,000 texts 90 MB): a larger table is not loaded whole, and a write whose new
 * texts pass either bound appends them to the table (in its transaction) and goes on looking texts up per batch.
 * (The 10 M benchmark store's 418,854 IPv6 texts, ~12 M characters, still load whole.)
 */
export const WRITE_STRING_TEXTS = 500_000;
export const WRITE_STRING_CHARS = 16 * 1024 * 1024;

/**
 * A write of less log than this looks its texts up per batch instead of loading the string table first (as
 * a bounded writer does). A look-up per batch of 32,768 rows (~8 MB of netfilter log) costs ~1/30 of a load,
 * both growing with the table: 11-15 ms against 0.43 s at 10 M events. Below 64 MB the look-ups cost less
 * than a quarter of the load: the run of `fwlens ingest` that cron starts every few minutes.
 */
export const SMALL_WRITE_BYTES = 64 * 1024 * 1024;

/**
 * Events of a write from which its summaries are written by a transaction of their own after it, on a second
 * connection while the next part is appended (a bulk ingest: ~1 s of summaries per million events no longer waits
 * between the parts); below it (`watch --store`, a cron job's few lines) they are written in the write's own
 * transaction, as before.
 */
export const DEFER_SUMMARY_EVENTS = 100_000;

/** Settings every instance starts with: no extension is fetched or loaded behind the user's back. */
const BASE_SETTINGS: Record<string, string> = {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  // DuckDB takes a nested loop instead of its sorting ASOF join when it expects few rows on the left (64):
  // the country ranking's few sources of a small store against ~330,000 ranges took 7-12 s that way.
  asof_loop_join_threshold: '0',
};

/**
 * Settings for a store file created now: the storage format of DuckDB 1.2 (readable by DuckDB 1.2 and
 * later), whose Roaring compression of NULL masks a column that is mostly NULL or mostly not (the ICMP,
 * IPv6 and TCP-only fields) needs. 1 M generated events: events 22.81 -> 21.23 B/event, all tables 29.62 ->
 * 28.31 (`npm run bench:store-columns`). A file made before keeps its format (DuckDB decides by the file).
 */
const NEW_FILE_SETTINGS: Record<string, string> = { storage_compatibility_version: 'v1.2.0' };

/** The one sentence for a DuckDB failure to open or write `path`. */
export function storeFault(e: unknown, path: string): StoreError {
  if (e instanceof StoreError) return e;
  const m = (e as Error).message ?? String(e);
  if (/Could not set lock|Conflicting lock/i.test(m))
    return new StoreError('locked', tBoth('store.locked', { path }));
  if (/No space left|ENOSPC|disk is full|out of disk/i.test(m))
    return new StoreError('disk-full', tBoth('store.diskFull', { path }));
  if (
    /not a valid DuckDB database|Corrupt|checksum|bad magic|database file|Serialization Error|INTERNAL Error|Could not read enough bytes|database has been invalidated|Invalid (block|pointer)/i.test(
      m,
    )
  )
    return new StoreError('corrupt', tBoth('store.corrupt', { path, error: firstLine(m) }));
  if (/read-only|read only/i.test(m)) return new StoreError('read-only', tBoth('store.readOnly', { path }));
  return new StoreError('other', tBoth('store.failed', { path, error: firstLine(m) }));
}

/** A DuckDB failure that means the file is damaged (a block that does not read back, a checksum that fails). */
const DAMAGE =
  /Could not read enough bytes|Corrupt|checksum|bad magic|Serialization Error|INTERNAL Error|database has been invalidated|Invalid (block|pointer)/i;

/**
 * `target` (a DuckDB instance, connection, result or appender) with every failure of its methods that means the
 * file is damaged turned into the store's sentence (storeFault); other failures pass unchanged. Objects its
 * asynchronous methods give (connections, results, appenders, chunks) are guarded the same way: a damaged
 * block met by any command, at any read, is one sentence, never an unexpected failure.
 */
export function damageGuarded<T extends object>(target: T, path: string): T {
  const damage = (e: unknown) =>
    e instanceof Error && !(e instanceof StoreError) && DAMAGE.test(e.message) ? storeFault(e, path) : e;
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(t, prop) {
      const value = Reflect.get(t, prop, t) as unknown;
      if (typeof value !== 'function') return value;
      let fn = wrapped.get(prop);
      if (!fn) {
        fn = (...args: unknown[]) => {
          let out: unknown;
          try {
            out = (value as (...a: unknown[]) => unknown).apply(t, args);
          } catch (e) {
            throw damage(e);
          }
          if (out instanceof Promise)
            return out.then(
              (v: unknown) =>
                v !== null && typeof v === 'object' && !Array.isArray(v) ? damageGuarded(v, path) : v,
              (e: unknown) => {
                throw damage(e);
              },
            );
          return out;
        };
        wrapped.set(prop, fn);
      }
      return fn;
    },
  });
}

/** Strings in the order of their UTF-8 bytes (ClickHouse's and DuckDB's order of text). */
export function byteOrder(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** The most string ids (or texts) one look-up statement names: a longer list is looked up in parts. */
export const LOOKUP_CHUNK = 1_000;

/** What `rankedPortRows` needs of a DuckDB reader: its queries. */
export interface RankReader {
  rows(sql: string, values: DuckDBValue[]): Promise<DuckDBValue[][]>;
}

/**
 * Top destination ports (`port/transport`) of the events matching `where`, for `query` and the console alike.
 * Ties by port, then by the transport's name (none last), as ClickHouse breaks them.
 */
export async function rankedPortRows(
  db: RankReader,
  where: string,
  values: DuckDBValue[],
  limit: number,
): Promise<{ port: number; transport: string | undefined; key: string; count: number }[]> {
  // The whole order in SQL (the transport's name joined), so at most `limit` rows come back however many tie.
  const found = await db.rows(
    `SELECT g.dst_port, s.text, g.c FROM (SELECT dst_port, transport_sid, count(*)::DOUBLE AS c FROM events
      WHERE ${where} AND dst_port IS NOT NULL GROUP BY ALL) g LEFT JOIN strings s ON s.id = g.transport_sid
      ORDER BY g.c DESC, g.dst_port, s.text NULLS LAST LIMIT ?`,
    [...values, Math.max(0, limit)],
  );
  return found.map((r) => {
    const transport = r[1] === null ? undefined : String(r[1]);
    return {
      port: Number(r[0]),
      transport,
      key: transport ? `${r[0]}/${transport}` : String(r[0]),
      count: Number(r[2]),
    };
  });
}

/**
 * A ranked list of names (rules, alarms) from `grouped` (`k`: a string id, `c`: its count): count descending,
 * then the name in byte order (DuckDB's order of VARCHAR, as ClickHouse's), cut in SQL at `limit` rows however
 * many tie (session 25: 100,000 rules seen once each came back whole through `rank()`).
 */
export async function rankedNames(
  rows: (sql: string, values: DuckDBValue[]) => Promise<DuckDBValue[][]>,
  grouped: string,
  values: DuckDBValue[],
  limit: number,
): Promise<Ranked[]> {
  const found = await rows(
    `SELECT s.text, g.c FROM (${grouped}) g JOIN strings s ON s.id = g.k ORDER BY g.c DESC, s.text LIMIT ?`,
    [...values, Math.max(0, limit)],
  );
  return found.map((r) => ({ key: String(r[0]), count: Number(r[1]) }));
}

export function noneLast(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  return byteOrder(a, b);
}

function firstLine(m: string): string {
  return m.split('\n')[0]!.slice(0, 300);
}

/** The folder a new store goes in (the user's data directory the first time): one sentence when it cannot be made. */
function makeStoreFolder(path: string): void {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? tBoth('store.folderReason.exists')
        : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? tBoth('store.folderReason.permission')
          : { en: (e as Error).message, zh: (e as Error).message };
    throw new StoreError('other', {
      en: tBoth('store.noFolder', { dir, path, reason: reason.en }).en,
      zh: tBoth('store.noFolder', { dir, path, reason: reason.zh }).zh,
    });
  }
}

/** Open (and for writing, create or migrate) the DuckDB store at `path`. */
export async function openDuckDbStore(path: string, opts: DuckDbStoreOptions = {}): Promise<DuckDbStore> {
  const readOnly = opts.readOnly ?? false;
  if (readOnly && !existsSync(path)) throw new StoreError('missing', tBoth('store.missing', { path }));
  if (!readOnly) makeStoreFolder(path);
  let instance: DuckDBInstance;
  try {
    instance = damageGuarded(
      await DuckDBInstance.create(path, {
        ...BASE_SETTINGS,
        access_mode: readOnly ? 'READ_ONLY' : 'READ_WRITE',
        ...(readOnly
          ? { enable_external_access: 'false', lock_configuration: 'true' }
          : { ...NEW_FILE_SETTINGS, ...(opts.memoryLimit ? { memory_limit: opts.memoryLimit } : {}) }),
      }),
      path,
    );
  } catch (e) {
    throw storeFault(e, path);
  }
  let conn: DuckDBConnection | undefined;
  try {
    conn = await instance.connect();
    const store = new DuckDbStore(path, instance, conn, readOnly);
    if (opts.boundedStrings)
      store.stringCache = opts.boundedStrings === true ? STRING_CACHE_TEXTS : opts.boundedStrings;
    if (opts.boundedStrings === false) store.smallWriteBytes = 0;
    await store.prepare();
    if (opts.memory && !readOnly) await store.useMemory(opts.memory);
    return store;
  } catch (e) {
    conn?.closeSync();
    instance.closeSync();
    throw storeFault(e, path);
  }
}

/**
 * DuckDB's threads while a part is written: one core is left to the ingest thread reading the next part
 * (read ahead while this one commits), which otherwise competes with the summaries' statements. 10 M lines
 * --no-detect on 2 cores, alternated: 2 threads 28.8-29.3 s (49.8-50.6 s CPU), 1 thread 27.0-27.1 s
 * (45.6-45.7 s CPU); with detection, 1 M: no difference (18.6-19.3 s both).
 */
const WRITE_THREADS = Math.max(1, availableParallelism() - 1);

const cap = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);
/** Column types of the findings table's lists (`sources`, `targets`; `ports`). */
const TEXT_LIST = LIST(VARCHAR);
const INTEGER_LIST = LIST(INTEGER);

/**
 * The store's string table in memory: text -> id, and the texts added by the open write. A bulk write loads
 * the table whole (`loadTexts`/`load`); a writer that runs for months (`watch --store`, `boundedStrings`)
 * keeps only texts it met lately and looks the others up per batch (`resolve`), so its memory does not
 * grow with every IPv6 address the store ever held (nearly all of a store's strings).
 */
export class StringIds {
  private readonly ids = new Map<string, number>();
  /** Characters of the texts in `ids`. */
  private idChars = 0;
  /** The open write appended its new texts to the table before its commit (`spilled`). */
  private spilledWrite = false;
  /** Texts by id (index = id) when the table is loaded whole; undefined while only `ids`' share is known. */
  texts: string[] | undefined;
  /** Texts the open write added, with ids `next`, `next + 1`, ... */
  readonly fresh: string[] = [];
  /** The id of the open write's first new text: one past the table's highest. */
  next = 0;
  /** Texts the open write looked up and the table lacks: new ones, given ids when first used (`id`). */
  private readonly absent = new Set<string>();
  /**
   * A long-running writer's filter of the table's texts, those with ids below `filterNext` (see TextFilter): a text
   * it has not seen is new without a look-up. Kept in step by the store before each write (`syncFilter`).
   */
  filter: TextFilter | undefined;
  filterNext = 0;
  /** Texts `resolve` found new by the filter, and those it looked up (for the tests and the status). */
  filteredTexts = 0;
  lookedUpTexts = 0;

  /** True when every text of the table is known (a new text is then new to the table). */
  get whole(): boolean {
    return this.texts !== undefined;
  }

  /** Texts known in memory (the bound of a bounded writer is checked against it). */
  get size(): number {
    return this.ids.size;
  }

  /** Characters of the texts known in memory. */
  get chars(): number {
    return this.idChars;
  }

  /** Whether the texts known in memory pass either bound. */
  over(texts: number, chars: number): boolean {
    return this.ids.size > texts || this.idChars > chars;
  }

  private setId(text: string, id: number): void {
    if (!this.ids.has(text)) this.idChars += text.length;
    this.ids.set(text, id);
  }

  private clearIds(): void {
    this.ids.clear();
    this.idChars = 0;
  }

  load(rows: [number, string][]): void {
    const texts: string[] = [];
    this.clearIds();
    for (const [id, text] of rows) {
      this.setId(text, id);
      texts[id] = text;
    }
    this.texts = texts;
    this.next = texts.length;
  }

  /** The texts of ids 0, 1, 2, ... in order. */
  loadTexts(texts: string[]): void {
    this.clearIds();
    for (let id = 0; id < texts.length; id++) this.setId(texts[id]!, id);
    this.texts = texts;
    this.next = texts.length;
  }

  /** Start a write that does not load the table: `maxId` is its highest id (-1: empty). */
  startBounded(maxId: number): void {
    if (!this.whole) this.next = maxId + 1;
  }

  id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      // Without the whole table a text not looked up could already be in it: a second id for it would make
      // every `WHERE text = ?` ambiguous. The writer looks up each batch's texts first (`resolve`).
      if (!this.whole && !this.absent.has(text))
        throw new Error(`store string not looked up before its write: ${text.slice(0, 80)}`);
      id = this.add(text);
    }
    return id;
  }

  /** A new text of the open write. */
  private add(text: string): number {
    const id = this.next + this.fresh.length;
    this.fresh.push(text);
    this.setId(text, id);
    return id;
  }

  /**
   * Look up the texts not known in memory: the table's get its ids now; the others are new, and get theirs
   * when first used, in the order a writer with the whole table would give them (only texts a row holds).
   */
  async resolve(
    texts: Iterable<string>,
    lookup: (texts: string[]) => Promise<[string, number][]>,
  ): Promise<void> {
    const unknown = new Set<string>();
    // The filter answers for the whole table only while it is in step with it (it holds every id below `next`).
    const filter = this.filter !== undefined && this.filterNext === this.next ? this.filter : undefined;
    for (const t of texts)
      if (!this.ids.has(t) && !this.absent.has(t)) {
        if (filter && !filter.mayHave(t)) {
          this.absent.add(t);
          this.filteredTexts++;
        } else unknown.add(t);
      }
    if (unknown.size === 0 || this.whole) return;
    this.lookedUpTexts += unknown.size;
    for (const [text, id] of await lookup([...unknown])) this.setId(text, id);
    for (const t of unknown) if (!this.ids.has(t)) this.absent.add(t);
  }

  /** The open write committed: its texts are the table's. A bounded writer forgets what it knows past `limit`. */
  committedWrite(limit: number): void {
    if (this.texts) for (let i = 0; i < this.fresh.length; i++) this.texts[this.next + i] = this.fresh[i]!;
    if (this.filter && this.filterNext === this.next) {
      for (const t of this.fresh) this.filter.add(t);
      this.filterNext += this.fresh.length;
    }
    this.next += this.fresh.length;
    this.fresh.length = 0;
    this.absent.clear();
    this.spilledWrite = false;
    if (!this.whole && this.ids.size > limit) this.clearIds();
  }

  /**
   * The open write appended its new texts to the table (uncommitted, in its transaction): they have ids below
   * `next` now, and what is known in memory is dropped, the whole table too; from here on the write looks its
   * texts up per batch (the table answers for the appended ones). Only between batches.
   */
  spilled(): void {
    if (this.filter && this.filterNext === this.next) {
      for (const t of this.fresh) this.filter.add(t);
      this.filterNext += this.fresh.length;
    }
    this.next += this.fresh.length;
    // Texts looked up and not in the table that no row has used yet stay new (the batches read ahead hold them).
    for (const t of this.fresh) this.absent.delete(t);
    this.fresh.length = 0;
    this.texts = undefined;
    this.clearIds();
    this.spilledWrite = true;
  }

  /**
   * A prune deleted texts: forget which ids known texts have (a later write looks them up again). The filter of
   * a long-running writer stays: ids still only grow, and a deleted text it holds is looked up and found new.
   */
  forgetIds(): void {
    this.clearIds();
    this.texts = undefined;
    this.absent.clear();
  }

  /** Forget the texts of a write that was rolled back. */
  forgetUncommitted(): void {
    for (const t of this.fresh) if (this.ids.delete(t)) this.idChars -= t.length;
    this.fresh.length = 0;
    this.absent.clear();
    // Texts appended before the commit are gone with the transaction, and ids looked up since may be theirs.
    if (this.spilledWrite) this.clearIds();
    this.spilledWrite = false;
  }
}

/** A condition on the source (or destination) address columns matching an address or network, with its values. */
function addressCondition(ip: string, side: 'src' | 'dst'): { sql: string; values: DuckDBValue[] } {
  const match = addressMatch(ip);
  if (match === null) throw new StoreError('usage', tBoth('store.badAddress', { value: ip }));
  if (match.kind === 'v6')
    return { sql: `${side}_text_sid = (SELECT id FROM strings WHERE text = ?)`, values: [match.text] };
  // An IPv6 network: a range of the 128-bit values (numbers this code made, written as literals).
  if (match.kind === 'v6net')
    return { sql: `${side}_v6 BETWEEN ${match.lo}::UHUGEINT AND ${match.hi}::UHUGEINT`, values: [] };
  return match.lo === match.hi
    ? { sql: `${side}_v4 = ?`, values: [match.lo] }
    : { sql: `${side}_v4 BETWEEN ? AND ?`, values: [match.lo, match.hi] };
}

/** SQL and values of a time window on `ts`. */
function windowCondition(w: TimeWindow | undefined): { sql: string; values: DuckDBValue[] } {
  const parts: string[] = [];
  const values: DuckDBValue[] = [];
  if (w?.since !== undefined) {
    parts.push('ts >= ?');
    values.push(BigInt(Math.floor(w.since)));
  }
  if (w?.until !== undefined) {
    parts.push('ts < ?');
    values.push(BigInt(Math.floor(w.until)));
  }
  return { sql: parts.length ? parts.join(' AND ') : 'true', values };
}

const n = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));

/** The low 32 bits, to cut a UHUGEINT into words. */
const WORD_MASK = '4294967295';

/** IPv6 global unicast, 2000::/3, as a SQL range of UHUGEINT (2^125 to 2^126 - 1). */
const GLOBAL_UNICAST_SQL = `${2n ** 125n}::UHUGEINT AND ${2n ** 126n - 1n}::UHUGEINT`;

/** The country ranges as the columns of the country ranking's temporary tables (countries as indexes). */
interface CountryTables {
  codes: string[];
  /** The ranges that touch a mixed /16 block (the others are never searched). */
  lo: Uint32Array;
  hi: Uint32Array;
  cc: Uint16Array;
  whole: Uint32Array;
  wholeCc: Uint16Array;
  mixed: Uint32Array;
}

const countryTableCache = new WeakMap<CountryRanges, CountryTables>();

/** The columns of the country tables for `ranges`, made once per ranges. */
function countryTables(ranges: CountryRanges): CountryTables {
  const hit = countryTableCache.get(ranges);
  if (hit) return hit;
  const { codes, code } = countryCodes();
  const { blocks } = ranges;
  const mixed = Uint32Array.from(blocks.mixed);
  const isMixed = new Uint8Array(65_536);
  for (const b of mixed) isMixed[b] = 1;
  const n = ranges.country.length;
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  const cc = new Uint16Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    // A range meets a mixed block only at its first or last block (ranges are disjoint).
    if (!isMixed[Math.floor(ranges.lo[i]! / 65_536)] && !isMixed[Math.floor(ranges.hi[i]! / 65_536)])
      continue;
    lo[m] = ranges.lo[i]!;
    hi[m] = ranges.hi[i]!;
    cc[m++] = code(ranges.country[i]!);
  }
  const whole = Uint32Array.from(blocks.whole);
  const wholeCc = Uint16Array.from(blocks.wholeCountry, code);
  const out = { codes, lo: lo.slice(0, m), hi: hi.slice(0, m), cc: cc.slice(0, m), whole, wholeCc, mixed };
  countryTableCache.set(ranges, out);
  return out;
}

/** The embedded DuckDB store. */
/** An address and its count from a row of rankAddresses ([v4, sid, c, ..., IPv6 text]). */
function rankedAddress(r: DuckDBValue[]): Ranked {
  return { key: r[0] !== null ? intToIpv4(Number(r[0])) : String(r.at(-1) ?? '?'), count: Number(r[2]) };
}

export class DuckDbStore implements Store {
  readonly kind = 'duckdb';
  /** Called once the store is closed (the writer's announcement withdrawn: src/store/writer-intent.ts). */
  afterClose?: () => void;
  private busy = false;
  private strings = new StringIds();
  /** Texts a bounded writer keeps between writes (`boundedStrings`); undefined: by the size of each write. */
  stringCache: number | undefined;
  /** What a write holds of the string table at most, in texts and characters (tests set them). */
  writeStringTexts = WRITE_STRING_TEXTS;
  writeStringChars = WRITE_STRING_CHARS;
  /** The most texts and characters of the string table a write held in memory (for the tests). */
  stringsHeldPeak = { texts: 0, chars: 0 };
  /** Writes below this many bytes of log look their texts up instead of loading the table (0: never). */
  smallWriteBytes = SMALL_WRITE_BYTES;
  /** Rows of `sources_recent` from which a commit merges them into `sources` (tests set it). */
  sourcesRecentRows = SOURCES_RECENT_ROWS;
  /** Rows of a per-day summary's recent table from which a commit merges them into the summary (tests set it). */
  addressDaysRecentRows = ADDRESS_DAYS_RECENT_ROWS;
  /** Events of a write from which its summaries are written after it, beside the next write (tests set it). */
  deferSummaryEvents = DEFER_SUMMARY_EVENTS;
  /** Deferred summaries, one run after another (never rejects: a failure waits in `summaryError`). */
  private summarizing: Promise<void> = Promise.resolve();
  /** Deferred summary runs scheduled and not finished. */
  private summariesInFlight = 0;
  private summaryError: unknown;
  /** Whether a write looked for pending summaries: a run before this process left (a crash), or one failed here. */
  private pendingChecked = false;
  /** The connection the deferred summaries are written on, beside the writer's. */
  private summaryConn: DuckDBConnection | undefined;

  /** Texts of the string table held in memory now (what `boundedStrings` bounds). */
  get stringsInMemory(): number {
    return this.strings.size;
  }
  /**
   * A long-running writer's texts new to the table by its filter (no look-up), and those it looked up in the
   * table, since its memory was made (for the tests and the status).
   */
  get stringLookups(): { filtered: number; lookedUp: number } {
    return { filtered: this.strings.filteredTexts, lookedUp: this.strings.lookedUpTexts };
  }
  /** Texts of string ids fetched one query at a time (`textsOf`) while the table is not loaded whole. */
  private readonly picked = new Map<number, string>();

  constructor(
    readonly location: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly readOnly: boolean,
  ) {}

  /** Check the schema version; create or migrate a writable store. */
  async prepare(): Promise<void> {
    const version = await this.schemaVersion();
    if (version > SCHEMA_VERSION)
      throw new StoreError(
        'newer-schema',
        tBoth('store.newer', { path: this.location, version, known: SCHEMA_VERSION }),
      );
    if (version === SCHEMA_VERSION) return;
    if (this.readOnly)
      throw new StoreError('older-schema', tBoth('store.older', { path: this.location, version }));
    // One transaction per version, recorded with it: a store stopped halfway is at the last version whole. DuckDB
    // refuses to commit a transaction that alters a table after changing its rows (migration 3's UPDATE of
    // events, then migration 8's ADD COLUMN), so versions cannot share one.
    for (let v = version + 1; v <= SCHEMA_VERSION; v++) {
      await this.conn.run('BEGIN');
      try {
        await this.conn.run(
          'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)',
        );
        for (const sql of MIGRATIONS[v - 1]!) await this.conn.run(sql);
        await this.conn.run('INSERT INTO schema_version (version) VALUES (?)', [v]);
        await this.conn.run('COMMIT');
      } catch (e) {
        await this.conn.run('ROLLBACK').catch(() => undefined);
        throw e;
      }
    }
  }

  /** Take up (or start) what a writer that opens this store again and again keeps between opens. */
  async useMemory(memory: WriterMemory): Promise<void> {
    const identity = await this.storeIdentity();
    if (memory.identity === identity && memory.strings) this.strings = memory.strings;
    else {
      memory.identity = identity;
      memory.strings = this.strings;
    }
  }

  /**
   * What tells this store from another file at the same path: the moment its schema was first created (a store
   * deleted and made again, or another store copied over it, has another). Empty for a store without versions.
   */
  async storeIdentity(): Promise<string> {
    const r = await this.rows('SELECT min(applied_at)::VARCHAR FROM schema_version WHERE version = 1');
    return String(r[0]?.[0] ?? '');
  }

  async schemaVersion(): Promise<number> {
    const t = await this.rows(
      `SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_version' AND database_name = current_database()`,
    );
    if (Number(t[0]![0]) === 0) {
      const any = await this.rows(
        `SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database()`,
      );
      if (Number(any[0]![0]) > 0)
        throw new StoreError('corrupt', tBoth('store.notFwlens', { path: this.location }));
      return 0;
    }
    const r = await this.rows('SELECT max(version) FROM schema_version');
    return Number(r[0]![0] ?? 0);
  }

  private async rows(sql: string, values?: DuckDBValue[]): Promise<DuckDBValue[][]> {
    const reader = await this.conn.runAndReadAll(sql, values);
    return reader.getRows();
  }

  private async objects(sql: string, values?: DuckDBValue[]): Promise<Record<string, unknown>[]> {
    const reader = await this.conn.runAndReadAll(sql, values);
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  }

  async inputs(): Promise<StoredInput[]> {
    const rows = await this.objects(
      `SELECT id, path, dev, ino, fingerprint, fingerprint_bytes, size, "offset", lines, events, unparsed,
        first_ts, last_ts, stats::VARCHAR AS stats FROM inputs ORDER BY id`,
    );
    return rows.map((r) => ({
      id: Number(r.id),
      path: String(r.path),
      dev: Number(r.dev),
      ino: Number(r.ino),
      fingerprint: String(r.fingerprint),
      fingerprintBytes: Number(r.fingerprint_bytes),
      size: Number(r.size),
      offset: Number(r.offset),
      lines: Number(r.lines),
      events: Number(r.events),
      unparsed: Number(r.unparsed),
      firstTime: n(r.first_ts),
      lastTime: n(r.last_ts),
      stats: JSON.parse(String(r.stats)) as InputStats,
    }));
  }

  /** The string table, read once per store (a writer keeps it current). */
  /** The whole string table in memory for a write, unless it holds more than the write bounds (then undefined). */
  private async loadStrings(): Promise<StringIds | undefined> {
    if (!this.strings.whole) {
      const [held, chars] = (
        await this.rows('SELECT count(*)::DOUBLE, coalesce(sum(strlen(text)), 0)::DOUBLE FROM strings')
      )[0]!;
      if (Number(held) > this.writeStringTexts || Number(chars) > this.writeStringChars) return undefined;
      // One text of every string joined by NUL, split here: a row per string through the client took 2.5x as
      // long and 100 MB more (a 10 M-event store's 418,854 strings, nearly all IPv6 addresses: 1.05 s against
      // 0.43 s). The ids are their places when they run from 0 without a gap and no text holds a NUL;
      // otherwise row by row.
      const [count, lo, hi, joined] = (
        await this.rows(`SELECT count(*)::DOUBLE, coalesce(min(id), 0)::DOUBLE, coalesce(max(id), -1)::DOUBLE,
          string_agg(text, chr(0) ORDER BY id) FROM strings`)
      )[0]!;
      const texts = count === 0 ? [] : String(joined).split('\0');
      if (texts.length === count && lo === 0 && hi === Number(count) - 1) this.strings.loadTexts(texts);
      else if (texts.length === count) {
        // Gaps in the ids (a prune deleted texts): the ids as one list beside the joined texts.
        const [[list]] = (await this.rows('SELECT list(id ORDER BY id) FROM strings')) as [[DuckDBValue]];
        const ids = (list as unknown as { items: DuckDBValue[] }).items;
        this.strings.load(texts.map((t, i) => [Number(ids[i]), t]));
      } else {
        const rows = await this.rows('SELECT id, text FROM strings ORDER BY id');
        this.strings.load(rows.map((r) => [Number(r[0]), String(r[1])]));
      }
    }
    return this.strings;
  }

  /**
   * Fetch the texts of these string ids (nulls and those already known skipped) for `text`: a query shows a
   * few, and loading the whole table (every IPv6 address ever seen) took ~0.8 s and ~300 MB on a 10 M store.
   */
  private async textsOf(ids: Iterable<DuckDBValue>): Promise<void> {
    if (this.strings.whole) return;
    const want = new Set<number>();
    for (const id of ids) {
      if (id === null || id === undefined) continue;
      const n = Number(id);
      if (Number.isSafeInteger(n) && n >= 0 && !this.picked.has(n)) want.add(n);
    }
    const all = [...want];
    for (let i = 0; i < all.length; i += LOOKUP_CHUNK) {
      const part = all.slice(i, i + LOOKUP_CHUNK).join(', ');
      for (const [id, text] of await this.rows(`SELECT id, text FROM strings WHERE id IN (${part})`))
        this.picked.set(Number(id), String(text));
    }
  }

  /** Text of a string id from a result row (null stays undefined): from the loaded table, or fetched by `textsOf`. */
  private text(id: DuckDBValue): string | undefined {
    if (id === null) return undefined;
    return this.strings.texts ? this.strings.texts[Number(id)] : this.picked.get(Number(id));
  }

  /** An address from its v4 number or v6 string id. */
  private address(v4: DuckDBValue, sid: DuckDBValue): string | undefined {
    return v4 !== null ? intToIpv4(Number(v4)) : this.text(sid);
  }

  /**
   * Bring the string filter in step with a table of `total` texts (ids 0 .. total-1): a new one (or a larger one
   * once the table outgrew it) is filled from the whole table; else the texts added since (by another process
   * while this one let go of the store) are read. Ids only grow: a prune deletes texts no row holds, never the one
   * with the highest id, so a deleted text stays in the filter as one it may have (looked up, found new).
   */
  private async syncFilter(strings: StringIds, total: number): Promise<void> {
    let filter = strings.filter;
    if (filter === undefined || filterBitsFor(total) > filter.bits || strings.filterNext > total) {
      filter = new TextFilter(filterBitsFor(2 * total));
      strings.filter = filter;
      strings.filterNext = 0;
    }
    if (strings.filterNext >= total) return;
    const reader = await this.conn.stream('SELECT text FROM strings WHERE id >= ? AND id < ?', [
      strings.filterNext,
      total,
    ]);
    for (;;) {
      const chunk = await reader.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const col = chunk.getColumnVector(0);
      for (let i = 0; i < chunk.rowCount; i++) filter.add(col.getItem(i) as string);
    }
    strings.filterNext = total;
  }

  /** The temporary table of look-ups exists (`lookUpStrings`; dropped after each write, `dropLookUps`). */
  private lookUpTable = false;

  /**
   * Drop the look-ups' table once a write is over. A DELETE leaves the deleted rows' texts in a temporary
   * table's memory (it is never checkpointed), and so does a DROP inside the transaction until it ends: a log of
   * 400,000 distinct 900-character prefixes left ~700 MB of DuckDB's memory in it by the end of the ingest.
   */
  private async dropLookUps(): Promise<void> {
    if (!this.lookUpTable) return;
    this.lookUpTable = false;
    await this.conn.run('DROP TABLE IF EXISTS temp.string_lookup').catch(() => undefined);
  }

  /** The ids of those of `texts` the string table holds (a writer that does not load it whole). */
  private async lookUpStrings(texts: string[]): Promise<[string, number][]> {
    this.lookUpTable = true;
    await this.conn.run('CREATE TEMP TABLE IF NOT EXISTS string_lookup (text VARCHAR)');
    await this.conn.run('DELETE FROM string_lookup');
    const app = await this.conn.createAppender('string_lookup', 'main', 'temp');
    for (const t of texts) {
      app.appendVarchar(t);
      app.endRow();
    }
    app.closeSync();
    const rows = await this.rows(
      'SELECT s.text, s.id FROM strings s JOIN string_lookup l ON s.text = l.text',
    );
    return rows.map((r) => [String(r[0]), Number(r[1])]);
  }

  async nextInputId(): Promise<number> {
    const r = await this.rows('SELECT coalesce(max(id), 0) + 1 FROM inputs');
    return Number(r[0]![0]);
  }

  /** DuckDB's threads as last set (undefined: its default, one per core). */
  private threads: number | undefined;

  /** Set DuckDB's threads for what comes next (undefined: back to its default). */
  private async useThreads(n: number | undefined): Promise<void> {
    if (n === this.threads) return;
    await this.conn.run(n === undefined ? 'RESET threads' : `SET threads = ${n}`);
    this.threads = n;
  }

  async begin(hint: { bytes?: number } = {}): Promise<StoreWriter> {
    if (this.readOnly) throw new StoreError('read-only', tBoth('store.readOnly', { path: this.location }));
    if (this.busy) throw new Error('one store writer at a time');
    this.busy = true;
    const conn = this.conn;
    try {
      await this.checkPending();
      this.throwSummaryError();
    } catch (e) {
      this.busy = false;
      throw e;
    }
    // A write that begins while deferred summaries are being written does not see them once they commit, so it
    // cannot merge into the same summaries: it defers its own too.
    const overlapped = this.summariesInFlight > 0;
    await this.useThreads(WRITE_THREADS);
    const location = this.location;
    const bounded =
      this.stringCache !== undefined || (hint.bytes !== undefined && hint.bytes < this.smallWriteBytes);
    const strings = bounded ? this.strings : ((await this.loadStrings()) ?? this.strings);
    await conn.run('BEGIN');
    if (!strings.whole) {
      const maxId = Number((await this.rows('SELECT coalesce(max(id), -1) FROM strings'))[0]![0]);
      strings.startBounded(maxId);
      // A writer that runs for long keeps a filter of the table's texts (built once, then kept in step).
      // (Only a speed-up: when reading the texts fails, the write looks its texts up without it.)
      if (this.stringCache !== undefined)
        await this.syncFilter(strings, maxId + 1).catch(() => {
          strings.filter = undefined;
        });
    }
    /** Dictionaries whose texts have ids already, and how many of their texts. */
    const resolved = new WeakMap<Dictionary, number>();
    let events: EventAppender | undefined;
    /** First and last line appended per input: the part's events are that input's between them. */
    const partStart = new Map<number, number>();
    const partEnd = new Map<number, number>();
    let appendedEvents = 0;
    let done = false;
    const finish = () => {
      done = true;
      this.busy = false;
    };
    const rollback = async () => {
      if (done) return;
      try {
        events?.close();
      } catch {
        // The appender may already be unusable after the failure being rolled back.
      }
      events = undefined;
      strings.forgetUncommitted();
      finish();
      await conn.run('ROLLBACK').catch(() => undefined);
      await this.dropLookUps();
    };
    /** The open write's new texts into the table. */
    const appendStrings = async () => {
      if (strings.fresh.length === 0) return;
      const app = await conn.createAppender('strings');
      strings.fresh.forEach((text, i) => {
        app.appendUInteger(strings.next + i);
        app.appendVarchar(text);
        app.endRow();
      });
      app.closeSync();
    };
    const guard = async <T>(work: () => Promise<T>): Promise<T> => {
      try {
        return await work();
      } catch (e) {
        await rollback();
        throw storeFault(e, location);
      }
    };
    return {
      appendEvents: (batch, inputId) =>
        guard(async () => {
          if (!events) {
            const app = await conn.createAppender('events');
            const types = EVENT_COLUMNS.map((_, i) => app.columnType(i));
            events = new EventAppender(app, types, strings);
          }
          if (batch.length > 0 && !partStart.has(inputId)) partStart.set(inputId, batch.line[0]!);
          if (batch.length > 0) partEnd.set(inputId, batch.line[batch.length - 1]!);
          appendedEvents += batch.length;
          if (strings.over(this.writeStringTexts, this.writeStringChars)) {
            // Past the bounds: the write's new texts go to the table now, and it goes on without them in memory
            // (the events appender keeps the store ids of the dictionary texts it has met).
            await appendStrings();
            strings.spilled();
          }
          if (!strings.whole) {
            // Ids for the texts the batch may use (its dictionary's new texts, its alarm names), looked up in
            // the table in one join, before the appender asks for them.
            const d = batch.dict;
            const from = resolved.get(d) ?? 0;
            const texts = d.texts.slice(from);
            for (const rare of batch.rare.values())
              if (rare.alarmName !== undefined) texts.push(rare.alarmName);
            await strings.resolve(texts, (unknown) => this.lookUpStrings(unknown));
            resolved.set(d, d.texts.length);
          }
          events.append(batch, inputId);
          const peak = this.stringsHeldPeak;
          peak.texts = Math.max(peak.texts, strings.size);
          peak.chars = Math.max(peak.chars, strings.chars);
        }),
      appendProblems: (problems) =>
        guard(async () => {
          if (problems.length === 0) return;
          const app = await conn.createAppender('unparsed');
          for (const p of problems) {
            app.appendUInteger(p.inputId);
            app.appendUBigInt(BigInt(p.line));
            app.appendVarchar(p.kind);
            app.appendVarchar(cap(p.reason, UNPARSED_TEXT_CHARS));
            app.appendVarchar(cap(p.text, UNPARSED_TEXT_CHARS));
            app.endRow();
          }
          app.closeSync();
        }),
      appendFindings: (findings) =>
        guard(async () => {
          if (findings.length === 0) return;
          // Ids drawn in one statement and rows through two appenders: a query, an INSERT and an appender
          // per finding took ~2 ms each (3.5 s for the 1,553 findings of the 1 M benchmark log).
          const ids = (await this.rows(`SELECT nextval('finding_ids') FROM range(${findings.length})`))
            .map((r) => BigInt(r[0] as bigint | number))
            .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          const rows = await conn.createAppender('findings');
          const evidence = await conn.createAppender('evidence');
          findings.forEach(({ finding: f, evidenceInputs }, i) => {
            const id = ids[i]!;
            rows.appendUBigInt(id);
            rows.appendVarchar(f.detector);
            rows.appendUTinyInt(f.severity);
            rows.appendDouble(f.confidence);
            if (f.firstSeen === undefined) rows.appendNull();
            else rows.appendBigInt(BigInt(f.firstSeen));
            if (f.lastSeen === undefined) rows.appendNull();
            else rows.appendBigInt(BigInt(f.lastSeen));
            rows.appendList(f.sources, TEXT_LIST);
            rows.appendList(f.targets, TEXT_LIST);
            rows.appendList(f.ports, INTEGER_LIST);
            if (f.technique === undefined) rows.appendNull();
            else rows.appendVarchar(f.technique);
            rows.appendVarchar(f.title.en);
            rows.appendVarchar(JSON.stringify({ ...f, evidence: [] }));
            rows.endRow();
            f.evidence.forEach((e, ord) => {
              evidence.appendUBigInt(id);
              evidence.appendUInteger(ord);
              const fileId = evidenceInputs[ord];
              if (fileId === undefined) evidence.appendNull();
              else evidence.appendUInteger(fileId);
              if (e.line === undefined) evidence.appendNull();
              else evidence.appendUBigInt(BigInt(e.line));
              evidence.appendVarchar(cap(e.text, EVIDENCE_TEXT_CHARS));
              evidence.endRow();
            });
          });
          rows.closeSync();
          evidence.closeSync();
        }),
      commit: (input) =>
        guard(async () => {
          events?.close();
          events = undefined;
          await appendStrings();
          // The part's events counted per day and address into the summaries: in the same transaction, or, for a
          // large part (or one written beside deferred summaries), by a transaction of their own after this one,
          // beside the next part's appends; until then the part is listed in `summary_pending`.
          const defer = overlapped || appendedEvents >= this.deferSummaryEvents;
          if (defer) {
            for (const [inputId, fromLine] of partStart)
              await conn.run('INSERT INTO summary_pending VALUES (?, ?, ?)', [
                inputId,
                fromLine,
                partEnd.get(inputId)!,
              ]);
          } else
            await addSummaries(
              conn,
              [...partStart].map(([id, from]) => [id, from, undefined]),
              this.sourcesRecentRows,
              this.addressDaysRecentRows,
            );
          await conn.run('DELETE FROM inputs WHERE id = ?', [input.id]);
          await conn.run(
            `INSERT INTO inputs (id, path, dev, ino, fingerprint, fingerprint_bytes, size, "offset", lines, events,
              unparsed, first_ts, last_ts, stats) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::JSON)`,
            [
              input.id,
              input.path,
              BigInt(input.dev),
              BigInt(input.ino),
              input.fingerprint,
              input.fingerprintBytes,
              BigInt(input.size),
              BigInt(input.offset),
              BigInt(input.lines),
              BigInt(input.events),
              BigInt(input.unparsed),
              input.firstTime === undefined ? null : BigInt(input.firstTime),
              input.lastTime === undefined ? null : BigInt(input.lastTime),
              JSON.stringify(input.stats),
            ],
          );
          await conn.run('COMMIT');
          strings.committedWrite(this.stringCache ?? STRING_CACHE_TEXTS);
          await this.dropLookUps();
          finish();
          if (defer && partStart.size > 0) this.deferSummaries();
        }),
      rollback,
    };
  }

  async prune(before: number): Promise<PruneResult> {
    if (this.readOnly) throw new StoreError('read-only', tBoth('store.readOnly', { path: this.location }));
    await this.settle();
    await this.useThreads(undefined);
    // Never the newest: the cut-off moves back to the start of the newest stored day at the latest.
    const newest = n((await this.rows('SELECT max(ts) FROM events'))[0]![0]);
    if (newest === undefined) return { events: 0, findings: 0, unparsed: 0, before };
    const cut = Math.min(before, Math.floor(newest / 86_400_000) * 86_400_000);
    await this.conn.run('BEGIN');
    try {
      // Unparsed lines have no time of their own: those of an input up to its last line that goes, go too.
      const un = Number(
        (
          await this.rows(
            `DELETE FROM unparsed u USING (SELECT file_id, max(line) AS line FROM events WHERE ts < ? GROUP BY file_id) p
              WHERE u.file_id = p.file_id AND u.line <= p.line`,
            [BigInt(cut)],
          )
        )[0]?.[0] ?? 0,
      );
      // The count DuckDB answers a DELETE with (RETURNING would hand every deleted row to JS: minutes at 10 M).
      const ev = Number((await this.rows('DELETE FROM events WHERE ts < ?', [BigInt(cut)]))[0]?.[0] ?? 0);
      const fi = await this.rows('DELETE FROM findings WHERE last_ts < ? RETURNING id', [BigInt(cut)]);
      await this.conn.run('DELETE FROM evidence WHERE finding_id NOT IN (SELECT id FROM findings)');
      // The summaries lose the same days; a cut-off inside a day recounts that day from what is left of it.
      const cutDay = Math.floor(cut / DAY_MS);
      const partial = cut % DAY_MS !== 0;
      // Their rows waiting in the recent tables lose those days too, and the rest are merged (as the per-source
      // rows are below).
      for (const { table, side, recent } of ADDRESS_DAY_TABLES) {
        await this.conn.run(`DELETE FROM ${table} WHERE day < ?`, [cutDay + (partial ? 1 : 0)]);
        await this.conn.run(`DELETE FROM ${recent} WHERE day < ?`, [cutDay + (partial ? 1 : 0)]);
        if (partial)
          await this.conn.run(`INSERT INTO ${table} ${addressDaysSelect(side, 'ts >= ? AND ts < ?')}`, [
            BigInt(cut),
            BigInt((cutDay + 1) * DAY_MS),
          ]);
      }
      await mergeRecentDays(this.conn, 0);
      // Only a source first seen before the cut-off lost events: those are counted again from the events
      // kept (one with none left is gone); the others keep their rows. Rows waiting in `sources_recent` are
      // merged first. Counting the whole table again took most of a prune (~0.5-0.9 s at 10 M events).
      const [waiting] = await this.rows('SELECT EXISTS (SELECT 1 FROM sources_recent)');
      if (waiting![0]) {
        await mergeSources(this.conn, 'sources_recent', false);
        await this.conn.run('DELETE FROM sources_recent');
      }
      await this.conn.run(
        `CREATE OR REPLACE TEMP TABLE pruned_sources AS SELECT ${sourceKey()} AS ka FROM sources WHERE first_ts < ?`,
        [BigInt(cut)],
      );
      await this.conn.run('DELETE FROM sources WHERE first_ts < ?', [BigInt(cut)]);
      await this.conn.run(
        `INSERT INTO sources ${sourcesSelect(`${sourceKey('src_')} IN (SELECT ka FROM pruned_sources)`)}`,
      );
      await this.conn.run('DROP TABLE pruned_sources');
      const strings = ev + fi.length > 0 ? await this.pruneStrings() : 0;
      await this.conn.run('COMMIT');
      // Texts this process knows may be gone: the next write looks its texts up again (the filter of a
      // long-running writer stays; a text it wrongly takes for present is looked up and found new).
      if (strings > 0) this.strings.forgetIds();
      await this.conn.run('CHECKPOINT');
      return { events: ev, findings: fi.length, unparsed: un, strings, before: cut };
    } catch (e) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw storeFault(e, this.location);
    }
  }

  /**
   * Delete the texts no row holds any more (inside a prune's transaction): the IPv6 addresses, interfaces and
   * rules of the days that went. Which columns hold string ids is read from the schema (every `*_sid` column),
   * so a column added later is not forgotten. The text with the highest id always stays: new ids go on from
   * it, so no id is ever given to two texts (a reader that knows an id's text stays right).
   */
  private async pruneStrings(): Promise<number> {
    const cols = await this.rows(
      `SELECT c.table_name, c.column_name FROM duckdb_columns() c JOIN duckdb_tables() t
        ON t.database_name = c.database_name AND t.schema_name = c.schema_name AND t.table_name = c.table_name
        WHERE c.database_name = current_database() AND c.table_name <> 'strings'
          AND (c.column_name LIKE '%\\_sid' ESCAPE '\\') ORDER BY ALL`,
    );
    if (cols.length === 0) return 0;
    const held = cols
      .map(([t, c]) => `SELECT "${String(c)}" AS id FROM "${String(t)}" WHERE "${String(c)}" IS NOT NULL`)
      .join(' UNION ');
    const [r] = await this.rows(
      `DELETE FROM strings WHERE id < (SELECT max(id) FROM strings) AND id NOT IN (${held})`,
    );
    return Number(r?.[0] ?? 0);
  }

  /**
   * Bytes the data takes: DuckDB's blocks in use plus its write-ahead log. A checkpoint after a delete
   * frees blocks for reuse but does not shorten the file (measured, docs/store.md), so the file's own size
   * is the high-water mark, not what is held.
   */
  async usedBytes(): Promise<number> {
    const [r] = await this.objects(
      'SELECT used_blocks::DOUBLE AS used, block_size::DOUBLE AS block FROM pragma_database_size()',
    );
    let wal = 0;
    try {
      wal = statSync(`${this.location}.wal`).size;
    } catch {
      // no write-ahead log: everything is checkpointed
    }
    return Number(r?.used ?? 0) * Number(r?.block ?? 0) + wal;
  }

  async pruneToSize(maxBytes: number): Promise<SizePruneResult> {
    if (this.readOnly) throw new StoreError('read-only', tBoth('store.readOnly', { path: this.location }));
    await this.useThreads(undefined);
    await this.conn.run('CHECKPOINT');
    const bytesBefore = await this.usedBytes();
    let bytes = bytesBefore;
    const dropped = { events: 0, findings: 0, unparsed: 0, before: undefined as number | undefined };
    // The bytes of a day are estimated from its share of the events; a second (or third) round corrects
    // the estimate with the size measured after the first.
    for (let round = 0; round < SIZE_PRUNE_ROUNDS && bytes > maxBytes; round++) {
      const days = await this.rows(
        `SELECT floor(ts / ${DAY_MS})::DOUBLE AS d, count(*)::DOUBLE FROM events WHERE ts IS NOT NULL GROUP BY d ORDER BY d`,
      );
      if (days.length < 2) break;
      const total = days.reduce((sum, r) => sum + Number(r[1]), 0);
      const perEvent = bytes / Math.max(1, total);
      let keep = total;
      let firstKept = 0;
      // Never the newest day: the loop stops before it.
      while (firstKept < days.length - 1 && keep * perEvent > maxBytes) keep -= Number(days[firstKept++]![1]);
      if (firstKept === 0) break;
      const r = await this.prune(Number(days[firstKept]![0]) * DAY_MS);
      dropped.events += r.events;
      dropped.findings += r.findings;
      dropped.unparsed += r.unparsed;
      dropped.before = r.before;
      bytes = await this.usedBytes();
    }
    return {
      events: dropped.events,
      findings: dropped.findings,
      unparsed: dropped.unparsed,
      ...(dropped.before === undefined ? {} : { before: dropped.before }),
      bytesBefore,
      bytesAfter: bytes,
    };
  }

  async *events(window?: TimeWindow): AsyncIterable<FwEvent> {
    const inputs = await this.inputs();
    const paths = new Map(inputs.map((i) => [i.id, i.path]));
    await this.loadStrings();
    const w = windowCondition(window);
    const text = (v: DuckDBValue) => this.text(v);
    // Input by input (in time order: readingOrder), each in insertion order (DuckDB keeps it without ORDER BY:
    // preserve_insertion_order), which is line order within an input: its parts are appended in order. No sort
    // of the whole table.
    for (const input of readingOrder(inputs)) {
      const result = await this.conn.stream(
        `SELECT ${EVENT_READ_COLUMNS} FROM events WHERE file_id = ? AND ${w.sql}`,
        [input.id, ...w.values],
      );
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        for (const row of chunk.getRows()) yield rowEvent(row, paths, text);
      }
    }
  }

  async findings(window?: TimeWindow): Promise<Finding[]> {
    const parts: string[] = [];
    const values: DuckDBValue[] = [];
    if (window?.since !== undefined) {
      parts.push('(last_ts IS NULL OR last_ts >= ?)');
      values.push(BigInt(Math.floor(window.since)));
    }
    if (window?.until !== undefined) {
      parts.push('(first_ts IS NULL OR first_ts < ?)');
      values.push(BigInt(Math.floor(window.until)));
    }
    return this.findingsWhere(parts.length ? parts.join(' AND ') : 'true', values);
  }

  /** Findings with a source in a network: their lists read (not their bodies), matched here, then read whole. */
  private async findingsFromNetwork(match: AddressMatch): Promise<Finding[]> {
    const rows = await this.rows('SELECT id, sources FROM findings');
    const ids = rows
      .filter((r) =>
        ((r[1] as { items?: DuckDBValue[] } | null)?.items ?? []).some((s) => addressIn(match, String(s))),
      )
      .map((r) => BigInt(r[0] as bigint));
    return ids.length === 0 ? [] : this.findingsWhere(`f.id IN (${ids.join(', ')})`, []);
  }

  private async findingsWhere(where: string, values: DuckDBValue[]): Promise<Finding[]> {
    const rows = await this.objects(
      `SELECT f.id, f.body::VARCHAR AS body,
        (SELECT list({'file': i.path, 'line': e.line::DOUBLE, 'text': e.text} ORDER BY e.ord)
          FROM evidence e LEFT JOIN inputs i ON i.id = e.file_id WHERE e.finding_id = f.id) AS ev
        FROM findings f WHERE ${where} ORDER BY f.id`,
      values,
    );
    return rows.map((r) => {
      const f = JSON.parse(String(r.body)) as Finding;
      const ev = (r.ev as { file: string | null; line: number | null; text: string }[] | null) ?? [];
      f.evidence = ev.map((e) => ({
        ...(e.file === null ? {} : { file: e.file }),
        ...(e.line === null ? {} : { line: Number(e.line) }),
        text: e.text,
      }));
      return f;
    });
  }

  async problems(limit: number, kind?: StoredProblem['kind']): Promise<StoredProblem[]> {
    const rows = await this.objects(
      `SELECT file_id, line::DOUBLE AS line, kind::VARCHAR AS kind, reason, text FROM unparsed
        WHERE ${kind ? 'kind = ?' : 'true'} ORDER BY file_id, line LIMIT ?`,
      kind ? [kind, limit] : [limit],
    );
    return rows.map((r) => ({
      inputId: Number(r.file_id),
      line: Number(r.line),
      kind: r.kind as StoredProblem['kind'],
      reason: String(r.reason),
      text: String(r.text),
    }));
  }

  async eventCount(): Promise<number> {
    return Number((await this.rows('SELECT count(*) FROM events'))[0]![0]);
  }

  private async ranked(sql: string, values: DuckDBValue[]): Promise<Ranked[]> {
    return (await this.rows(sql, values)).map((r) => ({ key: String(r[0]), count: Number(r[1]) }));
  }

  /** Per-day counts of a filtered set of events. */
  private async perDay(where: string, values: DuckDBValue[]): Promise<Ranked[]> {
    return this.ranked(
      `SELECT strftime(epoch_ms(ts), '%Y-%m-%d') AS day, count(*) FROM events WHERE ${where} AND ts IS NOT NULL
        GROUP BY day ORDER BY day`,
      values,
    );
  }

  /** Top destination ports (`port/transport`) of a filtered set of events. */
  private rankedPorts(where: string, values: DuckDBValue[], limit: number) {
    return rankedPortRows(
      {
        rows: (sql, v) => this.rows(sql, v),
      },
      where,
      values,
      limit,
    );
  }

  async querySource(ip: string, window?: TimeWindow, opts?: PresetOptions): Promise<IpSummary> {
    const limit = rankRows(opts);
    const a = addressCondition(ip, 'src');
    const w = windowCondition(window);
    // One scan of the table: the source's events are kept once (a materialized CTE) and counted per day, port
    // and target from there, by DuckDB. (Streaming the source's rows into JS to count them read the table on
    // one thread: 350-600 ms for the busiest source of the 10 M store, 2,156 events spread over every row
    // group; about 100 ms this way.)
    const rows = await this.rows(
      `WITH s AS MATERIALIZED (SELECT ts, dst_port, transport_sid, dst_v4, dst_text_sid FROM events
        WHERE ${a.sql} AND ${w.sql})
      SELECT 0 AS k, floor(ts / ${DAY_MS})::BIGINT AS a, NULL::BIGINT AS b, count(*)::DOUBLE AS n,
        min(ts)::DOUBLE AS lo, max(ts)::DOUBLE AS hi FROM s WHERE ts IS NOT NULL GROUP BY 2
      UNION ALL (SELECT 1, dst_port, transport_sid, count(*)::DOUBLE, NULL, NULL FROM s
        WHERE dst_port IS NOT NULL GROUP BY 2, 3 ORDER BY 4 DESC, 2, 3 NULLS LAST LIMIT ${limit})
      UNION ALL (SELECT 2, dst_v4, dst_text_sid, count(*)::DOUBLE, NULL, NULL FROM s
        WHERE dst_v4 IS NOT NULL OR dst_text_sid IS NOT NULL
        GROUP BY 2, 3 ORDER BY 4 DESC, 2 NULLS LAST, 3 NULLS LAST LIMIT ${limit + 1})
      UNION ALL SELECT 3, NULL, NULL, count(*)::DOUBLE, NULL, NULL FROM s`,
      [...a.values, ...w.values],
    );
    let events = 0;
    let first: number | undefined;
    let last: number | undefined;
    const days: [string, number][] = [];
    const portRows: { port: number; sid: number; count: number }[] = [];
    // A row more than shown: rankAddresses orders them and breaks a tie cut there.
    const targetHead: DuckDBValue[][] = [];
    const num = (v: DuckDBValue) => (v === null ? -1 : Number(v));
    for (const [k, x, y, n, lo, hi] of rows) {
      const count = Number(n);
      if (k === 0) {
        days.push([new Date(Number(x) * DAY_MS).toISOString().slice(0, 10), count]);
        if (first === undefined || Number(lo) < first) first = Number(lo);
        if (last === undefined || Number(hi) > last) last = Number(hi);
      } else if (k === 1) portRows.push({ port: Number(x), sid: num(y), count });
      else if (k === 2) targetHead.push([x!, y!, count]);
      else events = count;
    }
    // The lists come in the order of the SQL rankings: count, then the key (NULLs last); the days in order.
    days.sort((x, y) => (x[0] < y[0] ? -1 : 1));
    await this.textsOf(portRows.map((p) => p.sid));
    const topPorts = portRows.map((p) => {
      const transport = p.sid < 0 ? undefined : this.text(p.sid);
      return {
        port: p.port,
        transport,
        key: transport ? `${p.port}/${transport}` : String(p.port),
        count: p.count,
      };
    });
    const topTargets = (
      await rankAddresses(
        (sql, v) => this.rows(sql, v),
        `SELECT dst_v4 AS v4, dst_text_sid AS sid, count(*)::DOUBLE AS c FROM events
          WHERE ${a.sql} AND ${w.sql} AND (dst_v4 IS NOT NULL OR dst_text_sid IS NOT NULL) GROUP BY ALL`,
        [...a.values, ...w.values],
        limit,
        { head: targetHead },
      )
    ).map(rankedAddress);
    const shown = shownAddress(ip);
    const match = addressMatch(ip)!;
    const findings = singleAddress(match)
      ? await this.findingsWhere('list_contains(f.sources, ?)', [shown])
      : await this.findingsFromNetwork(match);
    const top = topPorts[0];
    return {
      ip: shown,
      events,
      firstSeen: first,
      lastSeen: last,
      perDay: days.map(([key, count]) => ({ key, count })),
      ports: topPorts.map(({ key, count }) => ({ key, count })),
      targets: topTargets,
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
    const w = windowCondition(window);
    const one = opts?.transport !== undefined;
    const where = `dst_port = ?${one ? ' AND transport_sid = (SELECT min(id) FROM strings WHERE text = ?)' : ''} AND ${w.sql}`;
    const values = [port, ...(one ? [opts.transport!] : []), ...w.values];
    const head = await this.rows(
      `SELECT count(*), min(ts)::DOUBLE, max(ts)::DOUBLE FROM events WHERE ${where}`,
      values,
    );
    const transportRows = await this.rows(
      `SELECT transport_sid, count(*) AS c FROM events WHERE ${where} GROUP BY ALL ORDER BY c DESC`,
      values,
    );
    await this.textsOf(transportRows.map((r) => r[0]!));
    const transports = transportRows.map((r) => ({ key: this.text(r[0]!) ?? '?', count: Number(r[1]) }));
    return {
      port,
      events: Number(head[0]![0]),
      firstSeen: n(head[0]![1]),
      lastSeen: n(head[0]![2]),
      perDay: await this.perDay(where, values),
      sources: await this.rankedAddresses('src', where, values, limit),
      targets: await this.rankedAddresses('dst', where, values, limit),
      transports,
    };
  }

  /** Top addresses of one side, grouped on the numeric columns and printed after the ranking. */
  private async rankedAddresses(
    side: 'src' | 'dst',
    where: string,
    values: DuckDBValue[],
    limit: number,
  ): Promise<Ranked[]> {
    const rows = await rankAddresses(
      (sql, v) => this.rows(sql, v),
      `SELECT ${side}_v4 AS v4, ${side}_text_sid AS sid, count(*) AS c FROM events
        WHERE ${where} AND (${side}_v4 IS NOT NULL OR ${side}_text_sid IS NOT NULL) GROUP BY ALL`,
      values,
      limit,
    );
    return rows.map(rankedAddress);
  }

  async top(by: TopKey, limit: number, window?: TimeWindow): Promise<Ranked[]> {
    const w = windowCondition(window);
    if (by === 'src' && window?.since === undefined && window?.until === undefined) {
      // Everything: one row per source (migration 5), ranked as every list of addresses.
      const rows = await rankAddresses(
        (sql, v) => this.rows(sql, v),
        `SELECT v4, text_sid AS sid, events::DOUBLE AS c FROM ${await this.sourcesRelation()}`,
        [],
        limit,
      );
      return rows.map(rankedAddress);
    }
    if (by === 'src' && summariesAnswer(window?.since, window?.until)) {
      // From the per-day summaries: everything, whole UTC days, or a range with partial days at its edges
      // (`--since 7d` counts back from now) whose events are grouped as one more day row per source; the
      // same bound then sums only the sources that can reach the top (src/store/address-days.ts).
      const rows = await topFromAddressDaysAndEdges(
        (sql, values) => this.rows(sql, values),
        'src',
        {
          ...(window?.since === undefined ? {} : { from: window.since }),
          ...(window?.until === undefined ? {} : { to: window.until }),
        },
        limit,
      );
      await this.textsOf(rows.map((r) => r[1]));
      return rows.map(([v4, sid, count]) => ({ key: this.address(v4, sid) ?? '?', count }));
    }
    if (by === 'src') return this.rankedAddresses('src', w.sql, w.values, limit);
    if (by === 'port')
      return (await this.rankedPorts(w.sql, w.values, limit)).map(({ key, count }) => ({ key, count }));
    const column = by === 'alarm' ? 'alarm_sid' : 'rule_sid';
    return rankedNames(
      (sql, v) => this.rows(sql, v),
      `SELECT ${column} AS k, count(*)::DOUBLE AS c FROM events WHERE ${w.sql} AND ${column} IS NOT NULL GROUP BY ${column}`,
      w.values,
      limit,
    );
  }

  /** Per-IPv4-source counts of the window: from the per-source table for everything, else grouped from the events. */
  private async v4SourcesOf(window: TimeWindow | undefined): Promise<{ sql: string; values: DuckDBValue[] }> {
    if (window?.since === undefined && window?.until === undefined)
      return {
        sql: `SELECT v4 AS a, events AS c FROM ${await this.sourcesRelation()} WHERE v4 IS NOT NULL`,
        values: [],
      };
    const w = windowCondition(window);
    return {
      sql: `SELECT src_v4 AS a, count(*) AS c FROM events WHERE src_v4 IS NOT NULL AND ${w.sql} GROUP BY src_v4`,
      values: w.values,
    };
  }

  /**
   * The IPv6 sources of the window with their counts: those in global unicast (2000::/3, nearly all) as numbers
   * (four 32-bit words each, no text made; in no particular order), the others (and sources kept as text only) as
   * their texts, for the per-address rule.
   */
  async v6SourceCounts(window?: TimeWindow): Promise<SourceCounts[]> {
    const w = windowCondition(window);
    const out: SourceCounts[] = [];
    const reader = await this.conn.stream(
      `SELECT (src_v6 >> 96)::UINTEGER, ((src_v6 >> 64) & ${WORD_MASK})::UINTEGER,
          ((src_v6 >> 32) & ${WORD_MASK})::UINTEGER, (src_v6 & ${WORD_MASK})::UINTEGER, count(*)::DOUBLE
        FROM events WHERE src_v4 IS NULL AND src_v6 BETWEEN ${GLOBAL_UNICAST_SQL} AND ${w.sql}
        GROUP BY src_v6`,
      w.values,
    );
    for (;;) {
      const chunk = await reader.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const rows = chunk.rowCount;
      const v6 = new Uint32Array(4 * rows);
      for (let k = 0; k < 4; k++) {
        // No NULLs here: the vector's values straight from its buffer (the getItem of each checks validity).
        const col = chunk.getColumnVector(k);
        const items = (col as unknown as { items?: unknown }).items;
        if (items instanceof Uint32Array) for (let i = 0; i < rows; i++) v6[4 * i + k] = items[i]!;
        else for (let i = 0; i < rows; i++) v6[4 * i + k] = col.getItem(i) as number;
      }
      const c = chunk.getColumnVector(4);
      const items = (c as unknown as { items?: unknown }).items;
      const count = items instanceof Float64Array ? items.slice(0, rows) : new Float64Array(rows);
      if (!(items instanceof Float64Array)) for (let i = 0; i < rows; i++) count[i] = c.getItem(i) as number;
      out.push({ v6, count });
    }
    // Their texts joined here: the whole string table (hundreds of thousands of texts) is not loaded for them.
    const rest = await this.rows(
      `SELECT s.text, q.c::DOUBLE FROM (SELECT src_text_sid AS a, count(*) AS c FROM events
          WHERE src_v4 IS NULL AND src_text_sid IS NOT NULL
            AND (src_v6 IS NULL OR src_v6 NOT BETWEEN ${GLOBAL_UNICAST_SQL}) AND ${w.sql}
          GROUP BY 1) q JOIN strings s ON s.id = q.a`,
      w.values,
    );
    if (rest.length)
      out.push({ ip: rest.map((r) => String(r[0])), count: Float64Array.from(rest, (r) => Number(r[1])) });
    return out;
  }

  /**
   * One row per source over the whole history: `sources` alone while `sources_recent` is empty (a few ms at
   * 10 M events), else both merged (`sourcesMerged`: ~50-100 ms at 10 M).
   */
  private async sourcesRelation(): Promise<string> {
    const [r] = await this.rows('SELECT EXISTS (SELECT 1 FROM sources_recent)');
    return r![0] ? `(${sourcesMerged()}) s` : 'sources';
  }

  async sourceTotal(): Promise<{ v4: number; v6: number }> {
    const [r] = await this.rows(
      `SELECT count(v4)::DOUBLE, (count(*) - count(v4))::DOUBLE FROM ${await this.sourcesRelation()}`,
    );
    return { v4: Number(r![0]), v6: Number(r![1]) };
  }

  async *sourceCounts(window?: TimeWindow): AsyncIterable<SourceCounts> {
    const q = await this.v4SourcesOf(window);
    const v4 = await this.conn.stream(`SELECT a::DOUBLE, c::DOUBLE FROM (${q.sql}) ORDER BY a`, q.values);
    for (;;) {
      const chunk = await v4.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const a = chunk.getColumnVector(0);
      const c = chunk.getColumnVector(1);
      const v4s = new Float64Array(chunk.rowCount);
      const count = new Float64Array(chunk.rowCount);
      for (let i = 0; i < chunk.rowCount; i++) {
        v4s[i] = a.getItem(i) as number;
        count[i] = c.getItem(i) as number;
      }
      yield { v4: v4s, count };
    }
    yield* await this.v6SourceCounts(window);
  }

  /**
   * `query top --by country` inside DuckDB, so only countries leave it. The /16 blocks wholly inside one
   * country range (or in none) and the ranges touching the other blocks go into temporary tables (by the
   * appender; a read-only database still takes temporary tables). Sources in whole blocks are counted per
   * block (a hash grouping into at most 65,536 groups, then the block's country); only those in mixed blocks
   * (~14 % of the address space) are joined to the range starting at or before them (ASOF JOIN, a sort).
   */
  async countryCounts(
    ranges: CountryRanges,
    window?: TimeWindow,
  ): Promise<{ country?: string; events: number; sources: number }[]> {
    const q = await this.v4SourcesOf(window);
    const t = countryTables(ranges);
    try {
      await this.conn.run(
        'CREATE OR REPLACE TEMP TABLE country_ranges (lo UINTEGER, hi UINTEGER, cc USMALLINT)',
      );
      await this.conn.run('CREATE OR REPLACE TEMP TABLE country_blocks (k UINTEGER, cc USMALLINT)');
      await this.conn.run('CREATE OR REPLACE TEMP TABLE country_mixed (k UINTEGER)');
      const load = async (table: string, types: DuckDBType[], columns: (Uint32Array | Uint16Array)[]) => {
        const app = await this.conn.createAppender(table, 'main', 'temp');
        try {
          appendColumns(app, types, columns, columns[0]!.length);
        } finally {
          app.closeSync();
        }
      };
      const u32 = DuckDBUIntegerType.instance;
      const u16 = DuckDBUSmallIntType.instance;
      await load('country_ranges', [u32, u32, u16], [t.lo, t.hi, t.cc]);
      await load('country_blocks', [u32, u16], [t.whole, t.wholeCc]);
      await load('country_mixed', [u32], [t.mixed]);
      const rows = await this.rows(
        `WITH s AS MATERIALIZED (${q.sql}),
          per_block AS (SELECT a >> 16 AS k, sum(c) AS c, count(*) AS n FROM s GROUP BY 1)
        SELECT b.cc, sum(p.c)::DOUBLE, sum(p.n)::DOUBLE FROM per_block p LEFT JOIN country_blocks b ON b.k = p.k
          WHERE p.k NOT IN (SELECT k FROM country_mixed) GROUP BY 1
        UNION ALL
        SELECT CASE WHEN m.a <= r.hi THEN r.cc END, sum(m.c)::DOUBLE, count(*)::DOUBLE
          FROM (SELECT a, c FROM s WHERE a >> 16 IN (SELECT k FROM country_mixed)) m
          ASOF LEFT JOIN country_ranges r ON m.a >= r.lo GROUP BY 1`,
        q.values,
      );
      return rows.map((r) => ({
        ...(r[0] === null ? {} : { country: t.codes[Number(r[0])]! }),
        events: Number(r[1]),
        sources: Number(r[2]),
      }));
    } finally {
      for (const name of ['country_ranges', 'country_blocks', 'country_mixed'])
        await this.conn.run(`DROP TABLE IF EXISTS temp.${name}`);
    }
  }

  async newSources(since: number, limit: number): Promise<(Ranked & { firstSeen: number })[]> {
    const s = BigInt(Math.floor(since));
    // One row per source (migration 5): its events with a time and the first of them.
    const rows = await rankAddresses(
      (sql, v) => this.rows(sql, v),
      `SELECT v4, text_sid AS sid, timed AS c, first_ts::DOUBLE AS first FROM ${await this.sourcesRelation()}
        WHERE timed > 0 AND first_ts >= ?`,
      [s],
      limit,
      { tieBy: ['first'] },
    );
    return rows.map((r) => ({ ...rankedAddress(r), firstSeen: Number(r[3]) }));
  }

  async sql(text: string): Promise<SqlResult> {
    if (!this.readOnly) throw new StoreError('read-only', tBoth('store.readOnly', { path: this.location }));
    try {
      // Besides the read-only instance (no writes, no files, no extensions, settings locked), only queries
      // run: a PRAGMA or SET that changes this session (profiling output, say) is refused too.
      const statements = await this.conn.extractStatements(text);
      // Several statements would answer with the last one's rows only: refused, as on ClickHouse.
      if (statements.count > 1) throw new StoreError('usage', tBoth('store.sqlOneStatement'));
      let last: SqlResult = { columns: [], rows: [] };
      for (let i = 0; i < statements.count; i++) {
        const prepared = await statements.prepare(i);
        if (prepared.statementType !== StatementType.SELECT)
          throw new StoreError('usage', tBoth('store.sqlNotQuery'));
        const reader = await prepared.runAndReadAll();
        last = { columns: reader.columnNames(), rows: reader.getRowsJson() as unknown[][] };
      }
      return last;
    } catch (e) {
      if (e instanceof StoreError) throw e;
      throw new StoreError('usage', tBoth('store.sqlFailed', { error: firstLine((e as Error).message) }));
    }
  }

  /**
   * Another connection on this store's instance, for a module that reads with its own SQL (the serve
   * console); on a read-only store it has the same limits (no writes, files, network or extensions).
   */
  async connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  /** Schedule a run of the pending summaries after the runs before it. */
  private deferSummaries(): void {
    this.summariesInFlight++;
    this.summarizing = this.summarizing
      .then(() => this.writePendingSummaries())
      .catch((e: unknown) => {
        this.summaryError ??= storeFault(e, this.location);
        // The parts stay pending: the next write looks for them again (a process that runs for months, a
        // `watch --store`, would otherwise leave them until it restarts).
        this.pendingChecked = false;
      })
      .finally(() => {
        this.summariesInFlight--;
      });
  }

  /** The pending parts' events counted into the summaries, in one transaction on a connection of their own. */
  private async writePendingSummaries(): Promise<void> {
    this.summaryConn ??= await this.instance.connect();
    const conn = this.summaryConn;
    await conn.run('BEGIN');
    try {
      // The parts committed before this transaction began; those committed later are the next run's.
      const parts = (await rows(conn, 'SELECT file_id, from_line, to_line FROM summary_pending')).map(
        (r) => [Number(r[0]), Number(r[1]), Number(r[2])] as [number, number, number],
      );
      await addSummaries(conn, parts, this.sourcesRecentRows, this.addressDaysRecentRows);
      await conn.run('DELETE FROM summary_pending');
      await conn.run('COMMIT');
    } catch (e) {
      await conn.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  private throwSummaryError(): void {
    const e = this.summaryError;
    if (e === undefined) return;
    this.summaryError = undefined;
    throw e;
  }

  async memoryBytes(): Promise<number> {
    const [r] = await this.rows('SELECT coalesce(sum(memory_usage_bytes), 0)::DOUBLE FROM duckdb_memory()');
    return Number(r![0]);
  }

  async pendingSummaries(): Promise<number> {
    const [r] = await this.rows('SELECT count(*)::DOUBLE FROM summary_pending');
    return Number(r![0]);
  }

  /** Summaries a run before this one left pending (it stopped between a part's commit and its summaries'). */
  private async checkPending(): Promise<void> {
    if (this.pendingChecked || this.readOnly) return;
    this.pendingChecked = true;
    if ((await this.pendingSummaries()) > 0) this.deferSummaries();
  }

  /** Wait for the deferred summaries; throws what failed in them (the parts stay pending for the next write). */
  async settle(): Promise<void> {
    // An ingest that wrote nothing (nothing new) still counts what a stopped run left.
    await this.checkPending();
    await this.summarizing;
    this.throwSummaryError();
  }

  async close(): Promise<void> {
    await this.summarizing;
    try {
      this.summaryConn?.closeSync();
      this.conn.closeSync();
    } finally {
      try {
        this.instance.closeSync();
      } finally {
        this.afterClose?.();
        this.afterClose = undefined;
      }
    }
  }
}

/**
 * Count a part's events (input `inputId` from line `fromLine` on, to `toLine` when given) into the per-day address
 * summaries and the per-source table. One statement groups the part's events by day and source for both the
 * per-day and the per-source rows. A summary's rows are merged straight into it when there are at least
 * `daysMergeAt` of them (a bulk ingest's part: `mergeDayRows`), else appended to its recent table, to be merged
 * once enough wait there (`mergeRecentDays`; a `watch --store` commits every few seconds). The per-source rows
 * are merged straight into `sources` when `mergeAt` is given and there are at least that many (summed per source
 * first when the part spans days, or holds untimed events beside timed ones); else they are appended to
 * `sources_recent`. Returns whether they were merged.
 */
async function addPartToSummaries(
  conn: DuckDBConnection,
  inputId: number,
  fromLine: number,
  toLine: number | undefined,
  mergeAt: number | undefined,
  daysMergeAt: number,
): Promise<boolean> {
  const where = toLine === undefined ? 'file_id = ? AND line >= ?' : 'file_id = ? AND line BETWEEN ? AND ?';
  const params = toLine === undefined ? [inputId, fromLine] : [inputId, fromLine, toLine];
  const keys = (t: string) => `${dayKey(`${t}.`)} AS kd, ${sourceKey(`${t}.`)} AS ka`;
  // The groups carry the two integer keys the merges join and sort on.
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE part_src AS SELECT g.*, ${keys('g')} FROM (
      SELECT floor(ts / 86400000)::BIGINT AS day, src_v4 AS v4, src_text_sid AS text_sid, count(*) AS events,
      count(ts) AS timed, min(ts) AS first_ts FROM events
      WHERE (src_v4 IS NOT NULL OR src_text_sid IS NOT NULL) AND ${where} GROUP BY ALL) g ORDER BY kd, ka`,
    params,
  );
  let merged = false;
  for (const { table, side, recent } of ADDRESS_DAY_TABLES) {
    let part = 'part_src';
    if (side === 'dst') {
      part = 'part_rows';
      await conn.run(
        `CREATE OR REPLACE TEMP TABLE part_rows AS SELECT p.*, ${keys('p')}
          FROM (${addressDaysSelect(side, where)}) p (day, v4, text_sid, events)`,
        params,
      );
    }
    const span = await partDays(conn, part);
    if (span.rows >= daysMergeAt) await mergeDayRows(conn, table, part, span, side === 'src');
    else if (span.rows > 0)
      // Appended as they are: no row of the summary is read or rewritten.
      await conn.run(`INSERT INTO ${recent} SELECT day, v4, text_sid, events FROM ${part}`);
    if (side === 'src') {
      const oneDay = span.lo === undefined || (span.lo === span.hi && span.untimed === 0);
      // The per-source rows: merged now (summed per source first when the part spans days), or left to wait;
      // the groups dropped before the next temporary tables.
      if (mergeAt !== undefined && span.rows >= mergeAt) {
        await mergeSources(conn, 'part_src', oneDay);
        merged = true;
      } else {
        await conn.run(
          'INSERT INTO sources_recent SELECT v4, text_sid, events, timed, first_ts FROM part_src',
        );
      }
      await conn.run('DROP TABLE part_src');
    }
  }
  await conn.run('DROP TABLE IF EXISTS part_rows');
  return merged;
}

/** The days of a part's per-day rows (`part`: day ...): first and last (none when all are untimed), untimed rows, rows. */
interface PartDays {
  lo: number | undefined;
  hi: number | undefined;
  untimed: number;
  rows: number;
}

async function partDays(conn: DuckDBConnection, part: string): Promise<PartDays> {
  const [r] = await rows(
    conn,
    `SELECT min(day)::DOUBLE, max(day)::DOUBLE, count(*) - count(day), count(*)::DOUBLE FROM ${part}`,
  );
  return {
    lo: r![0] === null ? undefined : Number(r![0]),
    hi: r![1] === null ? undefined : Number(r![1]),
    untimed: Number(r![2]),
    rows: Number(r![3]),
  };
}

/**
 * Merge per-day rows (`part`: day, v4, text_sid, events and their keys kd, ka; one row per day and address) into
 * the summary `table`, added to the rows of the same day and address: one row per day and address stays in the
 * summary (the top lists' bound relies on it, src/store/address-days.ts), whatever the number of parts. Only the
 * part's own (day, address) rows are read and rewritten: the table is read on the part's days only (a `watch
 * --store` writes today, so a merge reads today's rows, not the history's). `sorted`: `part` is in (kd, ka)
 * order already.
 */
async function mergeDayRows(
  conn: DuckDBConnection,
  table: string,
  part: string,
  span: PartDays,
  sorted: boolean,
): Promise<void> {
  // The part's days, as a condition on the table that DuckDB answers from each row group's min and max of
  // `day` (rows are appended in the order of the parts, so a day's rows sit in the row groups written then).
  const days: string[] = [];
  if (span.lo !== undefined) days.push(`day BETWEEN ${span.lo} AND ${span.hi}`);
  if (span.untimed > 0) days.push('day IS NULL');
  if (days.length === 0) return;
  const onDays = days.join(' OR ');
  // The table is read once: the rows the part adds to are found by one join and removed by their row ids, and
  // the part's rows inserted merged with them (two joins against the whole table, the first way, took 1-1.8 s
  // per million events once the store held a few million).
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE part_hits AS SELECT t.rid, p.kd, p.ka, t.events
      FROM (SELECT rowid AS rid, day, v4, text_sid, events FROM ${table} WHERE ${onDays}) t
      JOIN ${part} p ON ${dayKey('t.')} = p.kd AND ${sourceKey('t.')} = p.ka`,
  );
  await conn.run(`DELETE FROM ${table} WHERE (${onDays}) AND rowid IN (SELECT rid FROM part_hits)`);
  // In address order: neighbouring addresses bit-pack into a few bits each, where the hash order of the
  // GROUP BY leaves 32 random bits per row (half the table's bytes on a log of mostly new sources). The
  // source groups are sorted once as they are made, and both their inserts (here and into `sources`) keep
  // that order as the join streams them (order only helps compression: no answer depends on it); 10 M
  // events: `sources` 44.8 -> 35.9 MB, `source_days` the same, the ingest no slower.
  await conn.run(
    `INSERT INTO ${table} SELECT p.day, p.v4, p.text_sid, (p.events + coalesce(h.events, 0))::UBIGINT
      FROM ${part} p LEFT JOIN part_hits h ON h.kd = p.kd AND h.ka = p.ka${sorted ? '' : ' ORDER BY p.kd, p.ka'}`,
  );
  await conn.run('DROP TABLE part_hits');
}

/**
 * Merge each per-day summary's recent rows into it once at least `atRows` wait (migration 9), and empty them (a
 * day and address may have several rows there: they are summed first). `atRows` 0: whatever waits.
 */
async function mergeRecentDays(conn: DuckDBConnection, atRows: number): Promise<void> {
  for (const { table, recent } of ADDRESS_DAY_TABLES) {
    const [n] = await rows(conn, `SELECT count(*)::DOUBLE FROM ${recent}`);
    const waiting = Number(n![0]);
    if (waiting === 0 || waiting < atRows) continue;
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE part_rows AS SELECT day, v4, text_sid, sum(events)::UBIGINT AS events,
        ${dayKey()} AS kd, ${sourceKey()} AS ka FROM ${recent} GROUP BY day, v4, text_sid ORDER BY kd, ka`,
    );
    await mergeDayRows(conn, table, 'part_rows', await partDays(conn, 'part_rows'), true);
    await conn.run('DROP TABLE part_rows');
    await conn.run(`DELETE FROM ${recent}`);
  }
}

/**
 * Count parts (input, first line, last line or undefined: to the end) into the summaries. A part's per-source rows
 * go straight into `sources` when they alone reach the merge bound, are one per source and none wait (a bulk
 * ingest); else into `sources_recent`, merged once that holds `recentRows`. Its per-day rows go straight into
 * the summaries when they alone reach `daysRecentRows`; else into the recent tables, merged once one holds that
 * many.
 */
async function addSummaries(
  conn: DuckDBConnection,
  parts: [number, number, number | undefined][],
  recentRows: number,
  daysRecentRows: number,
): Promise<void> {
  if (parts.length === 0) return;
  const [w] = await rows(conn, 'SELECT count(*)::DOUBLE FROM sources_recent');
  // Part after part: each one merges straight while none wait (the parts of a bulk ingest whose summaries were
  // deferred together, each one per source); once one waits, the rest wait with it.
  let waiting = Number(w![0]) > 0;
  for (const [inputId, fromLine, toLine] of parts)
    if (
      !(await addPartToSummaries(
        conn,
        inputId,
        fromLine,
        toLine,
        waiting ? undefined : recentRows,
        daysRecentRows,
      ))
    )
      waiting = true;
  if (waiting) await mergeRecentSources(conn, recentRows);
  await mergeRecentDays(conn, daysRecentRows);
}

/**
 * Merge `sources_recent` into `sources` once it holds at least `atRows` rows (migration 6), and empty it (a
 * source may have several rows there: they are summed).
 */
async function mergeRecentSources(conn: DuckDBConnection, atRows: number): Promise<void> {
  const [n] = await rows(conn, 'SELECT count(*)::DOUBLE FROM sources_recent');
  const waiting = Number(n![0]);
  if (waiting === 0 || waiting < atRows) return;
  await mergeSources(conn, 'sources_recent', false);
  await conn.run('DELETE FROM sources_recent');
}

/**
 * Merge the per-source rows of `from` (v4, text_sid, events, timed, first_ts) into `sources`: each source's rows
 * summed (unless `unique`: one row per source already, and `from` has their key `ka`), added to its row in
 * `sources` (found by one join against the whole table, the cost that waiting in `sources_recent` spreads over
 * many writes).
 */
async function mergeSources(conn: DuckDBConnection, from: string, unique: boolean): Promise<void> {
  let part = from;
  if (!unique) {
    part = 'part_rows';
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE part_rows AS SELECT v4, text_sid, sum(events)::UBIGINT AS events,
        sum(timed)::UBIGINT AS timed, min(first_ts) AS first_ts, ${sourceKey()} AS ka FROM ${from} GROUP BY v4, text_sid`,
    );
  }
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE part_hits AS SELECT t.rowid AS rid, p.ka, t.events, t.timed, t.first_ts
      FROM sources t JOIN ${part} p ON ${sourceKey('t.')} = p.ka`,
  );
  await conn.run('DELETE FROM sources WHERE rowid IN (SELECT rid FROM part_hits)');
  await conn.run(
    `INSERT INTO sources SELECT p.v4, p.text_sid, (p.events + coalesce(t.events, 0))::UBIGINT,
      (p.timed + coalesce(t.timed, 0))::UBIGINT,
      CASE WHEN t.first_ts IS NULL THEN p.first_ts WHEN p.first_ts IS NULL THEN t.first_ts
        ELSE least(p.first_ts, t.first_ts) END
      FROM ${part} p LEFT JOIN part_hits t ON t.ka = p.ka`,
  );
  await conn.run('DROP TABLE part_hits');
  if (!unique) await conn.run('DROP TABLE part_rows');
}

async function rows(conn: DuckDBConnection, sql: string): Promise<DuckDBValue[][]> {
  return (await conn.runAndReadAll(sql)).getRows();
}

/** The columns of `events` that `rowEvent` reads, in its order (for every read of whole events). */
export const EVENT_READ_COLUMNS = `ts::DOUBLE, file_id, line, format_sid, action::VARCHAR, direction::VARCHAR,
  transport_sid, iana_number, ip_version, src_v4, src_text_sid, dst_v4, dst_text_sid, src_port, dst_port,
  src_mac_sid, dst_mac_sid, in_if_sid, out_if_sid, rule_sid, prefix_sid, host_sid, product_sid, length, ttl,
  ip_id, tos, traffic_class, flow_label, df, mf, frag_offset, tcp_flags, tcp_seq, tcp_ack, tcp_window,
  icmp_type, icmp_code, icmp_id, icmp_seq, extra, alarm_sid, ${TRAFFIC_COUNT_COLUMNS.join(', ')}`;

/** Build an FwEvent from one row of `SELECT ${EVENT_READ_COLUMNS}` (string ids resolved by `text`). */
export function rowEvent(
  row: DuckDBValue[],
  paths: Map<number, string>,
  text: (sid: DuckDBValue) => string | undefined,
): FwEvent {
  const ev: FwEvent = {
    format: text(row[3]!) ?? '?',
    action: row[4] as FwEvent['action'],
    direction: row[5] as FwEvent['direction'],
  };
  const num = (i: number) => (row[i] === null ? undefined : Number(row[i]));
  const str = (i: number) => text(row[i]!);
  const addr = (i: number) => (row[i] === null ? str(i + 1) : intToIpv4(Number(row[i])));
  const set = <K extends keyof FwEvent>(k: K, v: FwEvent[K] | undefined) => {
    if (v !== undefined) ev[k] = v;
  };
  set('timestamp', num(0));
  set('transport', str(6));
  set('ianaNumber', num(7));
  const ipv = num(8);
  if (ipv === 4 || ipv === 6) ev.ipVersion = ipv;
  set('sourceIp', addr(9));
  set('destinationIp', addr(11));
  set('sourcePort', num(13));
  set('destinationPort', num(14));
  set('sourceMac', str(15));
  set('destinationMac', str(16));
  set('inInterface', str(17));
  set('outInterface', str(18));
  set('ruleName', str(19));
  set('prefix', str(20));
  set('observerHost', str(21));
  set('observerProduct', str(22));
  set('length', num(23));
  set('ttl', num(24));
  set('ipId', num(25));
  set('tos', num(26));
  set('trafficClass', num(27));
  set('flowLabel', num(28));
  if (row[29] !== null) ev.dontFragment = row[29] === true;
  if (row[30] !== null) ev.moreFragments = row[30] === true;
  set('fragmentOffset', num(31));
  const m = num(32);
  if (m !== undefined) ev.tcpFlags = FLAG_BITS.filter((_, i) => (m & (1 << i)) !== 0) as TcpFlag[];
  set('tcpSeq', num(33));
  set('tcpAck', num(34));
  set('tcpWindow', num(35));
  set('icmpType', num(36));
  set('icmpCode', num(37));
  set('icmpId', num(38));
  set('icmpSeq', num(39));
  if (row[40] !== null) Object.assign(ev, JSON.parse(String(row[40])));
  set('alarmName', str(41));
  TRAFFIC_COUNT_KEYS.forEach((key, k) => {
    set(key, num(42 + k));
  });
  const path = paths.get(Number(row[1]));
  if (path !== undefined) ev.file = path;
  ev.line = Number(row[2]);
  return ev;
}
