// The findings `fwlens ingest` stores for a file are the findings `fwlens analyze` reports for it: the same
// detection over the same source shards, also when the detectors' bounds are reached.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateFile } from '../../bench/generate.js';
import { type DetectionConfig, defaultDetectionConfig, type Finding, finishShards } from '../detect/index.js';
import { knowledgeBase } from '../knowledge/index.js';
import { runShards, SHARDS } from '../run/shards.js';
import { openDuckDbStore } from './duckdb.js';
import { ingestIntoStore } from './ingest.js';

const kb = knowledgeBase();
const key = (f: Finding) =>
  JSON.stringify([f.detector, f.sources, f.targets, f.ports, f.firstSeen, f.lastSeen, f.counts, f.severity]);

describe('findings stored by ingest', () => {
  it('are the findings analyze reports for the same file, in the same order, with small detector bounds (and as many left out)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-ingest-findings-'));
    const log = join(dir, 'busy.log');
    await generateFile(60_000, log);
    // Bounds small enough that groups are evicted: where they are counted (per shard or for all) matters.
    // And a findings bound low enough that the weakest findings of some detectors are left out.
    const config: DetectionConfig = {
      ...defaultDetectionConfig(),
      maxGroupsPerDetector: 400,
      maxFindingsPerDetector: 10,
    };
    const out = await runShards(
      {
        paths: [log],
        ingest: { year: 2026 },
        filters: {},
        now: Date.now(),
        config,
        shards: [...Array(SHARDS).keys()],
      },
      kb,
    );
    const finished = finishShards(out.findings, config);
    const reported = finished.findings;
    expect(reported.length).toBeGreaterThan(10);
    // Groups the bound closed early, as analyze counts them: the ingest says as many.
    const closedEarly = finished.closedEarly.reduce((n, c) => n + c.groups + c.values, 0);
    expect(closedEarly).toBeGreaterThan(0);
    // Findings over the bound, as analyze counts them: the ingest counts as many, never silently none.
    const omitted = finished.omitted.reduce((n, o) => n + o.findings, 0);
    expect(omitted).toBeGreaterThan(0);
    // In this thread and in an ingest thread.
    for (const thread of [false, true]) {
      const store = await openDuckDbStore(join(dir, `${thread}.duckdb`));
      try {
        const [o] = await ingestIntoStore(store, [log], {
          kb,
          config,
          year: 2026,
          thread,
          threadMinBytes: 0,
        });
        expect(o!.findings).toBe(reported.length);
        expect(o!.closedEarly, `thread ${thread}`).toBe(closedEarly);
        expect(o!.omittedFindings, `thread ${thread}`).toBe(omitted);
        expect((await store.findings()).map(key), `thread ${thread}`).toEqual(reported.map(key));
      } finally {
        await store.close();
      }
    }
  }, 120_000);
});
