// The ingest thread: reads one part of a file into column batches and hands each full batch (its columns
// moved, not copied, with the dictionary's new texts) to the thread that appends them to the store; with
// detection, it also runs the detection engine over the part's events and hands over its findings.
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { type BatchColumns, Dictionary, EventBatch, type RareFields } from '../core/batch.js';
import { createDetectionEngine, type DetectionConfig, type Finding } from '../detect/index.js';
import { knowledgeBase } from '../knowledge/index.js';
import { type PartRead, type PartReadOptions, readPartLines } from './part-reader.js';

/** One part of a file to read: bytes [start, end) of `path`. */
export interface IngestThreadJob {
  path: string;
  start: number;
  end: number;
  mtimeMs: number;
  opts: PartReadOptions;
  /** Run detection over the part (with the default knowledge base) and its configuration. */
  detect?: { config?: DetectionConfig };
}

/** What the thread posts: batches in order, then what the part gave (or why it failed). */
export type IngestThreadMessage =
  | { kind: 'batch'; texts: string[]; columns: BatchColumns; length: number; rare: [number, RareFields][] }
  | { kind: 'done'; read: PartRead; findings: Finding[] }
  | { kind: 'failed'; message: string };

/**
 * Batches handed over and not yet appended, at most: the reader waits for the appender beyond it, so a
 * part never sits whole in memory twice.
 */
export const BATCHES_IN_FLIGHT = 4;

async function main(): Promise<void> {
  const port = parentPort!;
  const job = workerData as IngestThreadJob;
  const dict = new Dictionary();
  let sentTexts = 0;
  let inFlight = 0;
  let wake: (() => void) | undefined;
  // The appending thread answers each batch once it is stored.
  port.on('message', () => {
    inFlight--;
    wake?.();
    wake = undefined;
  });
  const engine = job.detect
    ? createDetectionEngine({ kb: knowledgeBase(), config: job.detect.config })
    : undefined;
  try {
    const stream = createReadStream(job.path, { start: job.start, end: job.end - 1, highWaterMark: 1 << 20 });
    const read = await readPartLines({ path: job.path, stream, mtimeMs: job.mtimeMs }, job.opts, {
      newBatch: () => new EventBatch(dict),
      take: async (batches) => {
        for (const b of batches) {
          while (inFlight >= BATCHES_IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
          const columns = b.columnArrays();
          const message: IngestThreadMessage = {
            kind: 'batch',
            texts: dict.texts.slice(sentTexts),
            columns,
            length: b.length,
            rare: [...b.rare],
          };
          sentTexts = dict.texts.length;
          inFlight++;
          port.postMessage(
            message,
            Object.values(columns).map((c) => (c as ArrayBufferView).buffer as ArrayBuffer),
          );
        }
      },
      ...(engine ? { event: (ev, raw) => engine.push(ev, raw) } : {}),
    });
    const findings = engine ? engine.finish() : [];
    port.postMessage({ kind: 'done', read, findings } satisfies IngestThreadMessage);
  } catch (e) {
    port.postMessage({
      kind: 'failed',
      message: (e as Error).message ?? String(e),
    } satisfies IngestThreadMessage);
  }
  // Nothing more to wait for: the thread ends once its messages are out.
  port.removeAllListeners('message');
}

await main();
