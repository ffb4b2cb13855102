// The thread that owns a DuckDB store file for a writer that runs for months (`watch --store`): it opens, writes
// and closes the file when told, so DuckDB's synchronous calls (appender flushes, closing the file) hold this
// thread's event loop, not the watcher's. The watcher's side is src/store/store-thread-client.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { type BatchColumns, Dictionary, EventBatch, type RareFields } from '../core/batch.js';
import type { Message } from '../i18n.js';
import { openStore } from './open.js';
import {
  type Store,
  type StoredFinding,
  type StoredInput,
  type StoredProblem,
  StoreError,
  type StoreFault,
  type StoreWriter,
} from './types.js';
import { WriterMemory } from './writer-memory.js';

/** How the thread opens its store (given when it starts; the same for every open). */
export interface StoreThreadData {
  location: string;
  /** How long an open waits (ms) while another process has the file (`--store-wait`). */
  waitMs: number;
  boundedStrings?: boolean;
  memoryLimit?: string;
}

/** The store's methods a writer asks the thread for, by name, with their arguments. */
export type StoreThreadCall =
  | { method: 'inputs' | 'ownInputs' | 'nextInputId' | 'memoryBytes' | 'close'; args: [] }
  | { method: 'prune'; args: [number] }
  | { method: 'pruneToSize'; args: [number] }
  | { method: 'begin'; args: [{ bytes?: number } | undefined] };

/** What the thread is sent: one request, answered once by a `StoreThreadReply` with the same `id`. */
export type StoreThreadRequest = { id: number } & (
  | { op: 'open' }
  | ({ op: 'call' } & StoreThreadCall)
  | {
      op: 'append';
      writer: number;
      inputId: number;
      /** The batch starts a new dictionary: its texts are numbered from 0 again. */
      newDictionary?: boolean;
      /** Texts of the batch's dictionary not sent before, in id order. */
      texts: string[];
      columns: BatchColumns;
      length: number;
      rare: [number, RareFields][];
    }
  | { op: 'problems'; writer: number; problems: StoredProblem[] }
  | { op: 'findings'; writer: number; findings: StoredFinding[] }
  | { op: 'commit'; writer: number; input: StoredInput }
  | { op: 'rollback'; writer: number }
  /** Close the store if open; the thread is ended after the answer. */
  | { op: 'end' }
  /**
   * Tests: stop the thread as a crash would (exit code 70), at once, or right after the next commit is in the
   * store, before it is answered.
   */
  | { op: 'crash'; when: 'now' | 'after-commit' }
);

/** A failure as it crosses threads: a StoreError keeps its kind and both sentences. */
export interface StoreThreadFailure {
  message: string;
  kind?: StoreFault;
  text?: Message;
  code?: string;
}

/** The answer to one request. */
export type StoreThreadReply = { id: number } & (
  | { ok: true; value?: unknown }
  | { ok: false; error: StoreThreadFailure }
);

/** Exit code of a thread told to crash (tests). */
export const STORE_THREAD_CRASH_CODE = 70;

const data = workerData as StoreThreadData;
// What the writer knows of the string table, kept from one open of the file to the next for the thread's life.
const memory = new WriterMemory();
let store: Store | undefined;
/** The writer of the transaction going on (one at a time), and its dictionary as rebuilt from the texts sent. */
let writer: { id: number; w: StoreWriter; dict: Dictionary } | undefined;
let writers = 0;
/** Tests: stop once the next commit is in the store (`crash` after-commit). */
let crashAfterCommit = false;

function failure(e: unknown): StoreThreadFailure {
  if (e instanceof StoreError) return { message: e.message, kind: e.kind, text: e.text };
  const err = e as NodeJS.ErrnoException;
  return { message: err?.message ?? String(e), ...(err?.code ? { code: err.code } : {}) };
}

function current(id: number): { w: StoreWriter; dict: Dictionary } {
  if (!writer || writer.id !== id) throw new Error('no such write going on in the store thread');
  return writer;
}

function opened(): Store {
  if (!store) throw new Error('the store is not open in the store thread');
  return store;
}

async function handle(m: StoreThreadRequest): Promise<unknown> {
  switch (m.op) {
    case 'open':
      if (store) throw new Error('the store is already open in the store thread');
      store = await openStore(data.location, {
        waitMs: data.waitMs,
        memory,
        ...(data.boundedStrings === undefined ? {} : { boundedStrings: data.boundedStrings }),
        ...(data.memoryLimit ? { memoryLimit: data.memoryLimit } : {}),
      });
      return undefined;
    case 'call': {
      if (m.method === 'close') {
        const s = store;
        store = undefined;
        writer = undefined;
        await s?.close();
        return undefined;
      }
      const s = opened();
      switch (m.method) {
        case 'inputs':
          return s.inputs();
        case 'ownInputs':
          return s.ownInputs ? s.ownInputs() : s.inputs();
        case 'nextInputId':
          return s.nextInputId();
        case 'memoryBytes':
          return s.memoryBytes ? s.memoryBytes() : undefined;
        case 'prune':
          return s.prune(m.args[0]);
        case 'pruneToSize':
          return s.pruneToSize(m.args[0]);
        case 'begin': {
          const w = await s.begin(m.args[0]);
          writer = { id: ++writers, w, dict: new Dictionary() };
          return writer.id;
        }
      }
      return undefined;
    }
    case 'append': {
      const x = current(m.writer);
      if (m.newDictionary) x.dict = new Dictionary();
      for (const text of m.texts) x.dict.id(text);
      await x.w.appendEvents(EventBatch.fromColumns(x.dict, m.columns, m.length, m.rare), m.inputId);
      return undefined;
    }
    case 'problems':
      return current(m.writer).w.appendProblems(m.problems);
    case 'findings':
      return current(m.writer).w.appendFindings(m.findings);
    case 'commit': {
      // Kept until it committed: a commit that fails is rolled back by the writer's `rollback`.
      await current(m.writer).w.commit(m.input);
      writer = undefined;
      // DuckDB's work still going on in this thread (deferred summaries) would abort the whole process if the
      // thread stopped under it (see StoreThread): the test's crash waits for it.
      if (crashAfterCommit) {
        await store?.settle?.();
        process.exit(STORE_THREAD_CRASH_CODE);
      }
      return undefined;
    }
    case 'rollback': {
      // A write that is not going on (it committed, or the store was closed meanwhile) has nothing to undo.
      if (!writer || writer.id !== m.writer) return undefined;
      const x = writer;
      writer = undefined;
      return x.w.rollback();
    }
    case 'end': {
      const s = store;
      store = undefined;
      writer = undefined;
      await s?.close();
      return undefined;
    }
    case 'crash':
      if (m.when === 'now') process.exit(STORE_THREAD_CRASH_CODE);
      crashAfterCommit = true;
      return undefined;
  }
}

// A failure no request caught (a bug) ends the thread with its store closed first: a thread that stops while
// DuckDB's own work runs in it aborts the whole process (the binding answers into a thread that is gone), and
// one that stops with its store closed is replaced at the next commit.
const stopQuietly = () => {
  void Promise.resolve(store?.close())
    .catch(() => undefined)
    .finally(() => process.exit(1));
};
process.on('uncaughtException', stopQuietly);
process.on('unhandledRejection', stopQuietly);

const port = parentPort!;
// One request at a time, in the order sent: a writer's appends, then its commit, never interleaved.
let chain: Promise<void> = Promise.resolve();
port.on('message', (m: StoreThreadRequest) => {
  chain = chain.then(async () => {
    let reply: StoreThreadReply;
    try {
      reply = { id: m.id, ok: true, value: await handle(m) };
    } catch (e) {
      reply = { id: m.id, ok: false, error: failure(e) };
    }
    port.postMessage(reply);
    if (m.op === 'end') port.close();
  });
});
