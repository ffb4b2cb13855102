// Worker threads: the report is byte-identical whatever the number of threads, on the bundled sample and
// on a generated busy-edge log (one-shot sources, noisy sources, planted scans); bad --workers values fail.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateFile, type PlantedScan } from '../bench/generate.js';
import { threadsOverCores } from '../src/cli/analyze.js';
import { defaultDetectionConfig } from '../src/detect/config.js';
import { severityOf } from '../src/explain/index.js';
import { knowledgeBase } from '../src/knowledge/index.js';
import { mergeOutputs, runThreads, shardsOfThread, workerOldSpaceMb } from '../src/run/parallel.js';
import { runShards, SHARDS, type ShardJob } from '../src/run/shards.js';
import { nfLine, type Pkt } from './detect-helpers.js';
import { ROOT, runCli } from './helpers.js';

const SAMPLE = join(ROOT, 'examples', 'sample.log');
/** The sentence said when a run asks for more threads than cores. */
const OVER_CORES = /^fwlens: \d+ threads on \d+ cores: every thread reads every line, .*\n/;
let busy: string;
let planted: PlantedScan[];

beforeAll(async () => {
  busy = join(mkdtempSync(join(tmpdir(), 'fwlens-par-')), 'busy.log');
  planted = await generateFile(50_000, busy);
}, 60_000);

async function report(path: string, workers: number): Promise<string> {
  const r = await runCli(['analyze', path, '--json', '--workers', String(workers)]);
  // More threads than cores is said on stderr (a CI machine may have 2 cores); nothing else may be.
  expect([r.code, r.err.replace(OVER_CORES, '')]).toEqual([0, '']);
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

  it('says when the threads asked for are more than the cores, and only then', async () => {
    expect(threadsOverCores(4, 2)).toEqual({ threads: 4, cores: 2 });
    expect(threadsOverCores(3, 2)).toEqual({ threads: 3, cores: 2 });
    expect(threadsOverCores(2, 2)).toBeUndefined();
    expect(threadsOverCores(1, 1)).toBeUndefined();
    const cores = availableParallelism();
    const over = await runCli(['analyze', SAMPLE, '--json', '--workers', String(Math.min(cores + 1, 4))]);
    if (cores < 4) {
      expect(over.err).toMatch(OVER_CORES);
      expect(over.err).toContain(`${cores + 1} threads on ${cores} cores`);
    }
    const fits = await runCli(['analyze', SAMPLE, '--json', '--workers', String(Math.min(cores, 4))]);
    expect([fits.code, fits.err]).toEqual([0, '']);
    const zh = await runCli(['analyze', SAMPLE, '--json', '--lang', 'zh', '--workers', '4']);
    if (cores < 4) expect(zh.err).toContain(`4 个线程跑在 ${cores} 个核上`);
  }, 60_000);

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

  it('a pass over some shards finds what a pass over all finds for them, replies to our own traffic included', async () => {
    // Our host 192.0.2.10 opens connections that are answered (return traffic, remembered by the outbound
    // memory whatever shard our address falls in); 30 other hosts send it answers it never asked for
    // (backscatter); a LAN host behind it is forwarded out and answered; 6 sources scan it.
    const us = '192.0.2.10';
    const pkts: Pkt[] = [];
    for (let i = 0; i < 40; i++) {
      const server = `198.51.100.${i + 1}`;
      pkts.push({
        t: i * 7,
        src: us,
        dst: server,
        proto: 'TCP',
        spt: 50_000 + i,
        dpt: 443,
        inIf: '',
        outIf: 'eth0',
      });
      pkts.push({
        t: i * 7 + 0.2,
        src: server,
        dst: us,
        proto: 'TCP',
        spt: 443,
        dpt: 50_000 + i,
        flags: 'ACK SYN',
      });
      pkts.push({
        t: i * 7 + 0.3,
        src: server,
        dst: us,
        proto: 'TCP',
        spt: 443,
        dpt: 50_000 + i,
        flags: 'ACK RST',
      });
    }
    for (let i = 0; i < 30; i++)
      for (let k = 0; k < 4; k++)
        pkts.push({
          t: 20 + i * 9 + k,
          src: `203.0.113.${i + 100}`,
          dst: us,
          proto: 'TCP',
          spt: 80,
          dpt: 30_000 + i * 4 + k,
          flags: 'ACK SYN',
        });
    for (let i = 0; i < 20; i++) {
      pkts.push({
        t: 5 + i * 11,
        src: '10.0.0.45',
        dst: `198.51.100.${i + 100}`,
        proto: 'UDP',
        spt: 40_000 + i,
        dpt: 53,
        inIf: 'eth1',
        outIf: 'eth0',
      });
      pkts.push({
        t: 5.1 + i * 11,
        src: `198.51.100.${i + 100}`,
        dst: us,
        proto: 'UDP',
        spt: 53,
        dpt: 40_000 + i,
      });
    }
    for (let s = 0; s < 6; s++)
      for (let port = 1; port <= 40; port++)
        pkts.push({
          t: 100 + s * 50 + port * 0.1,
          src: `203.0.113.${s + 1}`,
          dst: us,
          proto: 'TCP',
          spt: 41_000 + s,
          dpt: port,
        });
    const path = join(mkdtempSync(join(tmpdir(), 'fwlens-shards-')), 'ours.log');
    writeFileSync(
      path,
      `${pkts
        .sort((a, b) => a.t - b.t)
        .map(nfLine)
        .join('\n')}\n`,
    );
    const kb = knowledgeBase();
    const severity = (ev: Parameters<typeof severityOf>[0]) => severityOf(ev, kb);
    const own = { ...defaultDetectionConfig(), ownNetworks: ['192.0.2.0/24'] };
    for (const config of [undefined, own]) {
      const job: Omit<ShardJob, 'shards'> = {
        paths: [path, SAMPLE],
        ingest: {},
        filters: {},
        now: Date.now(),
        config,
      };
      const all = mergeOutputs(
        [await runShards({ ...job, shards: [...Array(SHARDS).keys()] }, kb)],
        severity,
        config,
      );
      const detectors = new Set(all.findings.map((f) => f.detector));
      expect(detectors.has('backscatter')).toBe(true);
      expect(detectors.has('vertical-scan')).toBe(true);
      for (const threads of [2, 3, 4]) {
        const parts = await Promise.all(
          Array.from({ length: threads }, (_, i) =>
            runShards({ ...job, shards: shardsOfThread(i, threads) }, kb),
          ),
        );
        const merged = mergeOutputs(parts, severity, config);
        expect(JSON.stringify(merged.findings), `${threads} threads`).toBe(JSON.stringify(all.findings));
        expect(JSON.stringify(merged.summary.result(20))).toBe(JSON.stringify(all.summary.result(20)));
      }
    }
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
