// Worker threads: the report is byte-identical whatever the number of threads, on the bundled sample and
// on a generated busy-edge log (one-shot sources, noisy sources, planted scans); bad --workers values fail.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateFile, type PlantedScan } from '../bench/generate.js';
import { severityOf } from '../src/explain/index.js';
import { knowledgeBase } from '../src/knowledge/index.js';
import { mergeOutputs, runThreads, shardsOfThread, workerOldSpaceMb } from '../src/run/parallel.js';
import { runShards, SHARDS, type ShardJob } from '../src/run/shards.js';
import { ROOT, runCli } from './helpers.js';

const SAMPLE = join(ROOT, 'examples', 'sample.log');
let busy: string;
let planted: PlantedScan[];

beforeAll(async () => {
  busy = join(mkdtempSync(join(tmpdir(), 'fwlens-par-')), 'busy.log');
  planted = await generateFile(50_000, busy);
}, 60_000);

async function report(path: string, workers: number): Promise<string> {
  const r = await runCli(['analyze', path, '--json', '--workers', String(workers)]);
  expect([r.code, r.err]).toEqual([0, '']);
  return r.out;
}

describe('analyze --workers', () => {
  it('gives the same report on 1, 2 and 4 threads (bundled sample)', async () => {
    const one = await report(SAMPLE, 1);
    expect(JSON.parse(one).findings.length).toBeGreaterThan(20);
    expect(await report(SAMPLE, 2)).toBe(one);
    expect(await report(SAMPLE, 4)).toBe(one);
  }, 60_000);

  it('gives the same report on 1 and 2 threads for a busy generated log, every planted scan found', async () => {
    const one = await report(busy, 1);
    const two = await report(busy, 2);
    expect(two).toBe(one);
    const findings = JSON.parse(two).findings as { detector: string; sources: string[] }[];
    expect(planted.length).toBeGreaterThan(0);
    for (const p of planted)
      expect(findings.some((f) => f.detector === p.kind && f.sources.includes(p.source))).toBe(true);
  }, 120_000);

  it('gives every shard to exactly one thread, fewer to the thread that also runs the all-source specs', () => {
    for (let t = 1; t <= 4; t++) {
      const owned = Array.from({ length: t }, (_, i) => shardsOfThread(i, t));
      expect(owned.flat().sort((a, b) => a - b)).toEqual([...Array(SHARDS).keys()]);
      expect(owned.every((o) => o.length > 0)).toBe(true);
      if (t > 1) expect(owned[0]!.length).toBeLessThan(Math.max(...owned.slice(1).map((o) => o.length)));
    }
  });

  it('refuses a thread count it cannot use, in one sentence', async () => {
    for (const bad of ['0', '5', 'two']) {
      const r = await runCli(['analyze', SAMPLE, '--workers', bad]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/--workers takes a whole number from 1 to 4, or auto/);
    }
  });

  it('gives the same result on one worker thread (used for large files: capped heap) as in-process', async () => {
    const kb = knowledgeBase();
    const severity = (ev: Parameters<typeof severityOf>[0]) => severityOf(ev, kb);
    const job: Omit<ShardJob, 'shards'> = { paths: [busy], ingest: {}, filters: {}, now: Date.now() };
    const inProcess = mergeOutputs(
      [await runShards({ ...job, shards: [...Array(SHARDS).keys()] }, kb)],
      severity,
    );
    const threaded = mergeOutputs(await runThreads(job, 1, severity), severity);
    expect(threaded.findings.length).toBeGreaterThan(0);
    expect(JSON.stringify(threaded.findings)).toBe(JSON.stringify(inProcess.findings));
    expect(JSON.stringify(threaded.summary.result(20))).toBe(JSON.stringify(inProcess.summary.result(20)));
    expect(threaded.stats.inputs[0]?.lines).toBe(50_000);
  }, 120_000);

  it('caps a worker heap by the shards it owns, or at FWLENS_WORKER_HEAP_MB', () => {
    const all = workerOldSpaceMb([...Array(SHARDS).keys()]);
    // One thread holding every shard gets room above the ~185 MB live state measured at 1 M lines.
    expect(all).toBeGreaterThanOrEqual(370);
    const [zero, rest] = [shardsOfThread(0, 2), shardsOfThread(1, 2)];
    expect(workerOldSpaceMb(zero) + workerOldSpaceMb(rest)).toBeGreaterThan(all);
    expect(workerOldSpaceMb(rest)).toBeLessThan(all);
    const saved = process.env['FWLENS_WORKER_HEAP_MB'];
    process.env['FWLENS_WORKER_HEAP_MB'] = '300';
    try {
      expect(workerOldSpaceMb(zero)).toBe(300);
    } finally {
      if (saved === undefined) delete process.env['FWLENS_WORKER_HEAP_MB'];
      else process.env['FWLENS_WORKER_HEAP_MB'] = saved;
    }
  });

  it('ends with one sentence and exit code 1 when a worker thread runs out of its heap', async () => {
    const saved = process.env['FWLENS_WORKER_HEAP_MB'];
    process.env['FWLENS_WORKER_HEAP_MB'] = '8';
    try {
      const r = await runCli(['analyze', busy, '--workers', '2']);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/worker thread stopped before finishing \(.*memory.*\); .*FWLENS_WORKER_HEAP_MB/);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    } finally {
      if (saved === undefined) delete process.env['FWLENS_WORKER_HEAP_MB'];
      else process.env['FWLENS_WORKER_HEAP_MB'] = saved;
    }
  }, 60_000);
});
