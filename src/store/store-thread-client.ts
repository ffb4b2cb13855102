// A DuckDB store written from a thread of its own (src/store/store-thread.ts): the caller's thread only sends it
// column batches (moved, not copied) and waits for answers, so DuckDB's synchronous calls never hold its event loop.
import type { Worker } from 'node:worker_threads';
import { columnBuffers, type Dictionary, type EventBatch } from '../core/batch.js';
import { tBoth } from '../i18n.js';
import { startThread } from '../run/thread.js';
import type {
  StoreThreadCall,
  StoreThreadData,
  StoreThreadFailure,
  StoreThreadReply,
  StoreThreadRequest,
} from './store-thread.js';
import {
  type PruneResult,
  type SizePruneResult,
  type StoredFinding,
  type StoredInput,
  type StoredProblem,
  StoreError,
  type StoreWriter,
  type WritingStore,
} from './types.js';
import { withdrawWriter } from './writer-intent.js';

type Request = StoreThreadRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

interface Waiting {
  worker: Worker;
  resolve(value: unknown): void;
  reject(e: Error): void;
}

/** The error a failure that crossed from the thread stands for: a StoreError keeps its kind and sentences. */
function revive(f: StoreThreadFailure): Error {
  if (f.kind && f.text) return new StoreError(f.kind, f.text);
  const e = new Error(f.message) as NodeJS.ErrnoException;
  if (f.code) e.code = f.code;
  return e;
}

/**
 * One thread that owns a DuckDB store file for the life of its user (a watcher): `open` opens the file in it
 * (announced as a writer, waiting `waitMs` for another process, as `openStore` does) and gives a store whose
 * every call runs there; closing that store closes the file and keeps the thread for the next open. A thread that
 * stops (a crash, out of memory) fails what was asked of it with one sentence (`store.threadStopped`, a StoreError
 * of kind `other`) and the next `open` starts a new one. `end` closes the file and ends the thread.
 */
export class StoreThread {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, Waiting>();
  private lastId = 0;
  private ended = false;
  /** Why the last thread stopped (for calls on a store opened in it). */
  private lastStop = 'exit';
  /** Threads started so far (tests). */
  started = 0;

  constructor(private readonly data: StoreThreadData) {}

  /** Open the store in the thread (starting one when none runs). */
  async open(): Promise<WritingStore> {
    if (this.ended) throw new Error('the store thread has ended');
    const worker = this.worker ?? this.start();
    await this.request(worker, { op: 'open' });
    return new ThreadStore(this, worker);
  }

  /** Close the store if it is open and end the thread (the watcher stops). */
  async end(): Promise<void> {
    this.ended = true;
    const worker = this.worker;
    if (!worker) return;
    try {
      await this.request(worker, { op: 'end' });
    } catch {
      // Stopped meanwhile: nothing is left to close.
    }
    this.worker = undefined;
    await worker.terminate();
  }

  /**
   * Tests: make the thread stop as a crash would, now (waiting until it has), or right after its next commit is
   * in the store, before that commit is answered.
   */
  async crash(when: 'now' | 'after-commit' = 'now'): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage({ id: 0, op: 'crash', when } satisfies StoreThreadRequest);
    if (when === 'after-commit') return;
    // The thread does not keep the process alive while nothing waits for an answer.
    const alive = setInterval(() => undefined, 1000);
    await exited;
    clearInterval(alive);
  }

  /** Whether `worker` is the thread running now (a store opened in a thread that stopped is closed already). */
  running(worker: Worker): boolean {
    return this.worker === worker;
  }

  private start(): Worker {
    const worker = startThread(import.meta.url, 'store-thread', { workerData: this.data });
    this.started++;
    this.worker = worker;
    // Only a request waiting for its answer keeps the process alive (see `request`).
    worker.unref();
    worker.on('message', (r: StoreThreadReply) => this.answer(r));
    worker.on('error', (e) => this.lost(worker, e.message || String(e)));
    worker.on('exit', (code) => this.lost(worker, `exit code ${code}`));
    return worker;
  }

  /** Send one request to `worker` and wait for its answer (`transfer`: buffers moved to the thread). */
  request<T>(worker: Worker, m: Request, transfer?: ArrayBuffer[]): Promise<T> {
    if (!this.running(worker)) return Promise.reject(this.stopped(this.lastStop));
    const id = ++this.lastId;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { worker, resolve: resolve as (v: unknown) => void, reject });
      worker.ref();
      worker.postMessage({ ...m, id }, transfer ?? []);
    });
  }

  private answer(r: StoreThreadReply): void {
    const w = this.waiting.get(r.id);
    if (!w) return;
    this.waiting.delete(r.id);
    if (![...this.waiting.values()].some((x) => x.worker === w.worker)) w.worker.unref();
    if (r.ok) w.resolve(r.value);
    else w.reject(revive(r.error));
  }

  /** The thread stopped: what waited for it fails with one sentence; the next `open` starts a new thread. */
  private lost(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.lastStop = reason;
    // Its announcement as the store's writer would keep other processes waiting while this one lives.
    withdrawWriter(this.data.location);
    const error = this.stopped(reason);
    for (const [id, w] of [...this.waiting]) {
      if (w.worker !== worker) continue;
      this.waiting.delete(id);
      w.reject(error);
    }
  }

  private stopped(reason: string): StoreError {
    return new StoreError(
      'other',
      tBoth('store.threadStopped', { path: this.data.location, reason: reason.split('\n')[0]! }),
    );
  }
}

/** The store open in a StoreThread's thread. */
class ThreadStore implements WritingStore {
  constructor(
    private readonly thread: StoreThread,
    private readonly worker: Worker,
  ) {}

  private call<T>(c: StoreThreadCall): Promise<T> {
    return this.thread.request<T>(this.worker, { op: 'call', ...c });
  }

  inputs(): Promise<StoredInput[]> {
    return this.call({ method: 'inputs', args: [] });
  }
  ownInputs(): Promise<StoredInput[]> {
    return this.call({ method: 'ownInputs', args: [] });
  }
  nextInputId(): Promise<number> {
    return this.call({ method: 'nextInputId', args: [] });
  }
  async memoryBytes(): Promise<number> {
    return (await this.call<number | undefined>({ method: 'memoryBytes', args: [] })) ?? 0;
  }
  prune(before: number): Promise<PruneResult> {
    return this.call({ method: 'prune', args: [before] });
  }
  pruneToSize(maxBytes: number): Promise<SizePruneResult> {
    return this.call({ method: 'pruneToSize', args: [maxBytes] });
  }
  async begin(hint?: { bytes?: number }): Promise<StoreWriter> {
    const id = await this.call<number>({ method: 'begin', args: [hint] });
    return new ThreadWriter(this.thread, this.worker, id);
  }
  async close(): Promise<void> {
    // A thread that stopped took its store with it.
    if (!this.thread.running(this.worker)) return;
    await this.call({ method: 'close', args: [] });
  }
}

/** One transaction going on in the thread. */
class ThreadWriter implements StoreWriter {
  /** The dictionary whose texts were sent, and how many of them. */
  private sentDict: Dictionary | undefined;
  private sentTexts = 0;

  constructor(
    private readonly thread: StoreThread,
    private readonly worker: Worker,
    private readonly id: number,
  ) {}

  /** The batch's columns move to the thread: the batch cannot be read after this. */
  appendEvents(batch: EventBatch, inputId: number): Promise<void> {
    const columns = batch.columnArrays();
    const newDictionary = batch.dict !== this.sentDict;
    if (newDictionary) {
      this.sentDict = batch.dict;
      this.sentTexts = 0;
    }
    const texts = batch.dict.texts.slice(this.sentTexts);
    this.sentTexts = batch.dict.texts.length;
    return this.thread.request(
      this.worker,
      {
        op: 'append',
        writer: this.id,
        inputId,
        ...(newDictionary ? { newDictionary } : {}),
        texts,
        columns,
        length: batch.length,
        rare: [...batch.rare],
      },
      columnBuffers(columns),
    );
  }
  appendProblems(problems: StoredProblem[]): Promise<void> {
    return this.thread.request(this.worker, { op: 'problems', writer: this.id, problems });
  }
  appendFindings(findings: StoredFinding[]): Promise<void> {
    return this.thread.request(this.worker, { op: 'findings', writer: this.id, findings });
  }
  commit(input: StoredInput): Promise<void> {
    return this.thread.request(this.worker, { op: 'commit', writer: this.id, input });
  }
  rollback(): Promise<void> {
    return this.thread.request(this.worker, { op: 'rollback', writer: this.id });
  }
}
