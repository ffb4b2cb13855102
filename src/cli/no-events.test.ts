// Runs that read no traffic: a log of only non-traffic records is a success with 0 events, and every failure
// (empty, missing, not a firewall log, all damaged, blank) still gives a JSON report and NDJSON metric line.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../../test/helpers.js';
import { schemaValidator } from '../../test/support/schemas.js';
import { EXIT } from './main.js';

const tmp = mkdtempSync(join(tmpdir(), 'fwlens-no-events-'));
const schemas = schemaValidator();

/** A file in the temporary folder holding `lines`. */
function file(name: string, lines: string[]): string {
  const path = join(tmp, name);
  writeFileSync(path, lines.length ? `${lines.join('\n')}\n` : '');
  return path;
}

/** A NetScreen log of only system and admin records (written after the ScreenOS message layouts). */
const NETSCREEN_SYSTEM = file('netscreen-system.log', [
  'Mar 14 09:10:11 192.0.2.254 ssg-edge: NetScreen device_id=ssg-edge  [Root]system-warning-00518: Admin user "netscreen" login attempt for Web(http) management (port 80) from 192.0.2.33:50900 failed. (2026-03-14 09:10:11)',
  'Mar 14 09:10:12 192.0.2.254 ssg-edge: NetScreen device_id=ssg-edge  [Root]system-notification-00002: Admin user "netscreen" logged in for Web(http) management (port 80) from 192.0.2.33:50901 (2026-03-14 09:10:12)',
  'Mar 14 09:10:13 192.0.2.254 ssg-edge: NetScreen device_id=ssg-edge  [Root]system-information-00767: System configuration saved by netscreen via web from host 192.0.2.33 (2026-03-14 09:10:13)',
]);

interface JsonReport {
  totals: { lines: number; events: number; nonTraffic?: number };
  inputs: { path: string; events: number; nonTraffic?: Record<string, Record<string, number>> }[];
  notices?: { kind: string; path?: string; failed: boolean; text: { en: string; zh: string } }[];
}

/** The report of `analyze --json`, checked against the published schema. */
async function jsonReport(args: string[]): Promise<{ code: number; report: JsonReport; err: string }> {
  const r = await runCli(['analyze', '--json', '--no-context', ...args]);
  const report = JSON.parse(r.out) as JsonReport;
  expect(schemas.validate('report.schema.json', report), schemas.errors()).toBe(true);
  return { code: r.code, report, err: r.err };
}

/** The NDJSON lines of `analyze --ndjson`, and the closing metric line checked against its schema. */
async function ndjsonLines(args: string[]) {
  const r = await runCli(['analyze', '--ndjson', '--no-context', ...args]);
  const docs = r.out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, never>);
  const last = docs.at(-1) as unknown as {
    event: { kind: string; dataset: string; outcome: string };
    message: string;
    fwlens: { inputs: { events: number; non_traffic: number; notices: { kind: string; failed: boolean }[] } };
  };
  expect(schemas.validate('inputs.schema.json', last), schemas.errors()).toBe(true);
  return { code: r.code, docs, last, err: r.err };
}

describe('a firewall log of only non-traffic records', () => {
  it('is a success with 0 events, and the text report says what its records were', async () => {
    const r = await runCli(['analyze', '--no-context', NETSCREEN_SYSTEM]);
    expect(r.code).toBe(EXIT.ok);
    expect(r.err).toContain('is a firewall log without traffic events: it holds 3 records of other kinds');
    expect(r.err).not.toContain('no firewall events found');
    expect(r.out).toContain('3 lines, 0 events, 3 not traffic, 0 unparsed');
    expect(r.out).toMatch(/not traffic \(netscreen\): /);
  });

  it('words one such record in the singular', async () => {
    const one = file('netscreen-one-system-record.log', [
      readFileSync(NETSCREEN_SYSTEM, 'utf8').split('\n')[0]!,
    ]);
    const r = await runCli(['analyze', '--no-context', one]);
    expect(r.code).toBe(EXIT.ok);
    expect(r.err).toContain('is a firewall log without traffic events: it holds 1 record of other kinds');
  });

  it('says so in Chinese too', async () => {
    const r = await runCli(['analyze', '--no-context', '--lang', 'zh', NETSCREEN_SYSTEM]);
    expect(r.code).toBe(EXIT.ok);
    expect(r.err).toContain('是防火墙日志,但没有流量事件');
    expect(r.out).toContain('3 条非流量记录');
  });

  it('--json: a report with 0 events, the non-traffic counts by format and the reason', async () => {
    const { code, report } = await jsonReport([NETSCREEN_SYSTEM]);
    expect(code).toBe(EXIT.ok);
    expect(report.totals).toMatchObject({ lines: 3, events: 0, nonTraffic: 3 });
    const kinds = report.inputs[0]!.nonTraffic?.netscreen ?? {};
    expect(Object.values(kinds).reduce((a, b) => a + b, 0)).toBe(3);
    expect(report.notices).toEqual([
      expect.objectContaining({ kind: 'only-non-traffic', path: NETSCREEN_SYSTEM, failed: false }),
    ]);
  });

  it('--ndjson: one metric line with the accounting, outcome success', async () => {
    const { code, docs, last } = await ndjsonLines([NETSCREEN_SYSTEM]);
    expect(code).toBe(EXIT.ok);
    expect(docs).toHaveLength(1);
    expect(last.event).toMatchObject({ kind: 'metric', dataset: 'fwlens.inputs', outcome: 'success' });
    expect(last.fwlens.inputs).toMatchObject({ events: 0, non_traffic: 3 });
    expect(last.message).toContain('without traffic events');
  });

  it('--html: the page counts them and gives the reason', async () => {
    const html = join(tmp, 'report.html');
    const r = await runCli(['analyze', '--no-context', '--html', html, NETSCREEN_SYSTEM]);
    expect(r.code).toBe(EXIT.ok);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('Not traffic');
    expect(page).toContain('is a firewall log without traffic events');
  });

  it('next to a log with traffic: the run is a success and only that input is noted', async () => {
    const traffic = join(ROOT, 'test', 'fixtures', 'netscreen', 'screenos-traffic-and-alarms.log');
    const { code, report } = await jsonReport([traffic, NETSCREEN_SYSTEM]);
    expect(code).toBe(EXIT.ok);
    expect(report.totals.events).toBeGreaterThan(0);
    expect(report.notices?.map((n) => [n.kind, n.path])).toEqual([['only-non-traffic', NETSCREEN_SYSTEM]]);
  });
});

describe('machine output is always a document, the exit code carries the failure', () => {
  const damaged = join(ROOT, 'test', 'fixtures', 'netfilter', 'reject.log');
  const good = join(ROOT, 'test', 'fixtures', 'netscreen', 'screenos-traffic-and-alarms.log');
  const cases: { name: string; args: () => string[]; kinds: string[]; events?: boolean }[] = [
    { name: 'an empty file', args: () => [file('empty.log', [])], kinds: ['empty'] },
    { name: 'a missing file', args: () => [join(tmp, 'no-such.log')], kinds: ['unreadable'] },
    {
      name: 'a missing file among others',
      args: () => [good, join(tmp, 'no-such-either.log')],
      kinds: ['unreadable'],
      events: true,
    },
    {
      name: 'a file in no known format',
      args: () => [file('prose.log', ['hello world', 'this is no firewall log'])],
      kinds: ['not-firewall'],
    },
    { name: 'a file of only damaged lines', args: () => [damaged], kinds: ['all-damaged'] },
    { name: 'a file of blank lines', args: () => [file('blank.log', ['', '', ''])], kinds: ['no-events'] },
  ];
  for (const c of cases) {
    it(`--json on ${c.name}: a valid report with the reason, exit 1`, async () => {
      const { code, report, err } = await jsonReport(c.args());
      expect(code).toBe(EXIT.inputError);
      expect(report.notices?.map((n) => n.kind)).toEqual(c.kinds);
      expect(report.notices?.every((n) => n.failed && n.text.en.length > 0 && n.text.zh.length > 0)).toBe(
        true,
      );
      expect(report.totals.events > 0).toBe(c.events ?? false);
      // The same sentence on stderr, one line per notice, never a stack trace.
      expect(err).toContain(report.notices![0]!.text.en);
      expect(err).not.toMatch(/\n\s+at /);
    });

    it(`--ndjson on ${c.name}: the closing metric line with the reason, outcome failure, exit 1`, async () => {
      const { code, last } = await ndjsonLines(c.args());
      expect(code).toBe(EXIT.inputError);
      expect(last.event).toMatchObject({ kind: 'metric', dataset: 'fwlens.inputs', outcome: 'failure' });
      expect(last.fwlens.inputs.notices.map((n) => n.kind)).toEqual(c.kinds);
      expect(last.message.length).toBeGreaterThan(10);
    });
  }

  it('the text report of an empty file stays one sentence on stderr', async () => {
    const r = await runCli(['analyze', '--no-context', file('empty2.log', [])]);
    expect(r.code).toBe(EXIT.inputError);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/empty2\.log is empty/);
  });
});

describe('a run that read no traffic events does not read as an all-clear', () => {
  const junk = file('junk.log', ['hello world', 'this is not a firewall']);

  it('the text report says no events were read, not "no findings", and lists only the nonzero kinds of bad lines', async () => {
    const r = await runCli(['analyze', junk]);
    expect(r.code).toBe(EXIT.inputError);
    expect(r.out).toContain('No traffic events were read, so there was nothing to check');
    expect(r.out).not.toContain('No findings');
    // Nothing was attributed, so the ASN and country data are not credited under it.
    expect(r.out).not.toContain('ASN data');
    expect(r.out).toContain('\n2 lines of no known format\n');
    expect(r.out).not.toContain('0 damaged');
  });

  it('--html of an empty file is still written (a scheduled job expects its page), exit 1', async () => {
    const empty = file('empty.log', []);
    const html = join(tmp, 'empty.html');
    const r = await runCli(['analyze', '--no-context', '--html', html, empty]);
    expect(r.code).toBe(EXIT.inputError);
    expect(r.err).toContain('is empty');
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('data-testid="no-events"');
    expect(page).not.toContain('data-testid="no-findings"');
  });
});
