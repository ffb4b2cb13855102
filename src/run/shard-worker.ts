// Worker-thread entry of a parallel analyze run: one pass over the inputs for this thread's shards.
import { parentPort, workerData } from 'node:worker_threads';
import { knowledgeBase } from '../knowledge/index.js';
import type { WorkerMessage } from './parallel.js';
import { runShards, type ShardJob } from './shards.js';

const job = workerData as ShardJob & { reportProgress: boolean };
const post = (m: WorkerMessage) => parentPort!.postMessage(m);
const out = await runShards(job, knowledgeBase(), {
  onProgress: job.reportProgress
    ? (lines, bytes, path) => post({ type: 'progress', lines, bytes, path })
    : undefined,
});
post({
  type: 'done',
  stats: out.stats,
  excluded: out.excluded,
  summaries: [...out.summaries].map(([i, b]) => [i, b.snapshot()]),
  findings: out.findings,
});
