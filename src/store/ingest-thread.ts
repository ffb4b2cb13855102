// The ingest thread: reads a part of a plain file (or a whole .gz), then the next part it is sent, into column
// batches and hands each full batch (its columns moved, not copied, with the dictionary's new texts) to the thread that appends
// them to the store; with detection, it also runs the detection engine over the part's events and hands
// over its findings.
import { parentPort, workerData } from 'node:worker_threads';
import {
  BATCH_ROWS,
  type BatchColumns,
  columnBuffers,
  Dictionary,
  EventBatch,
  type RareFields,
} from '../core/batch.js';
import {
  createDetectionEngine,
  type DetectionConfig,
  type Finding,
  finishShards,
  omittedCount,
} from '../detect/index.js';
import { knowledgeBase } from '../knowledge/index.js';
import { fileRange } from '../util/file-range.js';
import { type PartRead, type PartReadOptions, readPartLines } from './part-reader.js';

/** One part of a file to read: bytes [start, end) of `path`. */
export interface IngestThreadJob {
  path: string;
  /** The file, open in the thread that started this one: read by descriptor, not by path (see ingestPath). */
  fd: number;
  start: number;
  end: number;
  mtimeMs: number;
  opts: PartReadOptions;
  /** Batches in flight at most (default BATCHES_IN_FLIGHT; tests take 1, so columns come back every time). */
  batchesInFlight?: number;
  /** Run detection over the part (with the default knowledge base) and its configuration. */
  detect?: { config?: DetectionConfig };
}

/** What the thread posts: batches in order, then what the part gave (or why it failed). */
export type IngestThreadMessage =
  | {
      kind: 'batch';
      /** The batch starts a new dictionary (the part's was full): its texts are numbered from 0 again. */
      newDictionary?: boolean;
      texts: string[];
      columns: BatchColumns;
      length: number;
      rare: [number, RareFields][];
      /** Bytes of the part (of a .gz: of the compressed file) read so far, for progress. */
      bytes: number;
    }
  | {
      kind: 'done';
      read: PartRead;
      findings: Finding[];
      closedEarly: number;
      /** Findings left out over `maxFindingsPerDetector`. */
      omitted: number;
    }
  | { kind: 'failed'; message: string };

/**
 * Batches handed over and not yet appended, at most (4.7 MB of columns each): the reader waits for the
 * appender beyond it, so a part never sits whole in memory twice. Enough to keep reading while the part before
 * commits (~1 s per million events): 1 M lines without detection, 10 M lines in parts of 256 MB:
 * 4 -> 34.0 s, 16 -> 28.9 s.
 */
export const BATCHES_IN_FLIGHT = 16;

/** The columns of an appended batch, cleared and handed back to be filled again (`appended`). */
export type ReturnedColumns = BatchColumns | undefined;

/** What the thread is sent: the columns of an appended batch, or the next part to read once this one is done. */
export type IngestThreadInbox = ReturnedColumns | { job: IngestThreadJob };

const port = parentPort!;
/** Parts to read, in order: the one the thread was started with, then those sent to it (`{ job }`). */
const jobs: IngestThreadJob[] = [workerData as IngestThreadJob];
let jobArrived: (() => void) | undefined;
/** Batches handed over and not yet handed back, over every part read so far. */
let inFlight = 0;
let returned: (() => void) | undefined;
/** Columns the appending thread handed back, to fill again instead of allocating. */
const spare: BatchColumns[] = [];
// The appending thread answers each batch once it is stored, with its columns cleared; a part handed to this
// thread is sent once the part before it is done (its batches all answered before it).
port.on('message', (m: IngestThreadInbox) => {
  if (m !== undefined && 'job' in m) {
    jobs.push(m.job);
    jobArrived?.();
    jobArrived = undefined;
    return;
  }
  if (m) spare.push(m);
  inFlight--;
  returned?.();
  returned = undefined;
});

/** Read one part and post its batches, then `done` (or `failed`). */
async function read(job: IngestThreadJob): Promise<void> {
  let dict = new Dictionary();
  /** The dictionary whose texts were sent, and how many of them. */
  let sentDict = dict;
  let sentTexts = 0;
  const engine = job.detect
    ? createDetectionEngine({ kb: knowledgeBase(), config: job.detect.config })
    : undefined;
  try {
    const stream = fileRange(job.fd, job.start, job.end);
    const read = await readPartLines({ path: job.path, stream, mtimeMs: job.mtimeMs }, job.opts, {
      newBatch: () => {
        if (dict.full) dict = new Dictionary();
        const columns = spare.pop();
        return columns ? new EventBatch(dict, BATCH_ROWS, columns) : new EventBatch(dict);
      },
      take: async (batches) => {
        for (const b of batches) {
          while (inFlight >= (job.batchesInFlight ?? BATCHES_IN_FLIGHT))
            await new Promise<void>((resolve) => (returned = resolve));
          const columns = b.columnArrays();
          const newDictionary = b.dict !== sentDict;
          if (newDictionary) {
            sentDict = b.dict;
            sentTexts = 0;
          }
          const message: IngestThreadMessage = {
            kind: 'batch',
            ...(newDictionary ? { newDictionary } : {}),
            texts: b.dict.texts.slice(sentTexts),
            columns,
            length: b.length,
            rare: [...b.rare],
            bytes: stream.bytesRead,
          };
          sentTexts = b.dict.texts.length;
          inFlight++;
          port.postMessage(message, columnBuffers(columns));
        }
      },
      ...(engine ? { event: (ev, raw) => engine.push(ev, raw) } : {}),
    });
    const finished = engine ? finishShards(engine.finishRaw(), job.detect?.config) : undefined;
    const findings = finished?.findings ?? [];
    const omitted = finished ? omittedCount(finished.omitted) : 0;
    const closedEarly = engine ? engine.closedEarly() : 0;
    port.postMessage({ kind: 'done', read, findings, closedEarly, omitted } satisfies IngestThreadMessage);
  } catch (e) {
    port.postMessage({
      kind: 'failed',
      message: (e as Error).message ?? String(e),
    } satisfies IngestThreadMessage);
  }
}

// Part after part, for as long as the thread that started this one keeps it (it ends it when its reading is
// over): a new thread per part paid ~0.1 s to start and ~0.13 s to warm up the parser's code again, each time.
for (;;) {
  while (jobs.length === 0) await new Promise<void>((resolve) => (jobArrived = resolve));
  await read(jobs.shift()!);
}
