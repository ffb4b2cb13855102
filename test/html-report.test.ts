// HTML report in a real browser: renders real logs, opens them in headless Chromium, checks charts, tables, languages.
/// <reference lib="dom" />
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/cli/main.js';
import { stronger } from '../src/detect/finding.js';
import { analyze } from '../src/index.js';
import { installedEchartsVersion } from '../src/report/html/build-echarts.js';
import { renderHtml } from '../src/report/html/index.js';
import { esc } from '../src/report/html/markup.js';
import { HEADER_FINDINGS } from '../src/report/html/sections.js';
import { UI } from '../src/report/html/strings.js';
import type { Report } from '../src/report/model.js';
import { CORPUS as SHARED_CORPUS } from './helpers.js';
import { hasChromium, launchChromium } from './support/chromium.js';

const SAMPLE = existsSync('examples/sample.log')
  ? 'examples/sample.log'
  : 'test/fixtures/netfilter/crowdsec-iptables-ufw-scan-multi-port.log';
const CORPUS = join(SHARED_CORPUS, 'ufw', 'lab-ufw-rsyslog.log');
const CORPUS_LOG = existsSync(CORPUS) ? CORPUS : 'test/fixtures/netfilter/lab-ufw-rsyslog.log';
const CHARTS = ['timeline', 'ports', 'sources', 'heatmap', 'protocol', 'direction', 'networks'];
/** Upper bound on the sample report's size: the ECharts bundle is ~590 kB of it. */
const MAX_SAMPLE_BYTES = 1_200_000;

const reports = new Map<string, Promise<Report>>();

/** The report `fwlens analyze` makes of a log (the library's analyze(), findings included), memoized. */
function reportWithFindings(path: string): Promise<Report> {
  if (!reports.has(path)) reports.set(path, analyze([path]));
  return reports.get(path)!;
}

const outDir = mkdtempSync(join(tmpdir(), 'fwlens-html-'));

/**
 * Where screenshots go: docs/ (the committed pictures) when UPDATE_SCREENSHOTS=1, else a temporary
 * folder, so an ordinary test run never changes tracked files.
 */
function screenshotPath(name: string): string {
  if (process.env.UPDATE_SCREENSHOTS) {
    mkdirSync('docs', { recursive: true });
    return join('docs', name);
  }
  return join(tmpdir(), `fwlens-${name}`);
}

describe('HTML report document', () => {
  it('is one self-contained file: no external references, data and scripts inline', async () => {
    const html = renderHtml(await reportWithFindings(SAMPLE), { lang: 'en' });
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/url\(\s*['"]?https?:/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('id="fwlens-data"');
    expect(html.length).toBeLessThan(MAX_SAMPLE_BYTES);
    console.log(`HTML report of ${SAMPLE}: ${html.length} bytes`);
  });

  it('heads the page with the strongest finding of each kind, and links to them all', async () => {
    const report = await reportWithFindings(SAMPLE);
    const findings = report.findings ?? [];
    const kinds = new Set(findings.map((f) => f.detector));
    expect(kinds.size).toBeGreaterThanOrEqual(HEADER_FINDINGS);
    const html = renderHtml(report, { lang: 'en' });
    const top = html.slice(
      html.indexOf('<section id="top">'),
      html.indexOf('</section>', html.indexOf('<section id="top">')),
    );
    const titles = [...top.matchAll(/<div class="top-title"><span lang="en">([^<]*)</g)].map((m) => m[1]);
    expect(titles).toHaveLength(HEADER_FINDINGS);
    // One per detector: the titles belong to five different detectors' strongest findings.
    const picked = titles.map((title) => findings.find((f) => esc(f.title.en) === title)!);
    expect(new Set(picked.map((f) => f.detector)).size).toBe(HEADER_FINDINGS);
    for (const f of picked) {
      const best = findings.filter((g) => g.detector === f.detector).sort(stronger)[0]!;
      expect(f.severity).toBe(best.severity);
    }
    expect(top).toContain(`href="#findings"`);
    expect(top).toContain(`All ${findings.length} findings`);
  });

  it('has every page text in both languages', () => {
    for (const [key, text] of Object.entries(UI)) {
      expect(text.en.trim(), key).not.toBe('');
      expect(text.zh.trim(), key).not.toBe('');
      const vars = (s: string) => [...s.matchAll(/\{(\w+)(?::\w+)?\}/g)].map((m) => m[1]).sort();
      expect(vars(text.zh), key).toEqual(vars(text.en));
    }
  });

  it('says, as the text report does, that product and protocol names past the bound are counted together', async () => {
    // 300 CEF products and 300 odd netfilter PROTO= names (a hostile log can name a new one on every line).
    const lines = [
      ...Array.from(
        { length: 300 },
        (_, i) =>
          `Mar 14 08:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} fw1 CEF:0|Acme|EdgeWall model ${i}|1.0|100|Connection denied|5|src=203.0.113.${(i % 200) + 1} spt=40112 dst=192.0.2.10 dpt=22 proto=TCP act=deny`,
      ),
      ...Array.from(
        { length: 300 },
        (_, i) =>
          `Mar 14 09:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} edge kernel: [BLOCK] IN=eth0 OUT= SRC=198.51.100.${(i % 200) + 1} DST=192.0.2.10 LEN=40 TTL=50 ID=1 PROTO=xp${i}`,
      ),
    ];
    const log = join(outDir, 'folded-names.log');
    writeFileSync(log, `${lines.join('\n')}\n`);
    const report = await analyze([log], { year: 2026 });
    expect(report.counts.foldedKeys).toEqual({ byProduct: 45, byTransport: 45 });
    const html = renderHtml(report, { lang: 'en' });
    for (const sentence of [
      'Only the first 256 product names are counted; events of 45 more names are counted together as “(other)”.',
      '只统计前 256 个产品名;另外 45 个名称的事件合计为“(other)”。',
      'Only the first 256 protocol names are listed; events of 45 more names are counted together as “(other)”.',
      '只列出前 256 个协议名;另外 45 个名称的事件合计为“(other)”。',
    ])
      expect(html.includes(esc(sentence)), sentence).toBe(true);
  });

  it('inlines an ECharts bundle built from the installed echarts version', () => {
    const bundle = readFileSync('src/report/html/vendor/echarts.min.js', 'utf8');
    expect(bundle.slice(0, 200)).toContain(`ECharts ${installedEchartsVersion()} `);
  });
});

describe.skipIf(!hasChromium)(
  'HTML report in headless Chromium (skipped when /usr/bin/chromium is absent)',
  () => {
    let browser: Browser | undefined;

    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    /** Open a report file; collect console errors, page errors and every request the page makes. */
    async function open(file: string, viewport = { width: 1280, height: 900 }) {
      const page = await browser!.newPage({ viewport });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m: { type(): string; text(): string }) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e: Error) => errors.push(e.message));
      page.on('request', (r: { url(): string }) => requests.push(r.url()));
      const url = pathToFileURL(file).href;
      await page.goto(url);
      await page.waitForFunction(
        (n: number) => document.querySelectorAll('[data-chart] svg').length === n,
        CHARTS.length,
      );
      return { page, errors, requests, url };
    }

    async function drawnShapes(page: Page, chart: string): Promise<number> {
      return page.$$eval(
        `[data-chart="${chart}"] svg path, [data-chart="${chart}"] svg rect`,
        (els: Element[]) => els.length,
      );
    }

    async function visibleGroups(page: Page, table: string): Promise<number> {
      return page.$$eval(`#${table} tbody.grp`, (gs: HTMLElement[]) => gs.filter((g) => !g.hidden).length);
    }

    it('sample log: charts draw, findings filter/sort/expand, language switch, no network', async () => {
      const report = await reportWithFindings(SAMPLE);
      expect(report.findings?.length).toBeGreaterThan(2);
      const file = join(outDir, 'sample.html');
      writeFileSync(file, renderHtml(report, { lang: 'en' }));
      const { page, errors, requests, url } = await open(file);

      for (const chart of CHARTS) expect(await drawnShapes(page, chart), chart).toBeGreaterThan(0);
      expect(
        requests.every((r) => r === url),
        requests.join(' '),
      ).toBe(true);

      // Filtering by a source address narrows the findings to the ones that name it.
      const total = report.findings!.length;
      expect(await visibleGroups(page, 'findings-table')).toBe(total);
      const ip = report.findings![0]!.sources[0]!;
      await page.fill('input[data-filter-for="findings-table"]', ip);
      const narrowed = await visibleGroups(page, 'findings-table');
      expect(narrowed).toBeGreaterThan(0);
      expect(narrowed).toBeLessThan(total);
      const texts: string[] = await page.$$eval(
        '#findings-table tbody.grp:not([hidden])',
        (gs: HTMLElement[]) => gs.map((g) => g.textContent ?? ''),
      );
      for (const t of texts) expect(t).toContain(ip);
      expect(await page.textContent('[data-count-for="findings-table"]')).toContain(
        `${narrowed} of ${total}`,
      );
      await page.fill('input[data-filter-for="findings-table"]', 'no-such-thing-zz');
      expect(await visibleGroups(page, 'findings-table')).toBe(0);
      expect(await page.isVisible('#findings .no-match')).toBe(true);
      await page.fill('input[data-filter-for="findings-table"]', '');
      expect(await visibleGroups(page, 'findings-table')).toBe(total);

      // Sorting by event count: first click largest first, second click smallest first.
      const order = () =>
        page.$$eval('#findings-table tbody.grp', (gs: HTMLElement[]) =>
          gs.map((g) => Number(g.dataset.events)),
        );
      await page.click('#findings-table th[data-sort="events"]');
      const desc: number[] = await order();
      expect(desc).toEqual([...desc].sort((a, b) => b - a));
      expect(desc[0]).toBeGreaterThan(desc[desc.length - 1]!);
      await page.click('#findings-table th[data-sort="events"]');
      const asc: number[] = await order();
      expect(asc).toEqual([...asc].sort((a, b) => a - b));

      // Expanding a finding shows its evidence lines and advice.
      await page.click('#findings-table tbody.grp >> nth=0 >> tr.main');
      const detail = page.locator('#findings-table tbody.grp >> nth=0 >> tr.detail');
      expect(await detail.isVisible()).toBe(true);
      expect(await detail.locator('pre').count()).toBeGreaterThan(0);

      // The language switch turns every heading Chinese, charts included.
      // biome-ignore lint/performance/useDomNodeTextContent: the visible text is what is tested
      const overviewHeading = () => page.locator('#overview h2').evaluate((h: HTMLElement) => h.innerText);
      expect(await overviewHeading()).toBe(UI.analyzed.en);
      await page.click('[data-set-lang="zh"]');
      expect(await overviewHeading()).toBe(UI.analyzed.zh);
      // innerText, not textContent: only the language shown counts.
      const headings: string[] = await page.$$eval('h2, h3', (hs: HTMLElement[]) =>
        // biome-ignore lint/performance/useDomNodeTextContent: the visible text is what is tested
        hs.map((h) => h.innerText),
      );
      for (const h of headings) {
        expect(h, h).toMatch(/[\u4e00-\u9fff]/);
        expect(h, h).not.toMatch(/[A-Za-z]{4,}/);
      }
      expect(await page.textContent('[data-chart="timeline"] svg')).toContain('丢弃');
      expect(await page.inputValue('input[data-filter-for="findings-table"]')).toBe('');
      expect(await page.getAttribute('input[data-filter-for="findings-table"]', 'placeholder')).toBe(
        UI.filter.zh,
      );
      await page.click('[data-set-lang="en"]');

      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({
        path: screenshotPath('report-sample.png'),
        fullPage: true,
        clip: { x: 0, y: 0, width: 1280, height: 2600 },
      });
      expect(errors).toEqual([]);
      await page.close();
    });

    it('corpus log through the CLI: --html beside --json, notable table, screenshot', async () => {
      const file = join(outDir, 'corpus.html');
      let stdout = '';
      let stderr = '';
      const sink = (add: (s: string) => void) =>
        ({
          write: (s: string) => {
            add(s);
            return true;
          },
        }) as unknown as NodeJS.WritableStream;
      const code = await run(['analyze', CORPUS_LOG, '--json', '--html', file], {
        stdout: sink((s) => {
          stdout += s;
        }),
        stderr: sink((s) => {
          stderr += s;
        }),
      });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const report = JSON.parse(stdout) as Report;
      expect(statSync(file).size).toBeGreaterThan(100_000);

      const { page, errors, requests, url } = await open(file);
      for (const chart of CHARTS) expect(await drawnShapes(page, chart), chart).toBeGreaterThan(0);
      expect(requests.every((r) => r === url)).toBe(true);
      if (!report.findings?.length) expect(await page.isVisible('[data-testid="no-findings"]')).toBe(true);

      // The notable table filters on the source address of one of its rows.
      const total = report.notable.length;
      expect(total).toBeGreaterThan(1);
      const ip = (report.notable[total - 1]!.event as { source?: { ip?: string } }).source?.ip;
      expect(ip).toBeTruthy();
      await page.fill('input[data-filter-for="notable-table"]', ip!);
      const narrowed = await visibleGroups(page, 'notable-table');
      const expected = report.notable.filter(
        (n) => n.raw.includes(ip!) || n.headline.en.includes(ip!),
      ).length;
      expect(narrowed).toBeGreaterThanOrEqual(expected);
      expect(narrowed).toBeGreaterThan(0);
      await page.fill('input[data-filter-for="notable-table"]', '');
      expect(errors).toEqual([]);
      await page.close();

      // The screenshot shows the corpus log with the detection engine's findings, as a customer would see it.
      const withFindings = join(outDir, 'corpus-findings.html');
      writeFileSync(withFindings, renderHtml(await reportWithFindings(CORPUS_LOG), { lang: 'en' }));
      const shot = await open(withFindings);
      await shot.page.screenshot({
        path: screenshotPath('report-corpus.png'),
        fullPage: true,
        clip: { x: 0, y: 0, width: 1280, height: 2600 },
      });
      expect(shot.errors).toEqual([]);
      await shot.page.close();
    });

    it('fits a phone screen: no page-wide horizontal scrolling', async () => {
      const file = join(outDir, 'sample.html');
      if (!existsSync(file))
        writeFileSync(file, renderHtml(await reportWithFindings(SAMPLE), { lang: 'zh' }));
      const { page, errors } = await open(file, { width: 390, height: 844 });
      const overflow: number = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      expect(errors).toEqual([]);
      await page.close();
    });
  },
);
