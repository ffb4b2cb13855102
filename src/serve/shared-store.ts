// The console's DuckDB store shared with `fwlens ingest`: open read-only while requests run, let go as soon
// as a writer announces itself (src/store/writer-intent.ts), reopened for the next request once it is done.
// The console announces itself as a reader for as long as it runs, so `watch --store` lets go of the file
// after each commit.
import { statSync } from 'node:fs';
import type { Finding } from '../detect/index.js';
import type { FwEvent } from '../event.js';
import { tBoth } from '../i18n.js';
import { type DuckDbStore, openDuckDbStore } from '../store/duckdb.js';
import { StoreError } from '../store/types.js';
import { announceReader, LOCK_RETRY_MS, writerWaiting } from '../store/writer-intent.js';
import { duckDbConsole, type TopTunables } from './duckdb-queries.js';
import type {
  ConsoleQueries,
  EventRow,
  StoreSpan,
  Timeline,
  TopField,
  TopRow,
  UnparsedPage,
  View,
} from './queries.js';

/** How long a request waits for an ingest to finish with the store before it is told to try again (ms). */
export const SERVE_STORE_WAIT_MS = 30_000;

/** How often an open, idle console looks for a writer that wants the file (ms). */
export const WRITER_CHECK_MS = 250;

/** What the file looked like when opened: a change means another process wrote it since. */
function fileGeneration(path: string): string {
  // The write-ahead log too: a writer that ended without a checkpoint changed only that.
  return [path, `${path}.wal`]
    .map((p) => {
      try {
        const s = statSync(p);
        return `${s.ino}:${s.size}:${s.mtimeMs}`;
      } catch {
        return '-';
      }
    })
    .join('|');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Console queries over a DuckDB file that `fwlens ingest` may write while the console runs. */
export class SharedDuckDbConsole implements ConsoleQueries {
  private open: { store: DuckDbStore; queries: ConsoleQueries; generation: string } | undefined;
  private opening: Promise<void> | undefined;
  private active = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  /** Times the store was opened (the tests and the benchmark read it). */
  opens = 0;

  private constructor(
    readonly path: string,
    private readonly tunables: Partial<TopTunables>,
    private readonly waitMs: number,
  ) {
    this.timer = setInterval(() => void this.letGoIfAsked(), WRITER_CHECK_MS);
    this.timer.unref();
    // For as long as the console runs: a watcher that would keep the file open between its commits lets go
    // of it after each one instead, so the console's requests find it.
    this.withdraw = announceReader(path);
  }
  private readonly withdraw: () => void;

  /** Open the store once (missing, damaged, newer: the sentence now, not at the first request). */
  static async start(
    path: string,
    tunables: Partial<TopTunables> = {},
    waitMs = SERVE_STORE_WAIT_MS,
  ): Promise<SharedDuckDbConsole> {
    const c = new SharedDuckDbConsole(path, tunables, waitMs);
    try {
      await c.reopen();
    } catch (e) {
      clearInterval(c.timer);
      c.withdraw();
      throw e;
    }
    return c;
  }

  /**
   * What the answers depend on: the file as last opened. While a writer holds or wants the file, the last
   * one (answers kept from before still hold for what was committed then); otherwise the file as it is
   * now, so a change made since is seen before a kept answer is given.
   */
  generation(): string {
    if (this.open) return this.open.generation;
    if (writerWaiting(this.path)) return this.lastGeneration;
    return fileGeneration(this.path);
  }
  private lastGeneration = '';

  private async reopen(): Promise<void> {
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      if (!writerWaiting(this.path)) {
        try {
          const store = await openDuckDbStore(this.path, { readOnly: true });
          const generation = fileGeneration(this.path);
          this.open = { store, queries: duckDbConsole(store, this.tunables), generation };
          this.lastGeneration = generation;
          this.opens++;
          return;
        } catch (e) {
          if (!(e instanceof StoreError) || e.kind !== 'locked') throw e;
        }
      }
      if (Date.now() >= deadline)
        throw new StoreError('locked', tBoth('serve.storeBusy', { path: this.path }));
      await sleep(LOCK_RETRY_MS);
    }
  }

  /** Close the store when nothing runs and a writer wants the file. */
  private async letGoIfAsked(): Promise<void> {
    if (this.open && this.active === 0 && !this.opening && writerWaiting(this.path)) await this.shut();
  }

  private async shut(): Promise<void> {
    const o = this.open;
    this.open = undefined;
    if (!o) return;
    await o.queries.close();
    await o.store.close();
  }

  /** Run `work` on an open store; a writer waiting first gets the file (this waits until it is done). */
  private async lease<T>(work: (q: ConsoleQueries) => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreError('other', tBoth('serve.storeBusy', { path: this.path }));
    for (;;) {
      // While the console has the file open nobody can write it (DuckDB's lock): it stays right until a
      // writer asks. Then the running requests finish, the file is let go, and reopened once it is done.
      if (this.open && !writerWaiting(this.path)) break;
      if (this.active > 0) {
        await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
        continue;
      }
      if (!this.opening)
        this.opening = (async () => {
          await this.shut();
          await this.reopen();
        })().finally(() => {
          this.opening = undefined;
        });
      await this.opening;
      break;
    }
    const q = this.open!.queries;
    this.active++;
    try {
      return await work(q);
    } finally {
      this.active--;
      if (this.active === 0) for (const w of this.idleWaiters.splice(0)) w();
      if (this.active === 0) void this.letGoIfAsked();
    }
  }

  span(): Promise<StoreSpan> {
    return this.lease((q) => q.span());
  }
  pendingSummaries(): Promise<number> {
    return this.lease(async (q) => (await q.pendingSummaries?.()) ?? 0);
  }
  timeline(view: View, maxBuckets: number): Promise<Timeline> {
    return this.lease((q) => q.timeline(view, maxBuckets));
  }
  top(view: View, by: TopField, limit: number): Promise<TopRow[]> {
    return this.lease((q) => q.top(view, by, limit));
  }
  events(view: View, offset: number, limit: number): Promise<EventRow[]> {
    return this.lease((q) => q.events(view, offset, limit));
  }
  event(input: number, line: number): Promise<FwEvent | undefined> {
    return this.lease((q) => q.event(input, line));
  }
  findings(view: View, limit: number): Promise<{ total: number; findings: Finding[] }> {
    return this.lease((q) => q.findings(view, limit));
  }
  unparsed(offset: number, limit: number): Promise<UnparsedPage> {
    return this.lease((q) => q.unparsed(offset, limit));
  }
  count(view: View): Promise<number> {
    return this.lease((q) => q.count(view));
  }

  /** The export holds the store for as long as it streams. */
  async *exportRows(view: View, limit: number): AsyncIterable<EventRow> {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started: (rows: AsyncIterator<EventRow>) => void = () => undefined;
    const ready = new Promise<AsyncIterator<EventRow>>((resolve) => {
      started = resolve;
    });
    const leased = this.lease(async (q) => {
      started(q.exportRows(view, limit)[Symbol.asyncIterator]());
      await held;
    });
    let rows: AsyncIterator<EventRow> | undefined;
    try {
      rows = await Promise.race([ready, leased.then(() => ready)]);
      for (;;) {
        const next = await rows.next();
        if (next.done) break;
        yield next.value;
      }
    } finally {
      await rows?.return?.();
      release();
      await leased;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    while (this.active > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await this.opening?.catch(() => undefined);
    try {
      await this.shut();
    } finally {
      this.withdraw();
    }
  }
}
