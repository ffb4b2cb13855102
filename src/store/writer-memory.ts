// What a DuckDB writer that opens the same store file again and again (`watch --store` lets go of it whenever
// `serve`, `query` or `ingest` wants it) keeps from one open to the next. Its own module: the watch
// command makes one without loading DuckDB.
import type { StringIds } from './duckdb.js';

/** Made by the caller, filled and read by openDuckDbStore (DuckDbStoreOptions.memory). */
export class WriterMemory {
  /** The store the memory belongs to: its creation time (`DuckDbStore.storeIdentity`). */
  identity: string | undefined;
  /** The writer's share of the string table and the filter of its texts. */
  strings: StringIds | undefined;
}
