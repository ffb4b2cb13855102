// The Chinese report says everything in Chinese: non-traffic kinds, damaged-line reasons, scan names, the
// data footer and the HTML technique field, with measure words and table headers that line up.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { reasonText } from '../src/formats/damaged.js';
import { flowEvent, parseJsonObject } from '../src/formats/flow-record.js';
import type { ParseError } from '../src/formats/types.js';
import { hasMessage, type Message, nonTrafficKindText, nonTrafficKindZh } from '../src/i18n.js';
import { analyze } from '../src/index.js';
import { renderHtml } from '../src/report/html/index.js';
import type { Report } from '../src/report/model.js';
import { displayWidth, renderText } from '../src/report/text.js';
import { CORPUS, HAVE_CORPUS, ingestFiles, ingestText } from './helpers.js';

const SAMPLE = 'examples/sample.log';
/** Fixtures holding non-traffic records of several vendors and damaged netfilter lines. */
const MIXED = [
  'test/fixtures/fortigate/utm-anomaly-events.log',
  'test/fixtures/aws-vpc-flow/custom-header.log',
  'test/fixtures/aws-vpc-flow/v5-all-fields.log',
  'test/fixtures/checkpoint/log-exporter-catalog.log',
  'test/fixtures/netfilter/reject.log',
  'test/fixtures/panos/reject.log',
];

/** English phrases the reviewer found in `--lang zh` output, and Chinese that lacked its measure word or spacing. */
const NOT_IN_ZH = [
  /\bscan \(-s[A-Z]\)/,
  /ASN data:/,
  /Country data:/,
  /modified \(compiled/,
  /, approximate\b/,
  /\d 损坏的防火墙日志行/,
  /\d 无法识别格式的行/,
  /(分钟|小时|秒|天) (一次|一个新探测|内)/,
  /。\)。/,
];

/** Damaged-line reasons the parsers give in English. */
const REASONS_IN_ENGLISH = [
  /\bis out of range\b/,
  /\bis missing\b/,
  /\bis not an? \b/,
  /truncated netfilter line/,
  /no known firewall log format/,
];

/** Kind names of non-traffic records that must not be left in English. */
const KINDS_IN_ENGLISH = [
  /\bconfiguration \d/,
  /\bauthentication \d/,
  /\bsystem event \d/,
  /\bVPN \d/,
  /\bheader \d/,
  /no data \(no traffic/,
  /VPN key exchange/,
  /not understood:/,
];

/** The first match of each pattern in a text (empty when none matches), so a failure shows the phrase, not the page. */
const found = (text: string, patterns: RegExp[]) =>
  patterns.flatMap((re) => {
    const m = re.exec(text);
    return m ? [`${re}: …${text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 20)}…`] : [];
  });

let sample: Report;
let mixed: Report;

beforeAll(async () => {
  sample = await analyze([SAMPLE], { context: true });
  mixed = await analyze(MIXED, { year: 2026 });
}, 120_000);

describe('zh terminal report', () => {
  it('of the sample leaves no English phrase or stray Chinese spacing', () => {
    const text = renderText(sample, 'zh', { color: false });
    expect(found(text, NOT_IN_ZH)).toEqual([]);
  });

  it('of vendor samples leaves no English phrase or stray Chinese spacing', () => {
    expect(found(renderText(mixed, 'zh', { color: false }), NOT_IN_ZH)).toEqual([]);
  });

  it('names non-traffic kinds in Chinese', () => {
    const text = renderText(mixed, 'zh', { color: false });
    expect(text).toContain('非流量记录');
    expect(found(text, KINDS_IN_ENGLISH)).toEqual([]);
  });

  it('gives damaged-line reasons in Chinese', () => {
    expect(found(renderText(sample, 'zh', { color: false }), REASONS_IN_ENGLISH)).toEqual([]);
  });

  it('keeps the English report in English', () => {
    const text = renderText(mixed, 'en', { color: false });
    expect(text).toMatch(/configuration \d/);
    expect(text).toMatch(/is out of range|is not a/);
  });

  it.each(['en', 'zh'] as const)('separates and aligns the table headers with their rows (%s)', (lang) => {
    const lines = renderText(sample, lang, { color: false }).split('\n');
    const headers = lines.filter((l) => /^(sev|级别)\s/.test(l));
    expect(headers.length).toBeGreaterThanOrEqual(2);
    for (const header of headers) {
      const row = lines[lines.indexOf(header) + 1]!;
      expect(row).toMatch(/^\[\d\] /);
      // The key column (port, address) starts at the same display column in the header and in the row.
      const headerKey = displayWidth(header.match(/^\S+\s+/)![0]);
      const rowKey = displayWidth(row.match(/^\[\d\]\s+/)![0]);
      expect(headerKey).toBe(rowKey);
    }
  });
});

describe('non-traffic kinds', () => {
  /** Every kind the format fixtures' expected outputs and the shared corpus give. */
  const kinds = new Set<string>();
  beforeAll(async () => {
    for (const dir of readdirSync('test/fixtures'))
      for (const f of readdirSync(`test/fixtures/${dir}`).filter((n) => n.endsWith('.expected.json')))
        for (const r of JSON.parse(readFileSync(`test/fixtures/${dir}/${f}`, 'utf8')) as { skip?: string }[])
          if (r.skip !== undefined) kinds.add(r.skip);
    if (HAVE_CORPUS) {
      const files = readdirSync(CORPUS, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .flatMap((d) =>
          readdirSync(join(CORPUS, d.name))
            .filter((f) => !f.endsWith('.expected.json'))
            .map((f) => join(CORPUS, d.name, f)),
        );
      for (const path of files)
        for (const input of (await ingestFiles([path], { year: 2026 })).stats.inputs)
          for (const kind of Object.keys(input.nonTraffic)) kinds.add(kind);
    }
  }, 120_000);

  it('each have a Chinese wording', () => {
    expect(kinds.size).toBeGreaterThan(HAVE_CORPUS ? 100 : 60);
    expect([...kinds].filter((k) => nonTrafficKindZh(k) === undefined)).toEqual([]);
  });

  it("keep the vendor's word of a templated kind and stay English in English", () => {
    expect(nonTrafficKindText('not understood: ASA-6-999001', 'zh')).toBe('未识别:ASA-6-999001');
    expect(nonTrafficKindText('zeek dns record', 'zh')).toBe('zeek dns 记录');
    expect(nonTrafficKindText('possible SYN flood on port 443: SYN cookies sent', 'zh')).toContain('443');
    expect(nonTrafficKindText('$& record', 'zh')).toBe('$& 记录');
    expect(nonTrafficKindText('configuration', 'en')).toBe('configuration');
    expect(nonTrafficKindText('toString', 'zh')).toBe('toString');
  });

  it('stay English keys in the JSON report', () => {
    const kindsOf = mixed.inputs.flatMap((i) => Object.values(i.nonTraffic ?? {}).flatMap(Object.keys));
    expect(kindsOf).toContain('configuration');
    expect(kindsOf.some((k) => /[\u4e00-\u9fff]/.test(k))).toBe(false);
  });
});

describe('damaged-line reasons', () => {
  const K = 'Jan  8 03:37:09 host kernel: [ 12.345678] ';
  const PACKET = 'SRC=192.0.2.1 DST=192.0.2.2 LEN=60 TTL=64 PROTO=TCP SPT=1 DPT=7 SYN';
  /** One damaged line for each reason the netfilter parser gives. */
  const NETFILTER = [
    `${K}IN=eth0 OUT= ${PACKET.replace('DPT=7', 'DPT=70000')}`,
    `${K}IN=eth0 OUT= ${PACKET.replace('LEN=60', 'LEN=6x0')}`,
    `${K}IN=eth0 OUT= ${PACKET.replace('TTL=64', 'TOS=0xZZ TTL=64')}`,
    `${K}IN=eth0 OUT= ${PACKET.replace('192.0.2.1', '192.0.2.999')}`,
    `${K}IN=eth0 OUT= ${PACKET} IN=eth0 OUT= ${PACKET}`,
    `${K}DROP: ${PACKET}`,
    `${K}IN=eth0 OUT= ${PACKET.replace('SRC=192.0.2.1 ', '')}`,
    `${K}IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=60 TTL=64`,
    `${K}IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=60 TTL=64 PROTO=UDP`,
    `${K}IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=60 TTL=64 PROTO=300`,
  ];
  /** Reasons of the shared flow-record helpers, as the JSON and column formats get them. */
  const shared = () => [
    flowEvent('x', 'deny', 'inbound', { sourceIp: 'example.com' }),
    flowEvent('x', 'deny', 'inbound', { destinationPort: '77777' }),
    flowEvent('x', 'deny', 'inbound', { protocol: '300' }),
    parseJsonObject('{"srcaddr": '),
    // Deep enough, and long enough, for the depth scan to refuse it before JSON.parse.
    parseJsonObject(`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`),
  ];

  const inChinese = (text: Message | undefined) => {
    expect(text?.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(found(text!.zh, REASONS_IN_ENGLISH)).toEqual([]);
  };

  it('of netfilter lines are worded in both languages, the English kept as the reason', async () => {
    const { stats } = await ingestText(`${NETFILTER.join('\n')}\n`, { year: 2026 });
    expect(stats.inputs[0]).toMatchObject({ malformed: NETFILTER.length, unrecognized: 0 });
    expect(new Set(stats.malformedSamples.map((p) => p.reason)).size).toBe(NETFILTER.length);
    for (const p of stats.malformedSamples) {
      expect(p.reasonText?.en).toBe(p.reason);
      inChinese(p.reasonText);
    }
    expect(stats.malformedSamples[0]!.reasonText).toEqual({
      en: 'DPT=70000 is out of range (0-65535)',
      zh: 'DPT=70000 超出范围(0-65535)',
    });
  });

  it('of the shared flow-record helpers are worded in both languages', () => {
    for (const r of shared()) {
      expect(r && 'error' in r).toBe(true);
      const e = r as ParseError;
      expect(reasonText(e)?.en).toBe(e.error);
      inChinese(reasonText(e));
    }
    expect((shared()[0] as ParseError).error).toBe('source address "example.com" is not an IP address');
  });
});

describe('zh HTML report', () => {
  /** The Chinese side of the page: every English-only span removed. */
  const zhSide = (html: string) => html.replace(/<span lang="en">.*?<\/span>/g, '');

  it('translates the unparsed reasons and non-traffic kinds', () => {
    const html = zhSide(renderHtml(mixed, { lang: 'zh' }));
    const unparsed = html.slice(html.indexOf('class="unparsed"'));
    expect(
      found(unparsed.slice(0, unparsed.indexOf('</section>')), [...REASONS_IN_ENGLISH, ...KINDS_IN_ENGLISH]),
    ).toEqual([]);
  });

  it('has a catalog name for every technique the detectors gave in the golden reports', () => {
    const ids = new Set<string>();
    for (const f of readdirSync('test/golden').filter((n) => n.endsWith('.json') && n !== 'corpus.json')) {
      const report = JSON.parse(readFileSync(`test/golden/${f}`, 'utf8')) as Report;
      for (const finding of report.findings ?? [])
        if (finding.technique && finding.detector !== 'firewall-alarm') ids.add(finding.technique);
    }
    expect(ids.size).toBeGreaterThan(10);
    expect([...ids].filter((id) => !hasMessage(`detect.technique.${id}`))).toEqual([]);
  });

  it('shows worded technique names, not ids', () => {
    const html = renderHtml(sample, { lang: 'zh' });
    const shown = [...html.matchAll(/<dt>.*?手法.*?<\/dt><dd>(.*?)<\/dd>/g)].map((m) => m[1]!);
    expect(shown.length).toBeGreaterThan(0);
    for (const dd of shown) expect(dd).not.toMatch(/^(?:[a-z0-9]+-)*[a-z0-9]+$|>(?:[a-z0-9]+-)*[a-z0-9]+</);
  });
});

describe('zh punctuation in the catalog and data', () => {
  it('writes half-width brackets, commas and colons as the rest of the catalog does', () => {
    const files = ['src/i18n.ts', ...readdirData()];
    const fullWidth = files.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ where: `${f}:${i + 1}`, line }))
        .filter(({ line }) => /[（），：；]/.test(line))
        .map(({ where }) => where),
    );
    expect(fullWidth).toEqual([]);
  });
});

function readdirData(): string[] {
  return readdirSync('data')
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `data/${f}`);
}
