// One ClickHouse host over HTTP (@clickhouse/client): statements, JSON reads and inserts, each failure as one StoreError.

import { Readable } from 'node:stream';
import { type ClickHouseClient, ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { tBoth } from '../../i18n.js';
import { StoreError } from '../types.js';

/** Milliseconds a request may take before it is given up (a 256 MB part's insert on a loaded server included). */
export const REQUEST_TIMEOUT_MS = 300_000;

/** Settings every statement carries: synchronous inserts through Distributed tables (visible when they return). */
const BASE_SETTINGS = { insert_distributed_sync: 1 } as const;

/** The short reason of a ClickHouse or network failure: the server's exception text, or the socket error's code. */
export function failureReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = err?.code ?? err?.cause?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  // String cuts, not a regular expression: the text comes from the server and may be long.
  const m = String(err?.message ?? e);
  const at = m.indexOf('DB::Exception: ');
  let reason = (at >= 0 ? m.slice(at + 'DB::Exception: '.length) : m).split('\n')[0]!;
  // 18.16 ends with ", e.what() = DB::Exception"; current versions with " (version ...)" or " (CODE_NAME)".
  for (const end of [', e.what()', ' (version ']) {
    const i = reason.indexOf(end);
    if (i >= 0) reason = reason.slice(0, i);
  }
  const paren = reason.lastIndexOf(' (');
  if (paren >= 0 && reason.endsWith(')') && isCodeName(reason.slice(paren + 2, -1)))
    reason = reason.slice(0, paren);
  return reason.trim().slice(0, 300);
}

/** An exception code name as current servers append it (`UNKNOWN_TABLE`). */
function isCodeName(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || c === 95)) return false;
  }
  return true;
}

/** Whether a failure is the network's (nothing answered), not the server's refusal. */
export function isUnreachable(e: unknown): boolean {
  const err = e as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = String(err?.code ?? err?.cause?.code ?? '');
  const m = String(err?.message ?? '');
  return (
    /^(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EPIPE)$/.test(code) ||
    /socket hang up|Timeout error|connect ECONNREFUSED|other side closed/i.test(m)
  );
}

/**
 * The StoreError for a failure talking to the store shown as `shown`; `reading` (a read-only store: queries,
 * reports, the console) says nothing of unfinished parts, which only a writer has.
 */
export function clickHouseFault(e: unknown, shown: string, reading = false): StoreError {
  if (e instanceof StoreError) return e;
  const error = failureReason(e);
  if (isUnreachable(e))
    return new StoreError(
      'unreachable',
      tBoth(reading ? 'store.clickhouse.unreachableRead' : 'store.clickhouse.unreachable', {
        path: shown,
        error,
      }),
    );
  return new StoreError(
    'other',
    tBoth(reading ? 'store.clickhouse.failedRead' : 'store.clickhouse.failed', { path: shown, error }),
  );
}

/** How a host is reached. */
export interface HostOptions {
  url: string;
  username?: string;
  password?: string;
  /** Every statement runs with readonly=1: reads only, no settings changed, no table functions. */
  readOnly: boolean;
}

/** One host of the store. */
export class Host {
  private readonly client: ClickHouseClient;
  private readonly settings: Record<string, string | number>;

  /** Clients whose default database is another than `default` (raw SQL), by database. */
  private readonly databaseClients = new Map<string, ClickHouseClient>();

  constructor(
    readonly options: HostOptions,
    private readonly shown: string,
  ) {
    this.settings = options.readOnly ? { readonly: '1' } : { ...BASE_SETTINGS };
    this.client = this.newClient();
  }

  private clientOf(database: string): ClickHouseClient {
    let client = this.databaseClients.get(database);
    if (!client) {
      client = this.newClient(database);
      this.databaseClients.set(database, client);
    }
    return client;
  }

  private newClient(database?: string): ClickHouseClient {
    const options = this.options;
    return createClient({
      ...(database === undefined ? {} : { database }),
      url: options.url,
      username: options.username ?? 'default',
      password: options.password ?? '',
      request_timeout: REQUEST_TIMEOUT_MS,
      // Plain HTTP bodies: nothing to gain on loopback, and one thing fewer an old server must agree on.
      compression: { request: false, response: false },
      clickhouse_settings: this.settings,
      // Failures reach the user as one sentence (clickHouseFault); the client's own log would print stacks.
      log: { level: ClickHouseLogLevel.OFF },
    });
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      throw clickHouseFault(e, this.shown, this.options.readOnly);
    }
  }

  /** Run a statement that returns no rows (DDL, ALTER, INSERT ... VALUES). */
  command(sql: string): Promise<void> {
    return this.guard(async () => {
      await this.client.command({ query: sql });
    });
  }

  /**
   * Rows of a query as objects (64-bit integers arrive as decimal text); `settings` are sent with the request
   * (as URL parameters, which a readonly=1 request accepts, unlike a SETTINGS clause).
   */
  rows<T = Record<string, unknown>>(sql: string, settings?: Record<string, number>): Promise<T[]> {
    return this.guard(async () => {
      const rs = await this.client.query({
        query: sql,
        format: 'JSONEachRow',
        ...(settings ? { clickhouse_settings: { ...this.settings, ...settings } } : {}),
      });
      return (await rs.json()) as T[];
    });
  }

  /** The lines of a TabSeparated result one at a time (cheaper to read than JSON rows: no object per value). */
  async *lines(sql: string): AsyncIterable<string> {
    let rs: Awaited<ReturnType<ClickHouseClient['query']>>;
    try {
      rs = await this.client.query({ query: sql, format: 'TabSeparated' });
    } catch (e) {
      throw clickHouseFault(e, this.shown, this.options.readOnly);
    }
    try {
      for await (const rows of rs.stream()) for (const row of rows) yield row.text;
    } catch (e) {
      throw clickHouseFault(e, this.shown, this.options.readOnly);
    }
  }

  /** Column names and rows (arrays) of a query, for raw SQL. */
  /** (Failures are thrown as they come: raw SQL reports the server's own reason.) */
  /** `database` is the default database of the query (names without one are its tables). */
  async compact(sql: string, database?: string): Promise<{ columns: string[]; rows: unknown[][] }> {
    const client = database === undefined ? this.client : this.clientOf(database);
    const rs = await client.query({ query: sql, format: 'JSONCompact' });
    const doc = (await rs.json()) as { meta: { name: string }[]; data: unknown[][] };
    return { columns: doc.meta.map((m) => m.name), rows: doc.data };
  }

  /** Insert rows (JSONEachRow: data, never SQL text) into `table` (qualified name). */
  insert(table: string, values: Record<string, unknown>[]): Promise<void> {
    return this.guard(async () => {
      if (values.length === 0) return;
      await this.client.insert({ table, values, format: 'JSONEachRow' });
    });
  }

  /**
   * Insert TabSeparated text made elsewhere (chunks of whole lines) into `columns` of `table` (qualified name),
   * streamed as the request body.
   */
  insertLines(table: string, columns: readonly string[], chunks: Buffer[]): Promise<void> {
    return this.guard(async () => {
      if (chunks.length === 0) return;
      await this.client.insert({
        table,
        columns: [...columns] as [string, ...string[]],
        values: Readable.from(chunks, { objectMode: false }),
        format: 'TabSeparated',
      });
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.databaseClients.values()].map((c) => c.close()));
    await this.client.close();
  }
}
