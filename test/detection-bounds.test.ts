// A log that reaches the detection engine's memory bounds (live groups, values held): every output says how
// many groups were judged early and by which bound, in both languages, and 1 and 2 worker threads agree.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nfLine, type Pkt } from './detect-helpers.js';
import { ROOT, runCli } from './helpers.js';
import { schemaValidator } from './support/schemas.js';

let dir: string;
let log: string;
let config: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fwlens-bounds-'));
  log = join(dir, 'wide.log');
  config = join(dir, 'bounds.yaml');
  const pkts: Pkt[] = [];
  // 300 sources, one after another, four ports each within a second: more live groups than the bound.
  for (let i = 0; i < 300; i++)
    for (let k = 0; k < 4; k++)
      pkts.push({
        t: i * 0.2 + k * 0.01,
        src: `198.51.100.${(i % 250) + 1}`,
        dst: `192.0.2.${(i % 5) + 1}`,
        proto: 'TCP',
        dpt: 1000 + k,
        spt: 40000 + i,
      });
  // Three sources each sweeping 1,500 ports of one host: groups holding more values than the bound.
  for (let p = 0; p < 1500; p++)
    for (let s = 0; s < 3; s++)
      pkts.push({
        t: 200 + p * 0.2 + s * 0.05,
        src: `203.0.113.${s + 1}`,
        dst: '192.0.2.10',
        proto: 'TCP',
        dpt: 2000 + p,
      });
  pkts.sort((a, b) => a.t - b.t);
  writeFileSync(log, `${pkts.map(nfLine).join('\n')}\n`);
  writeFileSync(config, 'maxGroupsPerDetector: 100\nmaxValuesPerDetector: 1000\n');
});

const analyze = async (...extra: string[]) => {
  const r = await runCli(['analyze', log, '--config', config, ...extra]);
  expect(r.code).toBe(0);
  return r;
};

describe('analyze of a log that reaches the detection bounds', () => {
  it('says in --json per detector how many groups each bound closed early', async () => {
    const one = (await analyze('--json', '--workers', '1')).out;
    expect((await analyze('--json', '--workers', '2')).out).toBe(one);
    const report = JSON.parse(one);
    const schemas = schemaValidator();
    expect(schemas.validate('report.schema.json', report), schemas.errors()).toBe(true);
    const early: { detector: string; groups: number; values: number }[] = report.detectionClosedEarly;
    const vertical = early.find((e) => e.detector === 'vertical-scan')!;
    expect(vertical.groups).toBeGreaterThan(0);
    expect(vertical.values).toBeGreaterThan(0);
    // The wide sweeps are still found, each as one finding (later episodes merged by the cooldown).
    const sweeps = report.findings.filter(
      (f: { detector: string; sources: string[] }) =>
        f.detector === 'vertical-scan' && f.sources[0]!.startsWith('203.0.113.'),
    );
    expect(sweeps.map((f: { sources: string[] }) => f.sources[0]).sort()).toEqual([
      '203.0.113.1',
      '203.0.113.2',
      '203.0.113.3',
    ]);
    // With the default bounds nothing is closed early, and the report has no such field.
    const free = JSON.parse((await runCli(['analyze', log, '--json'])).out);
    expect(free.detectionClosedEarly).toBeUndefined();
    const sample = JSON.parse(
      (await runCli(['analyze', join(ROOT, 'examples', 'sample.log'), '--json'])).out,
    );
    expect(sample.detectionClosedEarly).toBeUndefined();
  }, 60_000);

  it('says so when the log is ingested into a store, and not with the default bounds', async () => {
    const bounded = await runCli(['ingest', log, '--store', join(dir, 'bounded.duckdb'), '--config', config]);
    expect(bounded.code).toBe(0);
    expect((bounded.out + bounded.err).replace(/\s+/g, ' ')).toMatch(
      /wide\.log: [\d,]+ groups of the detection engine judged before their window ended, because a memory bound was reached/,
    );
    const free = await runCli(['ingest', log, '--store', join(dir, 'free.duckdb')]);
    expect(free.code).toBe(0);
    expect(free.out + free.err).toMatch(/findings? stored/);
    expect(free.out + free.err).not.toMatch(/judged before their window ended/);
  }, 60_000);

  it('says so in the terminal report, in English and Chinese, and in --ndjson and the HTML report', async () => {
    const en = (await analyze()).out.replace(/\s+/g, ' ');
    expect(en).toMatch(
      /Memory bounds of the detection engine were reached: [\d,]+ groups judged before their window ended \(.*vertical-scan [\d,]+.*; [\d,]+ over maxGroupsPerDetector, [\d,]+ over maxValuesPerDetector in --config\)/,
    );
    const zh = (await analyze('--lang', 'zh')).out.replace(/\s+/g, '');
    expect(zh).toMatch(/检测引擎达到了内存上限:[\d,]+个分组在时间窗口结束前就被判定\(.*vertical-scan[\d,]+/);
    const lines = (await analyze('--ndjson')).out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const metric = lines.filter((d) => d.event?.dataset === 'fwlens.detection_closed_early');
    expect(metric.map((d) => d.rule.id)).toContain('vertical-scan');
    const schemas = schemaValidator();
    for (const d of metric)
      expect(schemas.validate('detection-closed-early.schema.json', d), schemas.errors()).toBe(true);
    const html = join(dir, 'r.html');
    await analyze('--html', html);
    expect(readFileSync(html, 'utf8')).toMatch(
      /<p class="muted closed-early">.*?Memory bounds of the detection engine were reached: [\d,]+ groups judged before their window ended \(.*?vertical-scan [\d,]+/,
    );
  }, 60_000);
});
