// Context per address through the whole CLI: the report's owners, countries and labels in every output, your
// lists, the research-scanner switch, and bad input (malformed list lines, unreadable databases) said in one
// sentence while the run goes on. The log holds documentation addresses and a few real public provider addresses
// (a Censys scanner in its published prefix, a Hurricane Electric host, Google's resolver): look-ups are local.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EcsFlat } from '@elastic/ecs';
import { describe, expect, it } from 'vitest';
import { ContextEnricher } from '../src/context/enrich.js';
import { knowledgeBase } from '../src/knowledge/index.js';
import type { Report } from '../src/report/model.js';
import { ROOT, runCli } from './helpers.js';

const LOG = join(ROOT, 'test/fixtures/context/providers.log');
const dir = mkdtempSync(join(tmpdir(), 'fwlens-context-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const json = async (...args: string[]) => {
  const r = await runCli(['analyze', LOG, '--json', '--workers', '1', ...args]);
  return { ...r, report: JSON.parse(r.out) as Report };
};
const scanFinding = (r: Report) => r.findings!.find((f) => f.sources[0] === '162.142.125.10')!;

describe('analyze with context', () => {
  it('names owners, countries and research scanners, and labels documentation ranges', async () => {
    const { report, err, code } = await json();
    expect(err).toBe('');
    expect(code).toBe(0);
    const ctx = report.context!;
    expect(ctx.addresses['162.142.125.10']).toMatchObject({
      as: { number: 398324, organization: 'Censys, Inc.' },
      country: 'US',
      scanner: { id: 'censys' },
    });
    expect(ctx.addresses['8.8.8.8']?.as?.number).toBe(15169);
    expect(ctx.addresses['198.51.100.24']).toEqual({ range: 'documentation' });
    expect(ctx.topOrganizations[0]).toMatchObject({
      asn: 398324,
      events: 20,
      addresses: 1,
      scanner: { en: 'Censys' },
    });
    expect(ctx.topCountries[0]).toMatchObject({ country: 'US', addresses: 3 });
    expect(ctx.data.asn?.attribution).toMatch(/CC BY 4\.0/);
    expect(ctx.data.country?.approximate).toBe(true);
    expect(ctx.data.asn?.dataDate).toMatch(/^\d{4}-\d\d-\d\d$/);
  });
  it('lowers a research scanner finding by one with the reason, and the switch makes it noise or block-worthy', async () => {
    const plain = scanFinding(
      (
        await runCli(['analyze', LOG, '--json', '--no-context']).then((r) => ({
          report: JSON.parse(r.out) as Report,
        }))
      ).report,
    );
    const labelled = scanFinding((await json()).report);
    expect(labelled.severity).toBe(plain.severity - 1);
    expect(labelled.adjustments).toEqual([
      {
        delta: -1,
        text: { en: 'known research scanner: Censys', zh: '已知研究型扫描器:Censys 互联网测绘扫描器' },
      },
    ]);
    const noise = scanFinding(
      (await json('--config', file('noise.yaml', 'researchScanners: noise\n'))).report,
    );
    expect(noise.severity).toBe(1);
    const block = scanFinding(
      (await json('--config', file('block.yaml', 'researchScanners: block\n'))).report,
    );
    expect(block.severity).toBe(plain.severity + 1);
    expect(block.adjustments?.[0]?.text.en).toMatch(/worth blocking/);
  });
  it('keeps allow-listed partners at info, raises deny-listed actors, and names a malformed line', async () => {
    const allow = file('allow.txt', '# partners\n198.51.100.24  # lab\nAS6939\nnot/an/address\n');
    const deny = file('deny.txt', '203.0.113.66\n');
    const { report, err, code } = await json('--allow-list', allow, '--deny-list', deny);
    expect(code).toBe(0);
    expect(err.trim().split('\n')).toEqual([
      `fwlens: ${allow}:4: "not/an/address" is not an address, CIDR block or ASN (like AS64500), so that line is skipped.`,
    ]);
    const trojan = report.findings!.find((f) => f.sources[0] === '198.51.100.24')!;
    expect(trojan.severity).toBe(1);
    expect(trojan.adjustments?.[0]?.text.en).toBe(
      `trusted: 198.51.100.24 is on your allow list (${allow}:2), never above info`,
    );
    expect(report.context!.addresses['184.105.139.67']?.list).toEqual({ kind: 'allow', where: `${allow}:3` });
    expect(report.context!.addresses['203.0.113.66']?.list?.kind).toBe('deny');
  });
  it('takes lists from the config too', async () => {
    const config = file('lists.yaml', 'allowList: [198.51.100.24]\ndenyList: [AS398324]\n');
    const { report } = await json('--config', config);
    expect(report.findings!.find((f) => f.sources[0] === '198.51.100.24')!.severity).toBe(1);
    expect(scanFinding(report).adjustments?.[0]?.text.en).toMatch(
      /deny list \(.*lists\.yaml denyList\[0\]\)/,
    );
  });
  it('goes on without countries when --geoip-db cannot be read, and says so once', async () => {
    const bad = file('bad.mmdb', 'not a database');
    const { report, err, code } = await json('--geoip-db', bad);
    expect(code).toBe(0);
    expect(err).toMatch(
      new RegExp(
        `^fwlens: The country database ${bad} cannot be read \\(.+\\), so the report goes on without countries\\.\\n$`,
      ),
    );
    expect(report.context!.topCountries).toEqual([]);
    expect(report.context!.addresses['8.8.8.8']?.as?.number).toBe(15169);
  });
  it('--no-context leaves the report as it was', async () => {
    const r = await runCli(['analyze', LOG, '--json', '--no-context']);
    expect(JSON.parse(r.out)).not.toHaveProperty('context');
  });
  it('shows owners, top organisations and countries, the data date and the attribution in the text report', async () => {
    const { out } = await runCli(['analyze', LOG]);
    expect(out).toMatch(/162\.142\.125\.10 \(AS398324 Censys, Inc\., US, research scanner: Censys\)/);
    expect(out).toMatch(/why: −1 known research scanner: Censys/);
    expect(out).toMatch(/\[1\] 8\.8\.8\.8 +1 +1 +AS15169 Google LLC, US/);
    expect(out).toMatch(/198\.51\.100\.24 .*Documentation range/);
    expect(out).toContain('Top organisations');
    expect(out).toMatch(/AS398324 +20 +1 +Censys, Inc\. \(research scanner: Censys\)/);
    expect(out).toMatch(/Top countries \(approximate\)\n─+\nUS 25 \(3\)/);
    expect(out).toMatch(/Owners from the ASN data of \d{4}-\d\d-\d\d; countries are approximate\./);
    expect(out).toMatch(/ASN data: @ip-location-db\/asn \(RouteViews, DB-IP/);
  });
  it('writes ECS as.number, as.organization.name and geo.country_iso_code in NDJSON, and real ECS names only', async () => {
    const { out } = await runCli(['analyze', LOG, '--ndjson']);
    const docs = out
      .trim()
      .split('\n')
      // biome-ignore lint/suspicious/noExplicitAny: NDJSON documents are walked by field name
      .map((l) => JSON.parse(l) as Record<string, any>);
    const censys = docs.find((d) => d.event.kind === 'event' && d.source?.ip === '162.142.125.10')!;
    expect(censys.source).toMatchObject({
      as: { number: 398324, organization: { name: 'Censys, Inc.' } },
      geo: { country_iso_code: 'US' },
    });
    const alert = docs.find((d) => d.event.kind === 'alert' && d.source?.ip === '162.142.125.10')!;
    expect(alert.source.as.number).toBe(398324);
    const flat = EcsFlat as Record<string, { type: string }>;
    expect(flat['source.as.number']?.type).toBe('long');
    expect(flat['source.as.organization.name']?.type).toBe('keyword');
    expect(flat['source.geo.country_iso_code']?.type).toBe('keyword');
    expect(flat['destination.as.number']?.type).toBe('long');
    expect(flat['source.domain']?.type).toBe('keyword');
    const doc = docs.find((d) => d.source?.ip === '198.51.100.24')!;
    expect(doc.source).not.toHaveProperty('as');
  });
  it('adds owner, country and label columns to the findings CSV', async () => {
    const csv = join(dir, 'findings.csv');
    await runCli(['analyze', LOG, '--csv', csv]);
    const text = (await import('node:fs')).readFileSync(csv, 'utf8');
    const [header, ...rows] = text.trim().split('\r\n');
    const cols = header!.split(',');
    const row = rows.find((r) => r.includes('162.142.125.10'))!;
    expect(cols).toContain('source_as_number');
    expect(row).toContain(
      ',398324,"Censys, Inc.",US,research scanner: Censys,−1 known research scanner: Censys,',
    );
    expect(rows.find((r) => r.includes('198.51.100.24'))).toContain(',documentation,');
  });
});

describe('the bundled sample', () => {
  it('shows owners and countries of its research scanners and labels its documentation addresses', async () => {
    const r = await runCli(['analyze', join(ROOT, 'examples/sample.log'), '--json', '--workers', '1']);
    const ctx = (JSON.parse(r.out) as Report).context!;
    expect(ctx.topOrganizations.map((o) => [o.asn, o.organization, o.scanner?.en])).toEqual([
      [398324, 'Censys, Inc.', 'Censys'],
      [22168, 'The Shadowserver Foundation, Inc.', 'Shadowserver Foundation'],
    ]);
    expect(ctx.topCountries.length).toBeGreaterThan(0);
    const ranges = Object.values(ctx.addresses).map((a) => a.range ?? 'public');
    expect(ranges.filter((x) => x === 'documentation').length).toBeGreaterThan(10);
    expect(new Set(ranges)).toEqual(
      new Set(['documentation', 'private', 'public', 'link-local', 'unspecified', 'multicast']),
    );
    const text = await runCli(['analyze', join(ROOT, 'examples/sample.log'), '--workers', '1']);
    expect(text.out).toContain('Top organisations');
    expect(text.out).toMatch(/AS398324 +16 +1 +Censys, Inc\. \(research scanner: Censys\)/);
  });
});

describe('explain with context', () => {
  it('says who owns each address of a line and counts the research scanner once', async () => {
    const line = (await import('node:fs')).readFileSync(LOG, 'utf8').split('\n')[13]!;
    const { out, code } = await runCli(['explain', line]);
    expect(code).toBe(0);
    expect(out).toContain(
      '162.142.125.10 belongs to AS398324 (Censys, Inc.), registered in US (approximate).',
    );
    expect(out).toContain(
      '192.0.2.10 is in a documentation range: it has no owner, organisation or country on the Internet.',
    );
    expect(out.match(/research scanner/gi)).toHaveLength(1);
    const zh = await runCli(['explain', line, '--lang', 'zh']);
    expect(zh.out).toContain('162.142.125.10 属于 AS398324(Censys, Inc.),登记国家 US(近似)。');
  });
  it('--no-context explains the line without owners', async () => {
    const line = (await import('node:fs')).readFileSync(LOG, 'utf8').split('\n')[0]!;
    const { out } = await runCli(['explain', line, '--no-context']);
    expect(out).not.toContain('belongs to AS');
  });
});

describe('missing or corrupt ASN data', () => {
  const kb = knowledgeBase();
  it('a missing table without the data package: one sentence, no owners, countries still there', () => {
    const e = new ContextEnricher(kb, { asnTablePath: join(dir, 'none.bin'), asnDataDir: null });
    expect(e.problems.map((p) => p.en)).toEqual([
      'The ASN data package @ip-location-db/asn is not installed, so the report goes on without organisations (npm install @ip-location-db/asn brings it back).',
    ]);
    expect(e.of('8.8.8.8')).toEqual({ country: 'US' });
  });
  it('a corrupt table: one sentence naming it', () => {
    // The current layout's first bytes, then garbage (a table of an older layout is compiled again instead).
    const bad = file('corrupt.bin', 'FWLASN\0\x02garbage');
    const e = new ContextEnricher(kb, { asnTablePath: bad });
    expect(e.problems[0]!.en).toMatch(
      new RegExp(`^The ASN data ${bad} cannot be read \\(.+\\), so the report goes on without organisations`),
    );
    expect(e.of('8.8.8.8').as).toBeUndefined();
  });
  it('a missing table is compiled from the data package on first use', () => {
    const fresh = join(dir, 'fresh', 'asn.bin');
    const e = new ContextEnricher(kb, { asnTablePath: fresh });
    expect(e.problems).toEqual([]);
    expect(e.of('1.1.1.1').as?.number).toBe(13335);
  }, 30_000);
});
