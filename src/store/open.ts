// Opens the store a `--store` value names: a ClickHouse address (clickhouse://...) or a DuckDB file path.
import { tBoth } from '../i18n.js';
import { isClickHouseAddress, parseClickHouseAddress } from './clickhouse/url.js';
import { type Store, StoreError } from './types.js';
import type { WriterMemory } from './writer-memory.js';

/** How a store is opened: `readOnly` for queries, reports and raw SQL. */
export interface OpenStoreOptions {
  readOnly?: boolean;
  /**
   * How long to wait (ms) while another process has a DuckDB file open. Writing: a console is told to let
   * go, another ingest is waited for (src/store/writer-intent.ts); absent: no wait. Reading: a writer's
   * commit is waited for; absent: READ_LOCK_WAIT_MS.
   */
  waitMs?: number;
  /**
   * A DuckDB writer that runs for long (`watch --store`): its memory does not grow with the store's string
   * table (src/store/duckdb.ts, `boundedStrings`).
   */
  boundedStrings?: boolean;
  /** What a DuckDB writer that opens the store again and again keeps between opens (see `WriterMemory`). */
  memory?: WriterMemory;
  /** DuckDB's memory limit for a writer that keeps the file open for long (see DuckDbStoreOptions). */
  memoryLimit?: string;
}

/** Open the store at `location` (made by storePath): ClickHouse for clickhouse://, else the DuckDB file. */
export async function openStore(location: string, opts: OpenStoreOptions = {}): Promise<Store> {
  if (isClickHouseAddress(location)) {
    const address = parseClickHouseAddress(location);
    if (!address) throw new StoreError('usage', tBoth('store.clickhouse.badAddress', { value: location }));
    const { openClickHouseStore } = await import('./clickhouse/store.js');
    return openClickHouseStore(address, opts);
  }
  if (!opts.readOnly && opts.waitMs !== undefined) {
    const { openForWriting } = await import('./writer-intent.js');
    return openForWriting(location, opts.waitMs, {
      boundedStrings: opts.boundedStrings,
      ...(opts.memory ? { memory: opts.memory } : {}),
      ...(opts.memoryLimit ? { memoryLimit: opts.memoryLimit } : {}),
    });
  }
  if (opts.readOnly) {
    const { openForReading } = await import('./writer-intent.js');
    return openForReading(location, opts.waitMs);
  }
  const { openDuckDbStore } = await import('./duckdb.js');
  return openDuckDbStore(location, opts);
}
