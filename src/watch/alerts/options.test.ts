// CLI-style alert flags into AlerterOptions, and the terminal line in both languages.

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { schemaValidator } from '../../../test/support/schemas.js';
import { alerterOptionsFromFlags, alertId, createAlerter, parseDuration, terminalLine } from './index.js';
import { ndjsonSink } from './sinks/ndjson.js';
import { makeFinding } from './test-support.js';

describe('alerterOptionsFromFlags', () => {
  it('turns every flag into options', () => {
    const o = alerterOptionsFromFlags({
      stateDir: '/var/lib/fwlens',
      lang: 'zh',
      minSeverity: 'high',
      webhook: ['https://hooks.example.org/a', 'http://127.0.0.1:9000/b'],
      webhookHeader: 'Authorization: Bearer t0k3n',
      exec: `/usr/local/bin/notify --to 'ops team'`,
      execTimeout: '5s',
      ndjson: '/var/log/fwlens/alerts.ndjson',
      digest: '15m',
      dedup: '1h',
      block: 'nft',
      apply: true,
      blockSeverity: 'critical',
      blockTimeout: '2h',
      blockAllow: 'private,cgnat',
      config: { trustedNetworks: ['192.0.2.0/24'], ownNetworks: ['198.51.100.0/24'], ownAddresses: [] },
    });
    expect(o.minSeverity).toBe(4);
    expect(o.digestMs).toBe(15 * 60_000);
    expect(o.policy).toEqual({ dedupMs: 3600_000 });
    expect(o.sinks?.map((s) => s.type)).toEqual(['terminal', 'ndjson', 'webhook', 'webhook', 'exec']);
    expect(o.sinks?.[2]).toMatchObject({
      url: 'https://hooks.example.org/a',
      headers: { authorization: 'Bearer t0k3n' },
    });
    expect(o.sinks?.[4]).toMatchObject({
      argv: ['/usr/local/bin/notify', '--to', 'ops team'],
      timeoutMs: 5000,
    });
    expect(o.respond).toMatchObject({
      backend: 'nft',
      apply: true,
      minSeverity: 5,
      timeoutSeconds: 7200,
      allowClasses: ['private', 'cgnat'],
      trustedNetworks: ['192.0.2.0/24'],
      ownNetworks: ['198.51.100.0/24'],
    });
  });

  it('keeps stdout for NDJSON when it is "-" and can drop the terminal lines', () => {
    const o = alerterOptionsFromFlags({ stateDir: '/s', ndjson: '-', quiet: true });
    expect(o.sinks).toEqual([{ type: 'ndjson', stream: process.stdout }]);
  });

  it('names the first bad value in one sentence', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ minSeverity: 'loud' }, /--min-severity takes 1-5 or info, low, medium, high, critical, not "loud"/],
      [{ digest: 'soon' }, /--digest takes a duration such as 30s, 15m, 1h or 2d, not "soon"/],
      [{ webhook: 'file:///etc/passwd' }, /must start with http:\/\/ or https:\/\//],
      [{ block: 'iptables' }, /--block takes nft or ipset, not "iptables"/],
      [{ apply: true }, /--apply needs --block nft or --block ipset/],
      [{ block: 'nft', blockAllow: 'public' }, /--block-allow takes private, loopback/],
      [{ exec: `notify 'x` }, /unclosed ' quote/],
      [{ webhookHeader: 'no colon' }, /--webhook-header takes "Name: value"/],
    ];
    for (const [flags, message] of bad)
      expect(() => alerterOptionsFromFlags({ stateDir: '/s', ...flags })).toThrow(message);
    expect(() => alerterOptionsFromFlags({ stateDir: '/s', lang: 'zh', minSeverity: 'x' })).toThrow(
      /--min-severity 的取值/,
    );
    expect(() => alerterOptionsFromFlags({ stateDir: '/s', lang: 'zh', digest: 'x' })).toThrow(
      '--digest 需要 30s、15m、1h、2d 这样的时长,而不是“x”',
    );
    expect(() => alerterOptionsFromFlags({ stateDir: '/s', lang: 'zh', apply: true })).toThrow(
      /--apply 需要/,
    );
  });

  it('reads durations', () => {
    expect(parseDuration('--x', '90')).toBe(90_000);
    expect(parseDuration('--x', '500ms')).toBe(500);
    expect(parseDuration('--x', '2d')).toBe(172_800_000);
    expect(() => parseDuration('--x', '0s')).toThrow(/--x takes a duration/);
  });
});

describe('createAlerter without sinks or state dir', () => {
  it('writes terminal lines, or NDJSON with json, to the given stdout; carries the episode id; needs a state dir only for queues', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => {
      text += c.toString();
    });
    const human = createAlerter({ lang: 'en', stdout: out });
    await human.announce({ kind: 'new', finding: makeFinding(), id: 'ep-1' });
    await human.close();
    expect(text).toMatch(/^fwlens \[4 high\] new vertical-scan: Vertical port scan;/);
    text = '';
    const machine = createAlerter({ lang: 'zh', json: true, stdout: out, minSeverity: 5 });
    await machine.announce({ kind: 'update', finding: makeFinding({ severity: 5 }), id: 'ep-1' });
    await machine.announce({ kind: 'update', finding: makeFinding({ severity: 4 }), id: 'ep-2' });
    await machine.close();
    const docs = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { message: string; fwlens: { alert: unknown } });
    expect(docs).toHaveLength(1);
    expect(docs[0]!.message).toBe('纵向端口扫描');
    expect(docs[0]!.fwlens.alert).toEqual({
      id: alertId('update', makeFinding({ severity: 5 })),
      kind: 'update',
      episode: 'ep-1',
    });
    const schemas = schemaValidator();
    expect(schemas.validate('finding.schema.json', docs[0]), schemas.errors()).toBe(true);
    expect(() =>
      createAlerter({ lang: 'en', sinks: [{ type: 'webhook', url: 'http://127.0.0.1:9/' }] }),
    ).toThrow('webhook and exec alerts and digests need a state directory (for their queues)');
  });
});

describe('terminal line', () => {
  const f = makeFinding({
    sources: ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4', '203.0.113.5'],
  });
  const m = { type: 'finding', id: 'x', kind: 'new', finding: f, at: 0 } as const;
  it('says severity, detector, title, sources and count in one line, in English and Chinese', () => {
    expect(terminalLine(m, 'en')).toBe(
      'fwlens [4 high] new vertical-scan: Vertical port scan; from 203.0.113.1, 203.0.113.2, 203.0.113.3 +2 more; 30 events, last 2026-12-05 01:02:00 UTC',
    );
    expect(terminalLine({ ...m, kind: 'update' }, 'zh')).toBe(
      'fwlens [4 高] 告警更新 vertical-scan:纵向端口扫描;来源 203.0.113.1, 203.0.113.2, 203.0.113.3 另 2 个;30 条事件,最近一次 2026-12-05 01:02:00 UTC',
    );
  });
  it('shows hostile log text visibly: no ESC, no line break, no bidi override reaches the terminal', () => {
    const hostile = makeFinding({
      title: { en: 'scan\x1b[2J\nfake line\u202eevil', zh: 'x' },
      sources: ['203.0.113.1\x07'],
    });
    const line = terminalLine({ ...m, finding: hostile }, 'en');
    expect(line).toContain('scan␛[2J␊fake line<U+202E>evil');
    expect(line).toContain('203.0.113.1␇');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: none may be left
    expect(line).not.toMatch(/[\x00-\x1f\x7f\u202e]/);
  });
  it('watch --json: the alert document carries hostile evidence (a syslog host name) as escapes, exactly', async () => {
    // The host name of a received syslog message is the sender's choice: U+009B (8-bit CSI) and an RLO.
    const text =
      'Dec  5 01:02:00 fw\u009b2J\u202eevil kernel: IN=eth0 SRC=203.0.113.7 DST=192.0.2.10 PROTO=TCP DPT=22';
    const hostile = makeFinding({ evidence: [{ file: 'udp://127.0.0.1:5514', line: 1, text }] });
    const out = new PassThrough();
    let written = '';
    out.on('data', (d) => {
      written += d;
    });
    await ndjsonSink('en', undefined, out).write({ ...m, finding: hostile });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: none may be left raw
    expect(written).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/);
    expect(written).toContain('fw\\u009b2J\\u202eevil kernel');
    expect(JSON.stringify(JSON.parse(written))).toContain(JSON.stringify(text).slice(1, -1));
  });
});
