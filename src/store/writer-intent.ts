// Sharing a DuckDB store file between `fwlens serve` (reads, for months) and `fwlens ingest` (writes, from
// cron). DuckDB lets one process write a file and none read it meanwhile, so a writer announces itself with
// a small marker file next to the store (`<store>.writer.<pid>`) for as long as it wants or holds the file;
// the console closes its read-only instance as soon as its running requests finish and does not reopen the
// file until every live marker is gone. Readers announce themselves the same way (`<store>.reader.<pid>`):
// a watcher that keeps the file open between its commits lets go of it when one wants it.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { processAlive } from '../util/process-alive.js';
import type { DuckDbStore, DuckDbStoreOptions } from './duckdb.js';
import { StoreError } from './types.js';

/** How long `fwlens ingest` waits for the store by default when another process has it open (ms). */
export const INGEST_LOCK_WAIT_MS = 60_000;

/** How often a waiting process tries the store's lock again (ms). */
export const LOCK_RETRY_MS = 100;

/**
 * How long a reader (`fwlens query`, `analyze --store`) waits by default while a writer has the store open
 * (ms): `watch --store` and a cron ingest hold it for a commit at a time, which a query should outlast
 * rather than fail on; a long ingest still ends the wait with the usual sentence.
 */
export const READ_LOCK_WAIT_MS = 15_000;

/** Who a marker announces: a process that wants to write the file, or one that wants to read it. */
type Role = 'writer' | 'reader';

const markerPrefix = (path: string, role: Role = 'writer') => `${basename(path)}.${role}.`;

/** True when another live process has a marker of one of `roles` next to the store at `path`. */
function announced(path: string, roles: Role[]): boolean {
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return false;
  }
  for (const role of roles) {
    const prefix = markerPrefix(path, role);
    for (const name of names) {
      if (!name.startsWith(prefix)) continue;
      const pid = Number(name.slice(prefix.length));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) return true;
    }
  }
  return false;
}

/** True when a live process has announced that it wants to write (or is writing) the store at `path`. */
export function writerWaiting(path: string): boolean {
  return announced(path, ['writer']);
}

/**
 * True when another live process wants the store at `path`, to write it or to read it: what a writer that
 * keeps the file open between its writes (`watch --store`) looks for to let go of it.
 */
export function storeWanted(path: string): boolean {
  return announced(path, ['writer', 'reader']);
}

/** Announce that this process wants to write the store at `path`; returns the function that withdraws it. */
export function announceWriter(path: string): () => void {
  return announce(path, 'writer');
}

/**
 * Announce that this process wants to read the store at `path` (a query while it waits and reads, a console
 * for as long as it runs); returns the function that withdraws it. A writer that keeps the file open between
 * its writes lets go when it sees one.
 */
export function announceReader(path: string): () => void {
  return announce(path, 'reader');
}

/**
 * Withdraw this process's writer announcement for the store at `path`, whoever made it: a thread that wrote the
 * store and stopped before closing it (src/store/store-thread-client.ts) leaves its marker behind.
 */
export function withdrawWriter(path: string): void {
  rmSync(join(dirname(path), `${markerPrefix(path, 'writer')}${process.pid}`), { force: true });
}

function announce(path: string, role: Role): () => void {
  const marker = join(dirname(path), `${markerPrefix(path, role)}${process.pid}`);
  try {
    writeFileSync(marker, `${process.pid}\n`);
  } catch {
    // A directory we cannot write: the open below says so, or the reader just is not told to let go.
    return () => undefined;
  }
  return () => rmSync(marker, { force: true });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Open the DuckDB store read-only, trying again every LOCK_RETRY_MS for up to `waitMs` while a writer holds
 * it (DuckDB lets no reader in meanwhile). Past the wait: the usual `locked` sentence.
 */
export async function openForReading(path: string, waitMs: number = READ_LOCK_WAIT_MS): Promise<DuckDbStore> {
  // Announced while waiting and reading: a watcher holding the file between its commits lets go of it.
  return openAnnounced(path, waitMs, 'reader', { readOnly: true });
}

/**
 * Open the DuckDB store for writing, waiting up to `waitMs` while another process has it open (a console
 * lets go when it sees the announcement; another ingest when it ends). The announcement stays until the
 * store is closed, so a console answers from what it has kept meanwhile instead of knocking on the lock.
 * Past the wait: the usual `locked` sentence.
 */
export async function openForWriting(
  path: string,
  waitMs: number = INGEST_LOCK_WAIT_MS,
  opts: DuckDbStoreOptions = {},
): Promise<DuckDbStore> {
  return openAnnounced(path, waitMs, 'writer', opts);
}

/**
 * Open the store announced in `role` until it is closed, trying again every LOCK_RETRY_MS for up to `waitMs`
 * while another process holds the file.
 */
async function openAnnounced(
  path: string,
  waitMs: number,
  role: Role,
  opts: DuckDbStoreOptions,
): Promise<DuckDbStore> {
  const { openDuckDbStore } = await import('./duckdb.js');
  const withdraw = announce(path, role);
  const deadline = Date.now() + waitMs;
  try {
    for (;;) {
      try {
        const store = await openDuckDbStore(path, opts);
        store.afterClose = withdraw;
        return store;
      } catch (e) {
        if (!(e instanceof StoreError) || e.kind !== 'locked' || Date.now() >= deadline) throw e;
      }
      await sleep(LOCK_RETRY_MS);
    }
  } catch (e) {
    withdraw();
    throw e;
  }
}
