// One stage of analyze run over a log `runs` times in one process (bundled and run by bench/instructions.ts
// under cachegrind): `node instr-stage.mjs <stage> <log> <runs>`. It prints a digest of what the stage made,
// so two builds compared instruction for instruction can be seen to give the same answer. With
// FWLENS_ALLOC_PROFILE=<file> it also writes a sampling profile of every allocation the measured passes made,
// the collected ones included (bench/allocations.ts reads it).
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { SummaryBuilder } from '../src/analyze/summary.js';
import { createDetectionEngine } from '../src/detect/index.js';
import type { FwEvent } from '../src/event.js';
import { severityOf } from '../src/explain/index.js';
import { ingest } from '../src/ingest/pipeline.js';
import { knowledgeBase } from '../src/knowledge/index.js';
import { runShards, SHARDS } from '../src/run/shards.js';
import { shardOf } from '../src/util/shard.js';

const [stage, log, runsText] = process.argv.slice(2);
const runs = Number(runsText ?? 1);
const kb = knowledgeBase();
const year = 2026;
const digest = createHash('sha256');

const profilePath = process.env['FWLENS_ALLOC_PROFILE'];
let session: Session | undefined;
/** Start the allocation profile (when asked for): called after the events are read, before the passes. */
async function begin(): Promise<void> {
  // A full collection first (bench/instructions.ts runs node with --expose-gc and a young generation that
  // starts at 1 GB, so the passes do not collect): what came before leaves no garbage for the passes to pay for.
  (globalThis as { gc?: () => void }).gc?.();
  if (!profilePath) return;
  session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 16_384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  } as { samplingInterval: number });
}

/** The log's events, read once before the measured passes (for the stages that start from events). */
async function events(): Promise<{ evs: FwEvent[]; raws: string[] }> {
  const evs: FwEvent[] = [];
  const raws: string[] = [];
  await ingest([{ path: log! }], {
    year,
    onEvent: (ev, raw) => {
      evs.push(ev);
      raws.push(raw);
    },
  });
  return { evs, raws };
}

if (stage === 'ingest') {
  await begin();
  for (let r = 0; r < runs; r++) {
    let n = 0;
    const stats = await ingest([{ path: log! }], { year, onEvent: () => n++ });
    digest.update(`${n}:${stats.lines}`);
  }
} else if (stage === 'summary') {
  const { evs, raws } = await events();
  await begin();
  const severity = (ev: FwEvent) => severityOf(ev, kb);
  for (let r = 0; r < runs; r++) {
    const shards = Array.from({ length: SHARDS }, () => new SummaryBuilder(severity, SHARDS));
    for (let i = 0; i < evs.length; i++) shards[shardOf(evs[i]!.sourceIp, SHARDS)]!.add(evs[i]!, raws[i]!);
    const all = new SummaryBuilder(severity);
    for (const s of shards) all.absorb(s);
    digest.update(JSON.stringify(all.result()));
  }
} else if (stage === 'engine') {
  const { evs, raws } = await events();
  await begin();
  for (let r = 0; r < runs; r++) {
    const engine = createDetectionEngine({ kb, shardCount: SHARDS });
    for (let i = 0; i < evs.length; i++) engine.push(evs[i]!, raws[i]!);
    digest.update(JSON.stringify(engine.finish()));
  }
} else if (stage === 'full') {
  await begin();
  for (let r = 0; r < runs; r++) {
    const shards = [...Array(SHARDS).keys()];
    const out = await runShards({ paths: [log!], ingest: { year }, filters: {}, now: 0, shards }, kb);
    digest.update(JSON.stringify(out.findings));
    for (const s of out.summaries.values()) digest.update(JSON.stringify(s.result()));
  }
} else {
  process.stderr.write(`unknown stage ${stage}: ingest, summary, engine or full\n`);
  process.exit(2);
}
if (session) {
  const { profile } = await session.post('HeapProfiler.stopSampling');
  writeFileSync(profilePath!, JSON.stringify(profile));
}
process.stdout.write(`${stage} x${runs} digest ${digest.digest('hex').slice(0, 16)}\n`);
