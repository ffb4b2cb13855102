// One analysis pass over the inputs for a set of source shards: parse every line, keep the events whose
// source hashes to an owned shard in that shard's summary, feed the detection engine. The same code runs
// in-process (all shards) and in each worker thread (its share), so the merged result does not depend on
// how many threads ran it.

import { eventMatcher, type FilterFlags, isEmptyFilter, parseFilters } from '../analyze/filters.js';
import { SummaryBuilder } from '../analyze/summary.js';
import { ContextEnricher, type ContextScoringJob, eventSeverity } from '../context/enrich.js';
import {
  createDetectionEngine,
  type DetectionConfig,
  type ShardFindings,
  SOURCE_SHARDS,
} from '../detect/index.js';
import type { FwEvent } from '../event.js';
import type { InputSource } from '../ingest/lines.js';
import { type IngestOptions, type IngestStats, ingest } from '../ingest/pipeline.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import { shardOf } from '../util/shard.js';

/**
 * Shards of the source addresses (the detection engine's, `SOURCE_SHARDS`). Fixed (not the thread count):
 * each shard keeps its own bounded state, so 1, 2 or 4 threads give byte-identical reports.
 */
export const SHARDS = SOURCE_SHARDS;
/** Most threads a run uses (`--workers`). */
export const MAX_THREADS = 4;

/** What one pass needs; plain data, so it can be posted to a worker thread. */
export interface ShardJob {
  paths: string[];
  ingest: Pick<
    IngestOptions,
    'format' | 'mapping' | 'year' | 'utcOffsetMinutes' | 'timeZone' | 'maxLineBytes'
  >;
  filters: FilterFlags;
  /** Wall-clock time the run started: anchors ages like `--since 24h` the same way in every thread. */
  now: number;
  config?: DetectionConfig;
  /** Shards this pass owns (a subset of 0..SHARDS-1). */
  shards: number[];
  /** Score events with their far end's context (lists, research scanners), as the report explains them. */
  context?: ContextScoringJob;
}

/** What one pass found, per shard. */
export interface ShardOutput {
  /** Line accounting of the inputs (the same in every pass: each pass reads every line). */
  stats: IngestStats;
  /** Events left out by the filters (counted by the pass that owns shard 0, for all shards). */
  excluded: number;
  summaries: Map<number, SummaryBuilder>;
  /** Findings per shard, before the final sort and merge, with those left out over the bound. */
  findings: ShardFindings[];
}

/** Hooks only the in-process pass offers (they need every event on the main thread). */
export interface ShardHooks {
  /** Called for every event the filters keep, in input order. */
  onEvent?: (ev: FwEvent, raw: string) => void;
  onProgress?: IngestOptions['onProgress'];
  /** Inputs with streams (stdin, tests) instead of paths. */
  inputs?: InputSource[];
  /** The run's enricher, to score events with (instead of one made from `job.context`). */
  enricher?: ContextEnricher;
}

/** One pass's state: push events in input order, then finish with the line accounting. */
export interface ShardPass {
  push(ev: FwEvent, raw: string): void;
  finish(stats: IngestStats): ShardOutput;
}

/**
 * The per-event work of a pass (filters, summary of owned shards, detection), without the reading: files
 * feed it through `runShards`, a store feeds it its events (`analyze --store`).
 */
export function createShardPass(
  job: Pick<ShardJob, 'filters' | 'now' | 'config' | 'shards' | 'context'>,
  kb: KnowledgeBase,
  onEvent?: ShardHooks['onEvent'],
  enricher?: ContextEnricher,
): ShardPass {
  const severity = eventSeverity(
    kb,
    enricher ?? (job.context ? ContextEnricher.forScoring(kb, job.context) : undefined),
  );
  const filter = parseFilters(job.filters, job.now);
  const accepts = isEmptyFilter(filter) ? undefined : eventMatcher(filter, severity);
  const owned = new Set(job.shards);
  const countsExcluded = owned.has(0);
  const summaries = new Map<number, SummaryBuilder>();
  for (const s of job.shards) summaries.set(s, new SummaryBuilder(severity, SHARDS));
  const engine = createDetectionEngine({ kb, config: job.config, shardCount: SHARDS, shards: job.shards });
  let excluded = 0;
  return {
    push(ev, raw) {
      if (accepts && !accepts(ev)) {
        if (countsExcluded) excluded++;
        return;
      }
      const summary = summaries.get(shardOf(ev.sourceIp, SHARDS));
      if (summary) summary.add(ev, raw);
      engine.push(ev, raw);
      onEvent?.(ev, raw);
    },
    finish(stats) {
      return { stats, excluded, summaries, findings: engine.finishRaw() };
    },
  };
}

/** Run one pass over every input for the shards in `job.shards`. */
export async function runShards(
  job: ShardJob,
  kb: KnowledgeBase,
  hooks: ShardHooks = {},
): Promise<ShardOutput> {
  const pass = createShardPass(job, kb, hooks.onEvent, hooks.enricher);
  const stats = await ingest(hooks.inputs ?? job.paths.map((path) => ({ path })), {
    ...job.ingest,
    onEvent: (ev, raw) => pass.push(ev, raw),
    onProgress: hooks.onProgress,
  });
  return pass.finish(stats);
}
