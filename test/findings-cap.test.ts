// A log with more findings than the per-detector bound: every output says what was left out, in both
// languages, and 1 and 2 worker threads agree.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EcsFlat } from '@elastic/ecs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nfLine, type Pkt } from './detect-helpers.js';
import { runCli } from './helpers.js';
import { schemaValidator } from './support/schemas.js';

let dir: string;
let log: string;
let config: string;
const SOURCES = 80;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fwlens-cap-'));
  log = join(dir, 'many-scans.log');
  config = join(dir, 'cap.yaml');
  // 80 sources from a documentation range, each scanning 12-40 ports of one host, a minute apart.
  const pkts: Pkt[] = [];
  for (let i = 0; i < SOURCES; i++)
    for (let k = 0; k < 12 + (i % 29); k++)
      pkts.push({
        t: i * 60 + k * 0.3,
        src: `198.51.100.${i + 10}`,
        dst: '203.0.113.10',
        proto: 'TCP',
        spt: 40000 + i,
        dpt: 3000 + k * 11,
        df: false,
      });
  writeFileSync(log, `${pkts.map(nfLine).join('\n')}\n`);
  writeFileSync(config, 'maxFindingsPerDetector: 10\n');
});

const analyze = async (...extra: string[]) => {
  const r = await runCli(['analyze', log, '--config', config, ...extra]);
  expect(r.code).toBe(0);
  return r;
};

describe('analyze with more findings than maxFindingsPerDetector', () => {
  it('lists at most the bound per detector and says in --json how many were left out', async () => {
    const one = (await analyze('--json', '--workers', '1')).out;
    expect((await analyze('--json', '--workers', '2')).out).toBe(one);
    const report = JSON.parse(one);
    const listed = report.findings.filter((f: { detector: string }) => f.detector === 'vertical-scan');
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.length).toBeLessThanOrEqual(10);
    const omitted = report.findingsOmitted.find((o: { detector: string }) => o.detector === 'vertical-scan');
    expect(omitted.limit).toBe(10);
    const schemas = schemaValidator();
    expect(schemas.validate('report.schema.json', report), schemas.errors()).toBe(true);
    expect(omitted.findings + listed.length).toBe(SOURCES);
    // Listed and omitted packets together are every scan packet.
    const listedEvents = listed.reduce(
      (n: number, f: { counts: { events: number } }) => n + f.counts.events,
      0,
    );
    expect(listedEvents + omitted.events).toBe(report.totals.events);
    // Without the bound every source has its finding and nothing is said to be omitted.
    const free = JSON.parse((await runCli(['analyze', log, '--json'])).out);
    expect(free.findings.filter((f: { detector: string }) => f.detector === 'vertical-scan')).toHaveLength(
      SOURCES,
    );
    expect(free.findingsOmitted).toBeUndefined();
  }, 60_000);

  it('says so in the terminal report, in English and Chinese', async () => {
    const en = (await analyze()).out.replace(/\s+/g, ' ');
    expect(en).toMatch(
      /vertical-scan: \d+ weaker findings not listed anywhere \([\d,]+ packets, severity up to \d\)/,
    );
    expect(en).toContain('maxFindingsPerDetector');
    const zh = (await analyze('--lang', 'zh')).out.replace(/\s+/g, '');
    expect(zh).toMatch(/vertical-scan:另有\d+项较弱的发现未列出/);
  }, 60_000);

  it('adds one metric line per detector to --ndjson and a note under the HTML findings table', async () => {
    const lines = (await analyze('--ndjson')).out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const roll = lines.filter((d) => d.event?.dataset === 'fwlens.findings_omitted');
    expect(roll.map((d) => d.rule.id)).toContain('vertical-scan');
    expect(roll[0].event.kind).toBe('metric');
    expect(roll[0].message).toMatch(/^vertical-scan: \d+ weaker findings/);
    const schemas = schemaValidator();
    expect(schemas.validate('findings-omitted.schema.json', roll[0]), schemas.errors()).toBe(true);
    // Every field outside fwlens.* is an ECS field, and "metric" is one of ECS's event kinds.
    const ecs = EcsFlat as Record<string, { allowed_values?: { name: string }[] }>;
    for (const f of [
      'message',
      'event.kind',
      'event.dataset',
      'event.module',
      'event.severity',
      'rule.id',
      'rule.ruleset',
    ])
      expect(ecs[f], f).toBeDefined();
    expect(ecs['event.kind']!.allowed_values!.map((v) => v.name)).toContain('metric');
    const html = join(dir, 'r.html');
    await analyze('--html', html);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(
      /<p class="muted omitted">.*vertical-scan: \d+ weaker findings? not listed \([\d,]+ packets?, severity up to/,
    );
  }, 60_000);

  it('says so when the log is ingested into a store, in English and Chinese, and stores the strongest', async () => {
    const store = join(dir, 'cap.duckdb');
    const r = await runCli(['ingest', log, '--store', store, '--config', config]);
    expect(r.code).toBe(0);
    const en = (r.out + r.err).replace(/\s+/g, ' ');
    // 80 vertical scans, 10 kept: 70 left out, said with the bound that applied.
    expect(en).toMatch(
      /many-scans\.log: 70 weaker findings not stored: a detector made more than 10 findings/,
    );
    expect(en).toContain('maxFindingsPerDetector');
    // The 10 stored are the 10 analyze lists with the same bound.
    const stored = await runCli([
      'query',
      '--store',
      store,
      '--sql',
      "SELECT sources[1] AS s FROM findings WHERE detector = 'vertical-scan' ORDER BY s",
      '--json',
    ]);
    const listed = JSON.parse((await analyze('--json')).out)
      .findings.filter((f: { detector: string }) => f.detector === 'vertical-scan')
      .map((f: { sources: string[] }) => f.sources[0])
      .sort();
    expect(listed).toHaveLength(10);
    expect(JSON.parse(stored.out).map((row: { s: string }) => row.s)).toEqual(listed);
    const zh = await runCli([
      'ingest',
      log,
      '--store',
      join(dir, 'cap-zh.duckdb'),
      '--config',
      config,
      '--lang',
      'zh',
    ]);
    expect((zh.out + zh.err).replace(/\s+/g, '')).toMatch(/many-scans\.log:另有70项较弱的检测结论没有存入/);
    const free = await runCli(['ingest', log, '--store', join(dir, 'free.duckdb')]);
    expect(free.out + free.err).not.toMatch(/not stored/);
  }, 60_000);
});
