// The store interface every backend (embedded DuckDB today, ClickHouse later) implements, and its data shapes.
import type { EventBatch } from '../core/batch.js';
import type { Finding } from '../detect/index.js';
import type { FwEvent } from '../event.js';
import type { Message } from '../i18n.js';
import type { InputStats } from '../ingest/pipeline.js';
import { MAX_KEPT_LINE_CHARS } from '../util/strings.js';

/** IPv4 address ranges with a country: sorted, disjoint, [lo[i], hi[i]] inclusive, as numbers. */
export interface CountryRanges {
  lo: ArrayLike<number>;
  hi: ArrayLike<number>;
  country: readonly string[];
  /**
   * The same by /16 block (address >> 16): the blocks wholly inside one range (with its country), and the
   * blocks some range only partly covers; a block in neither has no country. Most of the address space is in
   * whole blocks, so most sources need a block's country, not a range search.
   */
  blocks: { whole: ArrayLike<number>; wholeCountry: readonly string[]; mixed: ArrayLike<number> };
}

/** Schema version this build writes and reads; a store with a higher one is refused, a lower one migrated. */
export const SCHEMA_VERSION = 9;

/** Longest unparsed line text kept in the store, in characters (the rest is cut and marked with …). */
export const UNPARSED_TEXT_CHARS = 2048;

/** Longest evidence line text kept with a finding, in characters: as long as detection keeps a line. */
export const EVIDENCE_TEXT_CHARS = MAX_KEPT_LINE_CHARS;

/** Why a store could not be used; `kind` picks the sentence and the exit code. */
export type StoreFault =
  | 'locked'
  | 'corrupt'
  | 'newer-schema'
  | 'older-schema'
  | 'disk-full'
  | 'read-only'
  | 'missing'
  | 'usage'
  | 'other'
  /** A server-backed store that cannot be reached. */
  | 'unreachable';

/** A store failure with one clear sentence for the user, in English (`message`) and both languages (`text`). */
export class StoreError extends Error {
  constructor(
    readonly kind: StoreFault,
    readonly text: Message,
  ) {
    super(text.en);
  }
}

/** What makes a file the same file across renames and rotation: its inode and its first bytes. */
export interface FileIdentity {
  dev: number;
  ino: number;
  /** Hex SHA-256 of the first `fingerprintBytes` bytes. */
  fingerprint: string;
  fingerprintBytes: number;
}

/** One input as the store remembers it: identity, how far it was read, and its line accounting. */
export interface StoredInput extends FileIdentity {
  /** Store-wide id; events, problems and evidence refer to it. */
  id: number;
  path: string;
  /** Size of the file when last read. */
  size: number;
  /** Byte offset read up to (always just after a line end, or the whole file for .gz and stdin). */
  offset: number;
  /** Lines read so far (line numbers of the next part continue from here). */
  lines: number;
  events: number;
  unparsed: number;
  firstTime?: number;
  lastTime?: number;
  /** The pipeline's accounting summed over every part read (formats, malformed, non-traffic ...). */
  stats: InputStats;
}

/**
 * Inputs in the order their events are read back (`events`): by their first time, so a newer file ingested before
 * an older one (`kern.log*` lists kern.log first) does not run detection backwards; inputs without a time last;
 * ties by id (the order they were first read).
 */
export function readingOrder(inputs: StoredInput[]): StoredInput[] {
  return [...inputs].sort(
    (a, b) =>
      (a.firstTime ?? Number.POSITIVE_INFINITY) - (b.firstTime ?? Number.POSITIVE_INFINITY) || a.id - b.id,
  );
}

/** How long the ranked lists of a preset answer are. */
export interface PresetOptions {
  /** Rows per ranked list (ports, targets, sources); 10 by default. */
  limit?: number;
}

/** Rows per ranked list of a preset answer unless asked otherwise. */
export const DEFAULT_RANK_ROWS = 10;

/** A preset's row limit as a whole number of at least 1 (written into SQL as a literal). */
export function rankRows(opts?: PresetOptions): number {
  const n = Math.floor(opts?.limit ?? DEFAULT_RANK_ROWS);
  return Number.isSafeInteger(n) && n >= 1 ? n : DEFAULT_RANK_ROWS;
}

/** A line that gave no event, kept with where it was. */
export interface StoredProblem {
  inputId: number;
  line: number;
  kind: 'malformed' | 'unrecognized';
  reason: string;
  text: string;
}

/** A finding as stored: the engine's finding, with evidence pointing at (input id, line). */
export interface StoredFinding {
  finding: Finding;
  /** Input id of each evidence line, in the order of `finding.evidence` (undefined when the path is not stored). */
  evidenceInputs: (number | undefined)[];
}

/**
 * One transaction of an ingest: events, problems, findings and the input's new state go in together or not
 * at all, so a failure leaves no half-written part and the next run reads the same part again.
 */
export interface StoreWriter {
  /** Append every row of `batch` (all from input `inputId`). */
  appendEvents(batch: EventBatch, inputId: number): Promise<void>;
  appendProblems(problems: StoredProblem[]): Promise<void>;
  appendFindings(findings: StoredFinding[]): Promise<void>;
  /** Write the input's new state (insert or replace) and commit everything. */
  commit(input: StoredInput): Promise<void>;
  /** Forget everything written since the writer began. */
  rollback(): Promise<void>;
}

/** Optional time window of a read (epoch ms, inclusive since, exclusive until). */
export interface TimeWindow {
  since?: number;
  until?: number;
}

/** A (key, count) row of a ranking. */
export interface Ranked {
  key: string;
  count: number;
}

/** What `query ip` answers. */
export interface IpSummary {
  ip: string;
  events: number;
  firstSeen?: number;
  lastSeen?: number;
  perDay: Ranked[];
  ports: Ranked[];
  targets: Ranked[];
  /** Most common destination port with its transport (for the explanation). */
  topPort?: { port: number; transport?: string };
  findings: Finding[];
}

/** What `query port` answers. */
export interface PortSummary {
  port: number;
  events: number;
  firstSeen?: number;
  lastSeen?: number;
  perDay: Ranked[];
  sources: Ranked[];
  targets: Ranked[];
  transports: Ranked[];
}

/** Keys `query top` ranks by in the store (`country` is ranked from `sourceCounts`, src/store/country.ts). */
export type TopKey = 'src' | 'port' | 'rule' | 'alarm';

/**
 * A batch of source addresses with their event counts, as columns: IPv4 sources as numbers (`v4`), or
 * IPv6 ones as canonical text (`ip`); `count[i]` belongs to the i-th address.
 */
export type SourceCounts = { count: Float64Array } & (
  | { v4: Float64Array }
  | { ip: string[] }
  /** IPv6 sources in global unicast (2000::/3) as numbers: four 32-bit words each, most significant first. */
  | { v6: Uint32Array }
);

/** Rows and column names of a raw read-only SQL query. */
export interface SqlResult {
  columns: string[];
  rows: unknown[][];
}

/** What retention removed. */
export interface PruneResult {
  events: number;
  findings: number;
  /**
   * Unparsed lines that went with them: those of an input at or before the last line of its that went (their
   * own time is unknown, the events around them tell it).
   */
  unparsed: number;
  /** Texts of the string table no row held any more (DuckDB: addresses, interfaces, rules of the days that went). */
  strings?: number;
  /** The cut-off used (epoch ms). */
  before: number;
}

/** What a size bound on the store removed: whole days, the oldest first, never the newest. */
export interface SizePruneResult {
  events: number;
  findings: number;
  /** Unparsed lines that went with those days (see PruneResult.unparsed). */
  unparsed: number;
  /** The new cut-off (epoch ms, the start of the oldest day kept), when anything went. */
  before?: number;
  /** Bytes the store's data took before and after (DuckDB: blocks in use, not the file's size). */
  bytesBefore: number;
  bytesAfter: number;
}

/**
 * A store of events, findings, inputs and unparsed lines. Backends pass the same contract suite
 * (src/store/contract.ts).
 */
export interface Store {
  /** Backend name: `duckdb`, later `clickhouse`. */
  readonly kind: string;
  /** Where the store lives (file path or URL). */
  readonly location: string;
  /**
   * Wait for what its writes left to finish in the background (the embedded store's deferred summaries), and
   * throw what failed there; absent: nothing is left.
   */
  settle?(): Promise<void>;
  /**
   * Parts whose summaries a stopped write left unwritten (the embedded store's `summary_pending`): the answers
   * read from the summaries (top lists, new sources, countries) leave their events out until the next write.
   */
  pendingSummaries?(): Promise<number>;
  schemaVersion(): Promise<number>;
  /**
   * Bytes the engine says it holds now (DuckDB: the sum of `duckdb_memory()`); absent where the engine runs
   * elsewhere (ClickHouse).
   */
  memoryBytes?(): Promise<number>;
  /** Every input, by id. */
  inputs(): Promise<StoredInput[]>;
  /**
   * The inputs an ingest on this machine may continue (recognised by inode and first bytes). A store shared
   * by many machines answers with the ones this machine wrote (inode numbers repeat across machines); absent:
   * every input.
   */
  ownInputs?(): Promise<StoredInput[]>;
  /** Next unused input id. */
  nextInputId(): Promise<number>;
  /**
   * Start one all-or-nothing write. `hint.bytes`: about how much log it will hold, when known (a small write
   * need not read a whole table of names first).
   */
  begin(hint?: { bytes?: number }): Promise<StoreWriter>;
  /** Delete events and findings older than `before` (epoch ms), never the newest day's; returns what went. */
  prune(before: number): Promise<PruneResult>;
  /**
   * Drop whole days of events and findings, the oldest first, until the data takes at most `maxBytes`;
   * never the newest day.
   */
  pruneToSize(maxBytes: number): Promise<SizePruneResult>;
  /** Events in input order (input id, line), as FwEvent with `file` set to the input's path. */
  events(window?: TimeWindow): AsyncIterable<FwEvent>;
  /** Stored findings overlapping the window. */
  findings(window?: TimeWindow): Promise<Finding[]>;
  /** Stored unparsed lines (of one kind, when given), the first `limit` in input order. */
  problems(limit: number, kind?: StoredProblem['kind']): Promise<StoredProblem[]>;
  eventCount(): Promise<number>;
  /** What one address or network did: `limit` rows per ranked list (10 by default). */
  querySource(ip: string, window?: TimeWindow, opts?: PresetOptions): Promise<IpSummary>;
  /** What reached one destination port (of one transport when given): `limit` rows per ranked list. */
  queryPort(
    port: number,
    window?: TimeWindow,
    opts?: PresetOptions & { transport?: string },
  ): Promise<PortSummary>;
  top(by: TopKey, limit: number, window?: TimeWindow): Promise<Ranked[]>;
  /**
   * Every source of the window once with its event count, streamed in batches (millions of sources: one
   * await per batch, not per source): IPv4 sources first in ascending order, then IPv6 ones.
   */
  sourceCounts(window?: TimeWindow): AsyncIterable<SourceCounts>;
  /**
   * Optional fast way to `query top --by country`: events and distinct sources per country of the IPv4
   * sources of the window, the country ranges (sorted, disjoint, inclusive) joined inside the store so only
   * countries leave it (`country` undefined: in no range). Stores without it are ranked from `sourceCounts`
   * (src/store/country.ts).
   */
  countryCounts?(
    ranges: CountryRanges,
    window?: TimeWindow,
  ): Promise<{ country?: string; events: number; sources: number }[]>;
  /**
   * The IPv6 part of `sourceCounts` on its own (optional; the country ranking asks for it first, so the
   * store works on it while the ranges are being made).
   */
  v6SourceCounts?(window?: TimeWindow): Promise<SourceCounts[]>;
  /**
   * How many distinct IPv4 and IPv6 sources the whole history holds (optional; cheap where the store keeps a
   * per-source table): the country ranking picks its way by it.
   */
  sourceTotal?(): Promise<{ v4: number; v6: number }>;
  /** Sources whose first event falls in the window (never seen before it), with their counts in it. */
  newSources(since: number, limit: number): Promise<(Ranked & { firstSeen: number })[]>;
  /** Run one read-only SQL statement on a separate read-only connection. */
  sql(text: string): Promise<SqlResult>;
  close(): Promise<void>;
}

/**
 * The part of a store a writer that runs for months uses (`watch --store`): a store, or one kept open in a thread
 * of its own (src/store/store-thread-client.ts).
 */
export type WritingStore = Pick<
  Store,
  'inputs' | 'ownInputs' | 'nextInputId' | 'begin' | 'prune' | 'pruneToSize' | 'memoryBytes' | 'close'
>;
