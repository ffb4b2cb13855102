// The ClickHouse store: MergeTree tables by day on one server, or local tables on every shard behind Distributed tables.
import { createHash, randomBytes } from 'node:crypto';
import type { Finding } from '../../detect/index.js';
import type { FwEvent } from '../../event.js';
import { tBoth } from '../../i18n.js';
import type { InputStats } from '../../ingest/pipeline.js';
import {
  EVIDENCE_TEXT_CHARS,
  type IpSummary,
  type PortSummary,
  type PresetOptions,
  type PruneResult,
  type Ranked,
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
} from '../types.js';
import { clickHouseFault, failureReason, Host, isUnreachable } from './connection.js';
import { committedCondition, Presets, windowCondition } from './presets.js';
import {
  appendEventLines,
  EVENT_INSERT_COLUMNS,
  EVENT_READ_COLUMNS,
  eventReadRow,
  partitionDay,
  rowEvent,
} from './rows.js';
import {
  DAY_TABLES,
  localName,
  migrationStatements,
  sourceDaysInsert,
  versionTableStatement,
} from './schema.js';
import { intLiteral, rawSqlRefusal, stringLiteral } from './sql.js';
import type { ClickHouseAddress } from './url.js';

/** Rows of events sent in one INSERT: large inserts make few parts (ClickHouse merges small ones later). */
export const INSERT_ROWS = 100_000;

/** Attempts to claim an input id before giving up (each meets other writers' claims at most once or twice). */
const MAX_ID_CLAIMS = 50;

/** Event lines serialised into one buffer: small enough that the strings die young. */
const CHUNK_ROWS = 1024;

const DAY_MS = 86_400_000;

/**
 * How long (s) a new input's announcement (see `commit`) counts: a run that announced the same file is
 * inserting its input row right after announcing, so an older announcement is of a run that died in between.
 */
const ANNOUNCEMENT_S = 60;

/** The partition of events without a time (and of times before 1970): retention never drops it. */
const UNTIMED_DAY = "'1970-01-01'";

const cap = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);
const num = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));

/** Options of a ClickHouse store. */
export interface ClickHouseStoreOptions {
  readOnly?: boolean;
  /** Events per INSERT (INSERT_ROWS); tests make it small to cut a part into several inserts. */
  insertRows?: number;
  /** Inputs per statement deleting old unparsed lines (PROBLEM_FILES_PER_STATEMENT); tests make it small. */
  problemFilesPerStatement?: number;
}

/** Open (and for writing, create or migrate) the ClickHouse store at `address`. */
export async function openClickHouseStore(
  address: ClickHouseAddress,
  opts: ClickHouseStoreOptions = {},
): Promise<ClickHouseStore> {
  const readOnly = opts.readOnly ?? false;
  const hosts = address.hosts.map(
    (url) =>
      new Host({ url, username: address.username, password: address.password, readOnly }, address.shown),
  );
  const store = new ClickHouseStore(
    address,
    hosts,
    readOnly,
    opts.insertRows ?? INSERT_ROWS,
    opts.problemFilesPerStatement ?? PROBLEM_FILES_PER_STATEMENT,
  );
  try {
    await store.prepare();
    return store;
  } catch (e) {
    await store.close();
    throw clickHouseFault(e, address.shown, readOnly);
  }
}

/** A unique, increasing generation number for one write (ms clock, then 20 random bits). */
let lastGen = 0n;
function newGeneration(): string {
  let gen = (BigInt(Date.now()) << 20n) | BigInt(randomBytes(3).readUIntBE(0, 3) & 0xfffff);
  if (gen <= lastGen) gen = lastGen + 1n;
  lastGen = gen;
  return gen.toString();
}

/** The stored JSON of a finding's evidence: input id (or none) and line, with the text. */
interface StoredEvidence {
  input?: number;
  line?: number;
  text: string;
}

/** The ClickHouse store. */
/** Inputs whose old unparsed lines one statement deletes (~50 bytes of condition each). */
export const PROBLEM_FILES_PER_STATEMENT = 500;

/** Checks (50 ms apart) that a deletion's mutation finished, before it counts as failed. */
const MUTATION_WAIT_TRIES = 600;

/** The sentence for each reason `--sql` text is refused. */
const SQL_REFUSALS = {
  'not-query': 'store.sqlNotQuery',
  several: 'store.sqlOneStatement',
  system: 'store.sqlSystem',
} as const;

export class ClickHouseStore implements Store {
  readonly kind = 'clickhouse';
  readonly location: string;
  private readonly db: string;
  private readonly presets: Presets;
  private busy = false;
  /** Every input id this store object has read (inputs(), ownInputs()): what this run knew of. */
  private readonly seenIds = new Set<number>();

  constructor(
    private readonly address: ClickHouseAddress,
    private readonly hosts: Host[],
    private readonly readOnly: boolean,
    private readonly insertRows: number,
    private readonly problemFilesPerStatement: number,
  ) {
    this.location = address.shown;
    this.db = address.database;
    this.presets = new Presets(this.home, this.db, address.cluster, (where) => this.findingsWhere(where));
  }

  /** The host queries go to (every host has the Distributed tables). */
  private get home(): Host {
    return this.hosts[0]!;
  }

  private t(name: string): string {
    return `${this.db}.${name}`;
  }

  /** Rows of committed writes only: the condition every read of events, problems and findings carries. */
  private get committed(): string {
    return committedCondition(this.db);
  }

  /**
   * For a module that reads with its own SQL (the serve console): the qualified name of a table, the
   * condition that keeps committed rows only, and rows of a query (JSON: 64-bit numbers as text).
   */
  table(name: string): string {
    return this.t(name);
  }
  get committedRows(): string {
    return this.committed;
  }
  readRows<T>(sql: string): Promise<T[]> {
    return this.home.rows<T>(sql);
  }

  /** Check the schema on every host; create or migrate it for writing. */
  async prepare(): Promise<void> {
    const cluster = this.address.cluster;
    for (const host of this.hosts) {
      if (cluster !== undefined) {
        const shards = await host.rows<{ n: string }>(
          `SELECT uniqExact(shard_num) AS n FROM system.clusters WHERE cluster = ${stringLiteral(cluster)}`,
        );
        if (Number(shards[0]?.n ?? 0) !== this.hosts.length)
          throw new StoreError(
            'usage',
            tBoth('store.clickhouse.noCluster', {
              host: host.options.url,
              cluster,
              count: this.hosts.length,
            }),
          );
      }
      const version = await this.hostVersion(host);
      if (version > SCHEMA_VERSION)
        throw new StoreError(
          'newer-schema',
          tBoth('store.newer', { path: this.location, version, known: SCHEMA_VERSION }),
        );
      if (version === SCHEMA_VERSION) continue;
      if (this.readOnly) {
        if (version === 0) throw new StoreError('missing', tBoth('store.missing', { path: this.location }));
        throw new StoreError('older-schema', tBoth('store.older', { path: this.location, version }));
      }
      await host.command(`CREATE DATABASE IF NOT EXISTS ${this.db}`);
      await host.command(versionTableStatement(this.db));
      for (const sql of migrationStatements(this.db, cluster, version, SCHEMA_VERSION))
        await host.command(sql);
      await host.insert(this.t('schema_version'), [{ version: SCHEMA_VERSION, applied_at: nowText() }]);
    }
  }

  /** The schema version one host holds: 0 for no database or an empty one; a foreign database is refused. */
  private async hostVersion(host: Host): Promise<number> {
    const tables = await host.rows<{ name: string }>(
      `SELECT name FROM system.tables WHERE database = ${stringLiteral(this.db)}`,
    );
    if (!tables.some((t) => t.name === 'schema_version')) {
      if (tables.length > 0)
        throw new StoreError('corrupt', tBoth('store.clickhouse.notFwlens', { path: this.location }));
      return 0;
    }
    const r = await host.rows<{ v: string | null }>(
      `SELECT max(version) AS v FROM ${this.t('schema_version')}`,
    );
    return Number(r[0]?.v ?? 0);
  }

  async schemaVersion(): Promise<number> {
    return this.hostVersion(this.home);
  }

  private async readInputs(where: string): Promise<StoredInput[]> {
    const rows = await this.home.rows(
      `SELECT id, path, dev, ino, fingerprint, fingerprint_bytes, size, offset, lines, events, unparsed, first_ts,
        last_ts, stats FROM ${this.t('inputs')} WHERE ${where} ORDER BY id, gen DESC LIMIT 1 BY id`,
    );
    for (const r of rows) this.seenIds.add(Number(r.id));
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
      ...(r.first_ts === null ? {} : { firstTime: Number(r.first_ts) }),
      ...(r.last_ts === null ? {} : { lastTime: Number(r.last_ts) }),
      stats: JSON.parse(String(r.stats)) as InputStats,
    }));
  }

  inputs(): Promise<StoredInput[]> {
    return this.readInputs('1');
  }

  /** The inputs this machine (the address's origin) wrote: the only ones its files can continue. */
  async ownInputs(): Promise<StoredInput[]> {
    const own = new Set(
      (
        await this.home.rows<{ id: number }>(
          `SELECT DISTINCT id FROM ${this.t('inputs')} WHERE origin = ${stringLiteral(this.address.origin)}`,
        )
      ).map((r) => Number(r.id)),
    );
    return (await this.inputs()).filter((i) => own.has(i.id));
  }

  /**
   * The next input id, claimed: several machines may ingest at once, so an id is taken by inserting a claim
   * and is this writer's only when its claim is the only one for that id when it looks (a later claimant sees
   * the earlier one and moves on; two that both see each other both move on).
   */
  async nextInputId(): Promise<number> {
    for (let attempt = 0; attempt < MAX_ID_CLAIMS; attempt++) {
      const r = await this.home.rows<{ top: string }>(
        `SELECT greatest((SELECT max(id) FROM ${this.t('inputs')}), (SELECT max(id) FROM ${this.t('input_ids')})) AS top`,
      );
      const id = Number(r[0]?.top ?? 0) + 1;
      const token = BigInt(`0x${randomBytes(8).toString('hex')}`).toString();
      await this.home.insert(this.t('input_ids'), [{ id, token, claimed_at: nowText() }]);
      const claims = await this.home.rows<{ n: string }>(
        `SELECT count() AS n FROM ${this.t('input_ids')} WHERE id = ${intLiteral(id)}`,
      );
      if (Number(claims[0]?.n) === 1) return id;
      await new Promise((res) => setTimeout(res, 5 + Math.random() * 20 * (attempt + 1)));
    }
    throw new StoreError(
      'other',
      tBoth('store.clickhouse.failed', {
        path: this.location,
        error: `no input id could be claimed in ${MAX_ID_CLAIMS} attempts`,
      }),
    );
  }

  async begin(): Promise<StoreWriter> {
    if (this.readOnly) throw new StoreError('read-only', tBoth('store.readOnly', { path: this.location }));
    if (this.busy) throw new Error('one store writer at a time');
    this.busy = true;
    const gen = newGeneration();
    // Events as TabSeparated text, in chunks of up to CHUNK_ROWS lines (short-lived strings, off-heap buffers).
    let pending: Buffer[] = [];
    let pendingRows = 0;
    let seq = 0;
    // The partition days this write's events fall in (its summaries are made from those partitions only).
    let minTs = Number.POSITIVE_INFINITY;
    let maxTs = Number.NEGATIVE_INFINITY;
    let untimed = false;
    let problems: Record<string, unknown>[] = [];
    let findings: Record<string, unknown>[] = [];
    let done = false;
    const finish = () => {
      done = true;
      this.busy = false;
      pending = [];
      pendingRows = 0;
      problems = [];
      findings = [];
    };
    // Rows already sent stay in the tables, but under a generation no input row names: no reader sees them.
    const rollback = async () => {
      if (!done) finish();
    };
    const guard = async <T>(work: () => Promise<T>): Promise<T> => {
      try {
        return await work();
      } catch (e) {
        await rollback();
        throw clickHouseFault(e, this.location);
      }
    };
    const flush = async () => {
      const chunks = pending;
      pending = [];
      pendingRows = 0;
      await this.home.insertLines(this.t('events'), EVENT_INSERT_COLUMNS, chunks);
    };
    return {
      appendEvents: (batch, inputId) =>
        guard(async () => {
          for (let r = 0; r < batch.length; r++) {
            const t = batch.time[r]!;
            if (Number.isNaN(t)) untimed = true;
            else {
              if (t < minTs) minTs = t;
              if (t > maxTs) maxTs = t;
            }
          }
          for (let from = 0; from < batch.length; ) {
            const to = Math.min(batch.length, from + CHUNK_ROWS, from + this.insertRows - pendingRows);
            const lines: string[] = [];
            seq = appendEventLines(lines, batch, from, to, inputId, gen, seq);
            pending.push(Buffer.from(lines.join('')));
            pendingRows += to - from;
            from = to;
            if (pendingRows >= this.insertRows) await flush();
          }
        }),
      appendProblems: (list) =>
        guard(async () => {
          for (const p of list)
            problems.push({
              gen,
              file_id: p.inputId,
              line: p.line,
              kind: p.kind,
              reason: cap(p.reason, UNPARSED_TEXT_CHARS),
              text: cap(p.text, UNPARSED_TEXT_CHARS),
            });
        }),
      appendFindings: (list) =>
        guard(async () => {
          for (const { finding: f, evidenceInputs } of list) {
            const evidence: StoredEvidence[] = f.evidence.map((e, i) => ({
              ...(evidenceInputs[i] === undefined ? {} : { input: evidenceInputs[i] }),
              ...(e.line === undefined ? {} : { line: e.line }),
              text: cap(e.text, EVIDENCE_TEXT_CHARS),
            }));
            findings.push({
              gen,
              ord: findings.length,
              day: partitionDay(f.lastSeen),
              first_ts: f.firstSeen ?? null,
              last_ts: f.lastSeen ?? null,
              detector: f.detector,
              severity: f.severity,
              sources: f.sources,
              body: JSON.stringify({ ...f, evidence }),
            });
          }
        }),
      commit: (input) =>
        guard(async () => {
          if (pendingRows > 0) await flush();
          await this.home.insert(this.t('problems'), problems);
          await this.home.insert(this.t('findings'), findings);
          // The per-day source summaries of this write: each shard summarises its own rows of it.
          if (seq > 0) {
            const first = untimed || minTs > maxTs ? undefined : Math.round(minTs);
            const last = minTs > maxTs ? undefined : Math.round(maxTs);
            const days = `day >= ${stringLiteral(partitionDay(first))} AND day <= ${stringLiteral(partitionDay(last))}`;
            for (const host of this.hosts)
              await host.command(
                sourceDaysInsert(
                  this.db,
                  this.address.cluster,
                  `gen = ${intLiteral(BigInt(gen))} AND ${days}`,
                ),
              );
          }
          // Another run may have written this input meanwhile (an ingest still running when the next timer
          // run starts): its committed count plus this write's events must be the count this write commits.
          const [latest] = await this.home.rows<{ events: string }>(
            `SELECT events FROM ${this.t('inputs')} WHERE id = ${intLiteral(input.id)} ORDER BY gen DESC LIMIT 1`,
          );
          if (Number(latest?.events ?? 0) + seq !== input.events)
            throw new StoreError(
              'locked',
              tBoth('store.clickhouse.concurrent', { path: input.path, store: this.location }),
            );
          // A new file: another run may have read it as new too (two runs started at once). The one that
          // announces second, or finds the other's row, counts nothing.
          if (latest === undefined && input.fingerprintBytes > 0) await this.claimNewFile(input);
          // The input's row is written last: it is the commit (one row, one insert, all or nothing).
          await this.home.insert(this.t('inputs'), [
            {
              gen,
              origin: this.address.origin,
              id: input.id,
              path: input.path,
              dev: String(input.dev),
              ino: String(input.ino),
              fingerprint: input.fingerprint,
              fingerprint_bytes: input.fingerprintBytes,
              size: String(input.size),
              offset: String(input.offset),
              lines: String(input.lines),
              events: String(input.events),
              unparsed: String(input.unparsed),
              first_ts: input.firstTime ?? null,
              last_ts: input.lastTime ?? null,
              stats: JSON.stringify(input.stats),
              written_at: nowText(),
            },
          ]);
          finish();
        }),
      rollback,
    };
  }

  /**
   * Before the first commit of a new input: announce this run's input id for the file (an `input_ids` row
   * whose token is the file's identity), then look for another run's input of the same file this run did not
   * know of: committed since this run read the inputs, or announced within ANNOUNCEMENT_S. Of two runs, the
   * one announcing second sees the first; two that see each other both give up: at most one commits.
   */
  private async claimNewFile(input: StoredInput): Promise<void> {
    const origin = this.address.origin;
    const token = BigInt(
      `0x${createHash('sha256')
        .update(`${origin}\0${input.dev}\0${input.ino}\0${input.fingerprintBytes}\0${input.fingerprint}`)
        .digest('hex')
        .slice(0, 16)}`,
    ).toString();
    await this.home.insert(this.t('input_ids'), [{ id: input.id, token, claimed_at: nowText() }]);
    const since = new Date(Date.now() - ANNOUNCEMENT_S * 1000).toISOString().slice(0, 19).replace('T', ' ');
    const others = await this.home.rows<{ id: string }>(
      `SELECT DISTINCT id FROM ${this.t('inputs')} WHERE origin = ${stringLiteral(origin)}
        AND dev = ${intLiteral(input.dev)} AND ino = ${intLiteral(input.ino)}
        AND fingerprint = ${stringLiteral(input.fingerprint)} AND id != ${intLiteral(input.id)}
       UNION ALL
       SELECT DISTINCT id FROM ${this.t('input_ids')} WHERE token = ${token} AND id != ${intLiteral(input.id)}
        AND claimed_at >= toDateTime(${stringLiteral(since)})`,
    );
    if (others.some((r) => !this.seenIds.has(Number(r.id))))
      throw new StoreError(
        'locked',
        tBoth('store.clickhouse.concurrent', { path: input.path, store: this.location }),
      );
  }

  async prune(before: number): Promise<PruneResult> {
    if (this.readOnly) throw new StoreError('read-only', tBoth('store.readOnly', { path: this.location }));
    const head = await this.home.rows<{ newest: string | null }>(
      `SELECT max(ts) AS newest FROM ${this.t('events')} WHERE ${this.committed}`,
    );
    const newest = num(head[0]?.newest);
    if (newest === undefined) return { events: 0, findings: 0, unparsed: 0, before };
    // Whole days go (their partitions are dropped): the cut-off moves back to the start of its day, and never
    // past the start of the newest stored day.
    const cut = Math.floor(Math.min(before, newest) / DAY_MS) * DAY_MS;
    const cutDay = stringLiteral(partitionDay(cut));
    const [ev] = await this.home.rows<{ n: string }>(
      `SELECT count() AS n FROM ${this.t('events')} WHERE ${this.committed} AND day < ${cutDay} AND day > ${UNTIMED_DAY}`,
    );
    const [fi] = await this.home.rows<{ n: string }>(
      `SELECT count() AS n FROM ${this.t('findings')} WHERE ${this.committed} AND day < ${cutDay} AND day > ${UNTIMED_DAY}`,
    );
    // Unparsed lines have no time of their own: those of an input up to its last line that goes, go too.
    const lastLines = await this.home.rows<{ f: string; l: string }>(
      `SELECT file_id AS f, max(line) AS l FROM ${this.t('events')}
        WHERE ${this.committed} AND day < ${cutDay} AND day > ${UNTIMED_DAY} GROUP BY file_id`,
    );
    // In pieces of `problemFilesPerStatement` inputs (PROBLEM_FILES_PER_STATEMENT): a store of thousands of inputs would pass the server's
    // longest statement (max_query_size, 256 KiB by default) in one.
    let unparsed = 0;
    for (let i = 0; i < lastLines.length; i += this.problemFilesPerStatement) {
      const oldProblems = lastLines
        .slice(i, i + this.problemFilesPerStatement)
        .map((r) => `(file_id = ${intLiteral(Number(r.f))} AND line <= ${intLiteral(Number(r.l))})`)
        .join(' OR ');
      const [un] = await this.home.rows<{ n: string }>(
        `SELECT count() AS n FROM ${this.t('problems')} WHERE ${this.committed} AND (${oldProblems})`,
      );
      const n = Number(un?.n ?? 0);
      unparsed += n;
      if (n > 0) await this.deleteWhere('problems', oldProblems);
    }
    for (const host of this.hosts)
      for (const table of DAY_TABLES) {
        const local = localName(table, this.address.cluster);
        const parts = await host.rows<{ id: string }>(
          `SELECT DISTINCT partition_id AS id FROM system.parts WHERE database = ${stringLiteral(this.db)}
            AND table = ${stringLiteral(local)} AND active AND max_date < ${cutDay} AND min_date > ${UNTIMED_DAY}`,
        );
        for (const p of parts)
          await host.command(`ALTER TABLE ${this.t(local)} DROP PARTITION ID ${stringLiteral(p.id)}`);
      }
    return { events: Number(ev?.n ?? 0), findings: Number(fi?.n ?? 0), unparsed, before: cut };
  }

  /**
   * Delete the rows of a table's parts on every host where `where` holds (a mutation), and wait until the
   * mutation is done, so the rows are gone when this returns.
   */
  private async deleteWhere(table: string, where: string): Promise<void> {
    const local = localName(table, this.address.cluster);
    for (const host of this.hosts) {
      await host.command(`ALTER TABLE ${this.t(local)} DELETE WHERE ${where}`);
      for (let tries = 0; ; tries++) {
        const [left] = await host.rows<{ n: string }>(
          `SELECT count() AS n FROM system.mutations WHERE database = ${stringLiteral(this.db)}
            AND table = ${stringLiteral(local)} AND is_done = 0`,
        );
        if (Number(left?.n ?? 0) === 0) break;
        if (tries >= MUTATION_WAIT_TRIES)
          throw new Error(`the deletion of old unparsed lines in ${local} did not finish`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  /** Bytes on disk of the store's active parts on every host, by partition day of events and findings. */
  private async bytesByDay(): Promise<{ total: number; days: Map<string, number> }> {
    const days = new Map<string, number>();
    let total = 0;
    const dayTables = new Set(DAY_TABLES.map((t) => localName(t, this.address.cluster)));
    for (const host of this.hosts) {
      const rows = await host.rows<{ t: string; d: string; b: string }>(
        `SELECT table AS t, toString(max_date) AS d, sum(bytes_on_disk) AS b FROM system.parts
          WHERE database = ${stringLiteral(this.db)} AND active GROUP BY t, d`,
      );
      for (const r of rows) {
        const b = Number(r.b);
        total += b;
        if (dayTables.has(r.t) && r.d > UNTIMED_DAY.slice(1, -1)) days.set(r.d, (days.get(r.d) ?? 0) + b);
      }
    }
    return { total, days };
  }

  async pruneToSize(maxBytes: number): Promise<SizePruneResult> {
    if (this.readOnly) throw new StoreError('read-only', tBoth('store.readOnly', { path: this.location }));
    // Partitions are days and their sizes are known exactly: the oldest days go until the rest fits.
    const { total, days } = await this.bytesByDay();
    const order = [...days.keys()].sort();
    let bytes = total;
    let firstKept = 0;
    while (firstKept < order.length - 1 && bytes > maxBytes) bytes -= days.get(order[firstKept++]!)!;
    if (firstKept === 0)
      return { events: 0, findings: 0, unparsed: 0, bytesBefore: total, bytesAfter: total };
    const r = await this.prune(Date.parse(`${order[firstKept]!}T00:00:00Z`));
    return { ...r, bytesBefore: total, bytesAfter: (await this.bytesByDay()).total };
  }

  async *events(window?: TimeWindow): AsyncIterable<FwEvent> {
    const inputs = await this.inputs();
    const w = windowCondition(window);
    for (const input of readingOrder(inputs)) {
      const lines = this.home.lines(
        `SELECT ${EVENT_READ_COLUMNS.join(', ')} FROM ${this.t('events')}
          WHERE file_id = ${intLiteral(input.id)} AND ${w} AND ${this.committed} ORDER BY line, seq`,
      );
      for await (const line of lines) yield rowEvent(eventReadRow(line), input.path);
    }
  }

  async findings(window?: TimeWindow): Promise<Finding[]> {
    const parts: string[] = [];
    if (window?.since !== undefined)
      parts.push(`(last_ts IS NULL OR last_ts >= ${intLiteral(Math.floor(window.since))})`);
    if (window?.until !== undefined)
      parts.push(`(first_ts IS NULL OR first_ts < ${intLiteral(Math.floor(window.until))})`);
    return this.findingsWhere(parts.length ? parts.join(' AND ') : '1');
  }

  private async findingsWhere(where: string): Promise<Finding[]> {
    const rows = await this.home.rows<{ body: string }>(
      `SELECT body FROM ${this.t('findings')} WHERE ${where} AND ${this.committed} ORDER BY gen, ord`,
    );
    if (rows.length === 0) return [];
    const paths = new Map((await this.inputs()).map((i) => [i.id, i.path]));
    return rows.map((r) => {
      const stored = JSON.parse(r.body) as Omit<Finding, 'evidence'> & { evidence: StoredEvidence[] };
      const evidence = stored.evidence.map((e) => {
        const file = e.input === undefined ? undefined : paths.get(e.input);
        return {
          ...(file === undefined ? {} : { file }),
          ...(e.line === undefined ? {} : { line: e.line }),
          text: e.text,
        };
      });
      return { ...stored, evidence } as Finding;
    });
  }

  async problems(limit: number, kind?: StoredProblem['kind']): Promise<StoredProblem[]> {
    const rows = await this.home.rows(
      `SELECT file_id, line, kind, reason, text FROM ${this.t('problems')}
        WHERE ${kind ? `kind = ${stringLiteral(kind)}` : '1'} AND ${this.committed}
        ORDER BY file_id, line LIMIT ${intLiteral(Math.max(0, Math.floor(limit)))}`,
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
    const r = await this.home.rows<{ n: string }>(
      `SELECT count() AS n FROM ${this.t('events')} WHERE ${this.committed}`,
    );
    return Number(r[0]?.n ?? 0);
  }

  querySource(ip: string, window?: TimeWindow, opts?: PresetOptions): Promise<IpSummary> {
    return this.presets.querySource(ip, window, opts);
  }

  queryPort(
    port: number,
    window?: TimeWindow,
    opts?: PresetOptions & { transport?: string },
  ): Promise<PortSummary> {
    return this.presets.queryPort(port, window, opts);
  }

  top(by: TopKey, limit: number, window?: TimeWindow): Promise<Ranked[]> {
    return this.presets.top(by, limit, window);
  }

  sourceCounts(window?: TimeWindow): AsyncIterable<SourceCounts> {
    return this.presets.sourceCounts(window);
  }

  newSources(since: number, limit: number): Promise<(Ranked & { firstSeen: number })[]> {
    return this.presets.newSources(since, limit);
  }

  async sql(text: string): Promise<SqlResult> {
    if (!this.readOnly) throw new StoreError('read-only', tBoth('store.readOnly', { path: this.location }));
    // Every request of a read-only store carries readonly=1: the server refuses writes, DDL, SET, SETTINGS
    // clauses and table functions (file, url, remote ...); the HTTP interface takes one statement per request.
    // readonly=1 still lets KILL QUERY and SHOW PROCESSLIST through, and system tables show other clients'
    // statements: only one SELECT or WITH query, on other databases than the server's system one, is sent.
    const refusal = rawSqlRefusal(text);
    if (refusal) throw new StoreError('usage', tBoth(SQL_REFUSALS[refusal]));
    try {
      // The store's database is the default one: `SELECT count() FROM events_v` names the store's view.
      return await this.home.compact(text, this.db);
    } catch (e) {
      if (isUnreachable(e)) throw clickHouseFault(e, this.location, true);
      throw new StoreError('usage', tBoth('store.sqlFailed', { error: failureReason(e) }));
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.hosts.map((h) => h.close().catch(() => undefined)));
  }
}

/** Now as a DateTime value ('YYYY-MM-DD hh:mm:ss', UTC). */
function nowText(): string {
  return new Date().toISOString().slice(0, 19).replace('T', ' ');
}
