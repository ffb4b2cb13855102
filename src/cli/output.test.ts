// The terminal side of analyze: 80 columns, colour rules, both languages (errors and help), filters, --fail-on, progress.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, ttyStream } from '../../test/helpers.js';
import { eventMatcher, FilterError, parseFilters } from '../analyze/filters.js';
import type { FwEvent } from '../event.js';
import { colorEnabled, displayWidth, REPORT_WIDTH, stripAnsi, wrap } from '../report/text.js';
import { EXIT } from './main.js';
import { createProgress, PROGRESS_DELAY_MS } from './progress.js';

const SAMPLE = join(ROOT, 'examples', 'sample.log');
const FIX = join(ROOT, 'test', 'fixtures', 'netfilter');
const tmp = mkdtempSync(join(tmpdir(), 'fwlens-out-'));
const HAN = /[\u4e00-\u9fff]/;

function cli(args: string[], env: NodeJS.ProcessEnv = { LANG: 'en_US.UTF-8' }) {
  return runCli(args, { env });
}

describe('text report', () => {
  it.each(['en', 'zh'])('fits 80 columns in %s (CJK counted double), findings first', async (lang) => {
    const { code, out } = await cli(['analyze', '--lang', lang, SAMPLE, join(FIX, 'reject.log')]);
    expect(code).toBe(EXIT.inputError); // reject.log holds only damaged lines
    const lines = out.split('\n');
    const tooWide = lines.filter((l) => displayWidth(stripAnsi(l)) > REPORT_WIDTH);
    expect(tooWide).toEqual([]);
    const findings = lines.indexOf(lang === 'zh' ? '发现' : 'Findings');
    const inputs = lines.indexOf(lang === 'zh' ? '输入' : 'Inputs');
    expect(findings).toBeGreaterThan(0);
    expect(findings).toBeLessThan(inputs);
    if (lang === 'zh') {
      expect(out).toMatch(/主要目标端口/);
      // Chinese closing punctuation never starts a wrapped line.
      expect(lines.filter((l) => /^\s+[。,、;:)]/.test(l))).toEqual([]);
    }
  });

  it('aligns table columns: counts end in the same column on every row', async () => {
    const { out } = await cli(['analyze', SAMPLE]);
    const table = out
      .split('Top destination ports')[1]!
      .split('\n\n')[0]!
      .split('\n')
      .slice(2)
      .filter((row) => row.startsWith('['));
    expect(table.length).toBeGreaterThan(5);
    const ends = table.map((row) => {
      const m = /^(\[\d\] \S+\s+[\d,]+)/.exec(row);
      return m ? displayWidth(m[1]!) : -1;
    });
    expect(new Set(ends.slice(1)).size).toBe(1);
  });

  it('a port hit by more sources than are counted exactly: never more sources than events, marked as an estimate; a repeated event shape says how many sources it stands for', async () => {
    const lines = Array.from(
      { length: 100 },
      (_, i) =>
        `Nov 20 10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} edge kernel: [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:f3:0b:10:52:54:00:f3:0a:60:08:00 SRC=198.51.100.${i + 1} DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=51 ID=4242 DF PROTO=TCP SPT=40404 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0`,
    );
    const log = join(tmp, 'hundred-sources.log');
    writeFileSync(log, `${lines.join('\n')}\n`);
    const { out } = await cli(['analyze', '--no-context', log]);
    const row = out.split('\n').find((l) => l.startsWith('[3] tcp/22'))!;
    const [events, sources] = row.split(/\s+/).slice(2, 4);
    expect(events).toBe('100');
    expect(sources).toMatch(/^~\d+$/);
    expect(Number(sources!.slice(1))).toBeLessThanOrEqual(100);
    expect(out).toContain('~ estimated: sources are counted exactly up to 64 per port');
    // The notable event names its first source; the count is not credited to it alone.
    expect(out).toContain('(100 like this from 100 sources)');
    expect(out).not.toMatch(/×100/);
  });

  it('colours only when allowed: NO_COLOR wins, FORCE_COLOR forces, otherwise a TTY decides', async () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    const plain = await cli(['analyze', SAMPLE]);
    expect(plain.out.includes('\u001b[')).toBe(false);
    const forced = await cli(['analyze', SAMPLE], { LANG: 'C', FORCE_COLOR: '1' });
    expect(forced.out.includes('\u001b[31m')).toBe(true);
    expect(stripAnsi(forced.out)).toBe(plain.out);
  });

  it('wraps CJK at any character and never splits a line wider than asked', () => {
    const text = '某个来源专门敲击知名远程控制木马或后门等待主人连接的端口。'.repeat(4);
    for (const l of wrap(text, 40, '  ')) expect(displayWidth(l)).toBeLessThanOrEqual(40);
  });
});

describe('--lang zh for every line', () => {
  it('errors of a bad input come out in Chinese', async () => {
    const prose = join(tmp, 'notes.txt');
    writeFileSync(prose, 'Dear diary,\nthe firewall was quiet today.\n');
    const cases: [string[], number][] = [
      [['analyze', '--lang', 'zh', join(tmp, 'missing.log')], EXIT.inputError],
      [['analyze', '--lang', 'zh', prose], EXIT.inputError],
      [['analyze', '--lang', 'zh', '--format', 'nope', prose], EXIT.usage],
      [['analyze', '--lang', 'zh', '--bogus', prose], EXIT.usage],
      [['analyze', '--lang', 'zh', '--top', '0', prose], EXIT.usage],
      [['analyze', '--lang', 'zh', '--since', 'yesterday-ish', prose], EXIT.usage],
      [['analyze', '--lang', 'zh', '--src', '300.1.1.1', prose], EXIT.usage],
      [['analyze', '--lang', 'zh'], EXIT.usage],
      [['frobnicate', '--lang', 'zh'], EXIT.usage],
    ];
    for (const [args, exit] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(exit);
      const lines = r.err.trim().split('\n');
      expect(lines.length, r.err).toBe(1);
      expect(lines[0], args.join(' ')).toMatch(/^fwlens: /);
      expect(lines[0], args.join(' ')).toMatch(HAN);
    }
  });

  it('LANG=zh_CN picks Chinese without the flag; --lang en overrides it', async () => {
    const zh = await cli(['analyze', join(tmp, 'missing.log')], { LANG: 'zh_CN.UTF-8' });
    expect(zh.err).toMatch(/无法读取/);
    const en = await cli(['analyze', '--lang', 'en', join(tmp, 'missing.log')], { LANG: 'zh_CN.UTF-8' });
    expect(en.err).toMatch(/cannot read .* no such file/);
  });

  it('--help is Chinese: titles, every description, choices and defaults', async () => {
    for (const args of [
      ['--help', '--lang', 'zh'],
      ['analyze', '--help', '--lang', 'zh'],
      ['explain', '--help'],
    ]) {
      const r = await cli(args, { LANG: 'zh_CN.UTF-8' });
      expect(r.code).toBe(EXIT.ok);
      expect(r.out).toMatch(/^用法:/);
      expect(r.out).not.toMatch(/Usage:|Options:|display help|\(choices:|\(default:/);
      // Every option line carries a Chinese description.
      const optionLines = r.out.split('\n').filter((l) => /^\s+-/.test(l));
      expect(optionLines.length).toBeGreaterThan(2);
      for (const l of optionLines) expect(l, l).toMatch(HAN);
    }
  });

  it('English help stays English', async () => {
    const r = await cli(['analyze', '--help']);
    expect(r.out).toMatch(/^Usage:/);
    expect(r.out).toMatch(/--fail-on <severity>/);
    expect(r.out).not.toMatch(HAN);
  });
});

describe('filters', () => {
  const ev = (over: Partial<FwEvent>): FwEvent => ({
    format: 'netfilter',
    action: 'deny',
    direction: 'inbound',
    transport: 'tcp',
    sourceIp: '198.51.100.7',
    destinationIp: '192.0.2.10',
    destinationPort: 22,
    timestamp: Date.parse('2026-11-21T12:00:00Z'),
    ...over,
  });

  it('matches CIDRs (v4, v6, mapped), port ranges, actions, times and ages', () => {
    const now = Date.parse('2026-11-22T12:00:00Z');
    const m = eventMatcher(
      parseFilters(
        { src: '198.51.100.0/24,2001:db8::/32', port: '22,8000-8100', action: 'deny,reject', since: '36h' },
        now,
      ),
      () => 3,
    );
    expect(m(ev({}))).toBe(true);
    expect(m(ev({ sourceIp: '2001:db8::5' }))).toBe(true);
    expect(m(ev({ sourceIp: '::ffff:198.51.100.9' }))).toBe(true);
    expect(m(ev({ sourceIp: '203.0.113.1' }))).toBe(false);
    expect(m(ev({ destinationPort: 8050 }))).toBe(true);
    expect(m(ev({ destinationPort: 8101 }))).toBe(false);
    expect(m(ev({ destinationPort: undefined }))).toBe(false);
    expect(m(ev({ action: 'allow' }))).toBe(false);
    expect(m(ev({ timestamp: Date.parse('2026-11-20T23:00:00Z') }))).toBe(false);
    expect(m(ev({ timestamp: undefined }))).toBe(false);
    const sev = eventMatcher(parseFilters({ minSeverity: 'high', until: '2026-11-22' }), (e) =>
      e.destinationPort === 22 ? 4 : 2,
    );
    expect(sev(ev({}))).toBe(true);
    expect(sev(ev({ destinationPort: 80 }))).toBe(false);
    expect(sev(ev({ timestamp: Date.parse('2026-11-22T00:00:01Z') }))).toBe(false);
  });

  it('an age longer than time itself means everything, and the store takes it (it was an int64 overflow)', async () => {
    expect(parseFilters({ since: '9999999999999999999999d' }).since).toBe(-8.64e15);
    expect(parseFilters({ since: '2026-02-28' }).since).toBe(Date.parse('2026-02-28'));
    const store = join(tmp, 'ages.duckdb');
    expect((await cli(['ingest', '--store', store, SAMPLE])).code).toBe(EXIT.ok);
    const r = await cli(['query', '--store', store, '--json', 'top', '--since', '9999999999999999999999d']);
    expect([r.code, r.err]).toEqual([EXIT.ok, '']);
    const all = JSON.parse((await cli(['query', '--store', store, '--json', 'top'])).out);
    expect(JSON.parse(r.out)).toEqual(all);
    const keep = await cli(['ingest', '--store', store, '--keep', '99999999999999999999d', SAMPLE]);
    expect(keep.code).toBe(EXIT.ok);
    expect(keep.err).toMatch(/retention: 0 events, 0 findings and 0 unparsed lines before/);
  });

  it('rejects bad values with the message key that explains them', () => {
    for (const [flags, key] of [
      [{ since: 'last tuesday' }, 'cli.usage.time'],
      // A day the month does not have (Date.parse rolls it into March).
      [{ since: '2026-02-30' }, 'cli.usage.time'],
      [{ until: '2026-04-31T10:00Z' }, 'cli.usage.time'],
      [{ dst: '192.0.2.0/33' }, 'cli.usage.address'],
      [{ port: '70000' }, 'cli.usage.port'],
      [{ port: '90-80' }, 'cli.usage.port'],
      [{ action: 'drop' }, 'cli.usage.action'],
      [{ minSeverity: '9' }, 'cli.usage.severity'],
    ] as const) {
      expect(() => parseFilters(flags)).toThrow(FilterError);
      try {
        parseFilters(flags);
      } catch (e) {
        expect((e as FilterError).key).toBe(key);
      }
    }
  });

  it('analyze counts what the filters left out and reports it, in JSON and text', async () => {
    const all = JSON.parse((await cli(['analyze', '--json', SAMPLE])).out);
    const some = JSON.parse(
      (await cli(['analyze', '--json', '--src', '198.51.100.0/24', '--port', '1-1023', SAMPLE])).out,
    );
    const kept = Object.values(some.counts.byAction as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(kept).toBeGreaterThan(0);
    expect(some.filters.excluded + kept).toBe(all.totals.events);
    expect(some.filters.applied).toEqual(['--src 198.51.100.0/24', '--port 1-1023']);
    for (const s of some.topSources) expect(s.ip).toMatch(/^198\.51\.100\./);
    for (const p of some.topPorts) expect(p.port).toBeLessThanOrEqual(1023);
    const text = (await cli(['analyze', '--lang', 'zh', '--src', '198.51.100.0/24', SAMPLE])).out;
    expect(text).toMatch(
      /个事件不符合筛选条件\(--src 198\.51\.100\.0\/24\)|个事件不符合筛选条件(--src 198\.51\.100\.0\/24)/,
    );
  });
});

describe('--fail-on', () => {
  it('exits 4 when a finding reaches the severity, 0 when none does', async () => {
    const json = JSON.parse((await cli(['analyze', '--json', SAMPLE])).out);
    const max = Math.max(...json.findings.map((f: { severity: number }) => f.severity));
    const hit = await cli(['analyze', '--fail-on', String(max), SAMPLE]);
    expect(hit.code).toBe(EXIT.failOn);
    expect(hit.err).toMatch(/reach severity/);
    // Only benign traffic left: nothing reaches "critical".
    const quiet = await cli(['analyze', '--fail-on', 'critical', '--action', 'allow', SAMPLE]);
    expect(quiet.code).toBe(EXIT.ok);
    const bad = await cli(['analyze', '--fail-on', 'extreme', SAMPLE]);
    expect(bad.code).toBe(EXIT.usage);
  });
});

describe('progress bar', () => {
  it('stays silent off a TTY, in CI, and during the first second', () => {
    let now = 0;
    const off = ttyStream();
    (off.s as { isTTY: boolean }).isTTY = false;
    createProgress({ stream: off.s, env: {}, lang: 'en', now: () => now }).update(10, 10);
    const ci = ttyStream();
    createProgress({ stream: ci.s, env: { CI: 'true' }, lang: 'en', now: () => now }).update(10, 10);
    const early = ttyStream();
    const p = createProgress({ stream: early.s, env: {}, lang: 'en', totalBytes: 100, now: () => now });
    now = PROGRESS_DELAY_MS - 1;
    p.update(10, 10);
    p.stop();
    expect(off.text() + ci.text() + early.text()).toBe('');
  });

  it('draws nothing after it is stopped: a late update, a second stop', () => {
    let now = 0;
    const tty = ttyStream();
    const p = createProgress({ stream: tty.s, env: {}, lang: 'en', totalBytes: 10e6, now: () => now });
    now = 2000;
    p.update(200_000, 4e6);
    p.stop();
    const drawn = tty.text();
    expect(stripAnsi(drawn)).toMatch(/4\.0 MB\/10\.0 MB/);
    now = 3000;
    p.update(300_000, 6e6);
    p.stop();
    expect(tty.text()).toBe(drawn);
  });

  it('shows the lines read where the bytes are not known (a stream that does not count them)', () => {
    let now = 0;
    for (const [lang, want] of [
      ['en', /reading 250,000 lines 125,000 lines\/s/],
      ['zh', /读取中 250,000 行 125,000 行\/秒/],
    ] as const) {
      const tty = ttyStream();
      const p = createProgress({ stream: tty.s, env: {}, lang, now: () => now });
      now = 2000;
      p.update(250_000, undefined);
      p.stop();
      now = 0;
      expect(stripAnsi(tty.text())).toMatch(want);
    }
  });

  it('after a second on a TTY: bytes, lines/s and ETA, in the chosen language', () => {
    let now = 0;
    const tty = ttyStream();
    const p = createProgress({ stream: tty.s, env: {}, lang: 'zh', totalBytes: 10e6, now: () => now });
    now = 2000;
    p.update(200_000, 4e6);
    p.stop();
    const shown = stripAnsi(tty.text());
    expect(shown).toMatch(/读取中/);
    expect(shown).toMatch(/4\.0 MB\/10\.0 MB/);
    expect(shown).toMatch(/100,000 行\/秒/);
    expect(shown).toMatch(/剩余 \d+s/);
  });
});
