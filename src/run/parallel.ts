// Parallel analyze: worker threads each read every line and own a share of the source shards; the main
// thread merges the shards in shard order, so the report is the same for any number of threads.
import type { Worker } from 'node:worker_threads';
import { SummaryBuilder, type SummarySnapshot } from '../analyze/summary.js';
import {
  type ClosedEarly,
  type DetectionConfig,
  type Finding,
  finishShards,
  type OmittedFindings,
  type ShardFindings,
} from '../detect/index.js';
import type { FwEvent } from '../event.js';
import type { IngestOptions, IngestStats } from '../ingest/pipeline.js';
import { SHARDS, type ShardJob, type ShardOutput } from './shards.js';
import { startThread } from './thread.js';

/** What a worker posts: progress (the thread owning shard 0 only), then its result. */
export type WorkerMessage =
  | { type: 'progress'; lines: number; bytes: number | undefined; path: string }
  | {
      type: 'done';
      stats: IngestStats;
      excluded: number;
      summaries: [number, SummarySnapshot][];
      findings: ShardFindings[];
    };

/**
 * Old-generation heap of a worker thread, in MB: a base plus a share per source shard it owns (the thread
 * owning shard 0 also counts GLOBAL_SPECS_WEIGHT for the all-source specs). Without a cap V8 lets garbage
 * pile up to several times the live state before collecting (the live state is bounded: about 185 MB for
 * all shards at 1 M lines), and peak memory keeps rising with the input's length. Measured at 1 M lines on
 * one thread: uncapped 833 MB; a flat 200 MB cap 297 MB but 50% slower (the collector runs all the time).
 * FWLENS_WORKER_HEAP_MB sets one cap for every thread instead.
 */
export function workerOldSpaceMb(shards: number[]): number {
  const fixed = process.env['FWLENS_WORKER_HEAP_MB'];
  if (fixed !== undefined && Number(fixed) > 0) return Number(fixed);
  const weight = shards.length + (shards.includes(0) ? GLOBAL_SPECS_WEIGHT : 0);
  return Math.round(WORKER_BASE_MB + WORKER_MB_PER_SHARD * weight);
}
/** Base of workerOldSpaceMb: code, knowledge base, read buffers, the summary's fixed tables. */
const WORKER_BASE_MB = 96;
/** Per shard's worth of state in workerOldSpaceMb. */
const WORKER_MB_PER_SHARD = 32;

/**
 * Young-generation heap of each worker thread, in MB. Set explicitly: with an old-generation cap V8 would
 * otherwise shrink the young generation with it, and scavenge far more often (measured 30% slower). What a
 * scavenge copies is about the same each time (the source gate's held first packets, a detection batch), so
 * scavenging half as often copies half as much: 1 M lines, one thread, 64 -> 128 MB: 23.3 -> 21.5-21.8 s,
 * peak RSS 487 -> 519-537 MB; two threads 18.4-19.3 -> 16.2-17.6 s, 557-590 -> 675-696 MB (256 MB: no
 * clear further gain, 620-680 MB on one thread).
 */
export const WORKER_YOUNG_SPACE_MB = Number(process.env['FWLENS_WORKER_YOUNG_MB'] ?? 128);

/** A worker thread that stopped without a result (out of memory, a bug): the run cannot be completed. */
export class WorkerFailure extends Error {}

/**
 * Work of the specs only shard 0 runs (by target, by network: they see every source), in shards' worth,
 * measured on the generated benchmark log (they take about a quarter of the detection time).
 */
export const GLOBAL_SPECS_WEIGHT = 2.5;

/**
 * Shards owned by thread `i` of `threads`, in contiguous runs. The thread owning shard 0 also runs the
 * all-source specs, so it gets fewer source shards (2 threads: 0-2 and 3-7).
 */
export function shardsOfThread(i: number, threads: number): number[] {
  const t = Math.min(threads, SHARDS);
  if (t <= 1) return [...Array(SHARDS).keys()];
  const share = (SHARDS + GLOBAL_SPECS_WEIGHT) / t;
  const first = Math.min(SHARDS - (t - 1), Math.max(1, Math.round(share - GLOBAL_SPECS_WEIGHT)));
  if (i === 0) return [...Array(first).keys()];
  // The other threads split the rest evenly.
  const rest = SHARDS - first;
  const from = first + Math.floor(((i - 1) * rest) / (t - 1));
  const to = first + Math.floor((i * rest) / (t - 1));
  return Array.from({ length: to - from }, (_, k) => from + k);
}

/** Start the shard worker script beside this module (see startThread). */
function startWorker(workerData: ShardJob & { reportProgress: boolean }): Worker {
  const resourceLimits = {
    maxOldGenerationSizeMb: workerOldSpaceMb(workerData.shards),
    maxYoungGenerationSizeMb: WORKER_YOUNG_SPACE_MB,
  };
  return startThread(import.meta.url, 'shard-worker', { workerData, resourceLimits });
}

/**
 * Run one pass per thread and return every thread's output. Also used with one thread for large files:
 * the pass then runs under the worker's heap cap, so memory stays flat however long the input.
 */
export async function runThreads(
  job: Omit<ShardJob, 'shards'>,
  threads: number,
  severity: (ev: FwEvent) => number,
  onProgress?: IngestOptions['onProgress'],
): Promise<ShardOutput[]> {
  const runs = Array.from({ length: Math.min(threads, SHARDS) }, (_, i) => {
    const worker = startWorker({
      ...job,
      shards: shardsOfThread(i, threads),
      reportProgress: i === 0 && !!onProgress,
    });
    return new Promise<ShardOutput>((resolve, reject) => {
      let done = false;
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'progress') void onProgress?.(m.lines, m.bytes, m.path);
        else {
          done = true;
          const summaries = new Map(
            m.summaries.map(([s, snap]) => [s, SummaryBuilder.revive(snap, severity)]),
          );
          resolve({ stats: m.stats, excluded: m.excluded, summaries, findings: m.findings });
        }
      });
      worker.on('error', (e) => reject(new WorkerFailure(e.message || String(e))));
      worker.on('exit', (code) => {
        if (!done) reject(new WorkerFailure(`worker thread ${i} stopped (exit code ${code})`));
      });
    });
  });
  return Promise.all(runs);
}

/** Merge the passes' shards in shard order: the summary, the findings (sorted and merged), the stats. */
export function mergeOutputs(
  outputs: ShardOutput[],
  severity: (ev: FwEvent) => number,
  config?: DetectionConfig,
): {
  stats: IngestStats;
  excluded: number;
  summary: SummaryBuilder;
  findings: Finding[];
  omitted: OmittedFindings[];
  closedEarly: ClosedEarly[];
} {
  const first = outputs.find((o) => o.summaries.has(0)) ?? outputs[0]!;
  const summary = new SummaryBuilder(severity);
  const byShard = new Map<number, ShardFindings>();
  const builders = new Map<number, SummaryBuilder>();
  for (const o of outputs) {
    for (const [s, b] of o.summaries) builders.set(s, b);
    for (const f of o.findings) byShard.set(f.shard, f);
  }
  const shards: ShardFindings[] = [];
  for (let s = 0; s < SHARDS; s++) {
    const b = builders.get(s);
    if (b) summary.absorb(b);
    const f = byShard.get(s);
    if (f) shards.push(f);
  }
  const { findings, omitted, closedEarly } = finishShards(shards, config);
  return {
    stats: first.stats,
    excluded: first.excluded,
    summary,
    findings,
    omitted,
    closedEarly,
  };
}
