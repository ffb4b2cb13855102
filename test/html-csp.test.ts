// HTML report under its hash-based CSP in headless Chromium: the page works with no violation, log markup stays text, a slip stays inert.
/// <reference lib="dom" />
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SummaryBuilder } from '../src/analyze/summary.js';
import { createDetectionEngine } from '../src/detect/index.js';
import { explainEvent, severityOf } from '../src/explain/index.js';
import { FORMATS } from '../src/formats/index.js';
import type { InputSource } from '../src/ingest/lines.js';
import { ingest } from '../src/ingest/pipeline.js';
import { knowledgeBase } from '../src/knowledge/index.js';
import { renderHtml } from '../src/report/html/index.js';
import { buildReport, type Report } from '../src/report/model.js';
import { ROOT } from './helpers.js';
import { hasChromium, launchChromium } from './support/chromium.js';

const CHARTS = ['timeline', 'ports', 'sources', 'heatmap', 'protocol', 'direction', 'networks'];
const FIXTURES = join(ROOT, 'test', 'fixtures');
const SAMPLE = join(ROOT, 'examples', 'sample.log');

/** What a log could try: a script element, an event handler, and a right-to-left override. */
const MARKUP = '<script>window.__pwn=1</script><img src=x onerror="window.__pwn=2">';
const MARKER = `${MARKUP}\u202e`;

const outDir = mkdtempSync(join(tmpdir(), 'fwlens-csp-'));

/** Analyze inputs as `fwlens analyze` does; `taint` may rewrite each event and raw line before use. */
async function analyze(
  inputs: InputSource[],
  taint: (ev: Record<string, unknown>, raw: string) => string = (_ev, raw) => raw,
): Promise<Report> {
  const kb = knowledgeBase();
  const summary = new SummaryBuilder((ev) => severityOf(ev, kb));
  const engine = createDetectionEngine({ kb });
  const stats = await ingest(inputs, {
    format: 'auto',
    year: 2026,
    onEvent: (ev, raw) => {
      const line = taint(ev as unknown as Record<string, unknown>, raw);
      summary.add(ev, line);
      engine.push(ev, line);
    },
  });
  return buildReport(stats, summary.result(10), (ev) => explainEvent(ev, kb), kb, engine.finish());
}

/** Fields the analysis keys on (action, transport, addresses ...): marked in only half of the events. */
const KEYWORD_FIELDS = new Set(['format', 'action', 'direction', 'transport', 'sourceIp', 'destinationIp']);

/**
 * Append the marker to every string value of an object, however deep (arrays too); with `keepKeywords`,
 * the KEYWORD_FIELDS keep their value, so the event still scores and shows as a notable event.
 */
function markStrings(value: Record<string, unknown> | unknown[], keepKeywords: boolean): void {
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? [...value.entries()]
    : Object.entries(value);
  for (const [key, v] of entries) {
    if (keepKeywords && typeof key === 'string' && KEYWORD_FIELDS.has(key)) continue;
    if (typeof v === 'string') (value as Record<string | number, unknown>)[key] = `${v}${MARKER}`;
    else if (v && typeof v === 'object') markStrings(v as Record<string, unknown>, keepKeywords);
  }
}

/** Every fixture of every registered format, each read under a file name that carries the marker. */
function markedFixtureInputs(): { inputs: InputSource[]; formatIds: string[] } {
  const inputs: InputSource[] = [];
  const formatIds: string[] = [];
  for (const f of FORMATS) {
    const dir = join(FIXTURES, f.id);
    if (!existsSync(dir)) continue;
    formatIds.push(f.id);
    for (const name of readdirSync(dir)) {
      if (/^(reject\.log|SOURCES\.md)$|\.(expected\.json|yaml)$/.test(name)) continue;
      inputs.push({
        path: `${f.id}-${name}${MARKER}`,
        stream: Readable.from([readFileSync(join(dir, name))]),
      });
    }
  }
  // A line of no known format, so the unparsed samples carry the marker too.
  inputs.push({
    path: `garbage${MARKER}.log`,
    stream: Readable.from([Buffer.from(`hello ${MARKER} not a firewall line\n`)]),
  });
  return { inputs, formatIds };
}

/** The CSP of a page as its meta element states it. */
function cspOf(html: string): string {
  return /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
}

describe.skipIf(!hasChromium)(
  'HTML report CSP in headless Chromium (skipped without /usr/bin/chromium)',
  () => {
    let browser: Browser | undefined;

    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    /** Open a page with CSP violations, console errors and page errors collected from the first byte. */
    async function open(html: string, name: string) {
      const file = join(outDir, name);
      writeFileSync(file, html);
      const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('console', (m: { type(): string; text(): string }) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e: Error) => errors.push(e.message));
      await page.addInitScript(() => {
        const w = window as unknown as { __violations: string[] };
        w.__violations = [];
        document.addEventListener('securitypolicyviolation', (e) =>
          w.__violations.push(`${e.violatedDirective}: ${e.sample}`),
        );
      });
      await page.goto(pathToFileURL(file).href);
      return {
        page,
        errors,
        violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
      };
    }

    async function chartsDrawn(page: Page): Promise<void> {
      await page.waitForFunction(
        (n: number) => document.querySelectorAll('[data-chart] svg').length === n,
        CHARTS.length,
      );
      for (const chart of CHARTS)
        expect(
          await page.$$eval(`[data-chart="${chart}"] svg path`, (els: Element[]) => els.length),
          chart,
        ).toBeGreaterThan(0);
    }

    /** Show the tooltip of the first item of every chart (tooltips are HTML the CSP also governs). */
    async function showEveryTooltip(page: Page): Promise<void> {
      for (const chart of CHARTS)
        await page.evaluate((name: string) => {
          const el = document.querySelector(`[data-chart="${name}"]`);
          type Chart = { dispatchAction(a: object): void };
          const echarts = (window as unknown as { echarts: { getInstanceByDom(e: Element | null): Chart } })
            .echarts;
          echarts.getInstanceByDom(el)?.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: 0 });
        }, chart);
    }

    it('states hashes of exactly its inline script and style, and works with no violation or error', async () => {
      const html = renderHtml(await analyze([{ path: SAMPLE }]), { lang: 'en' });
      const csp = cspOf(html);
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("default-src 'none'");
      const { page, errors, violations } = await open(html, 'sample.html');
      // Every inline block that runs or applies is listed by its hash, and nothing else is.
      const blocks: string[] = await page.$$eval('script:not([type]), style', (els: Element[]) =>
        els.map((e) => e.textContent ?? ''),
      );
      const hashes = blocks.map((b) => `'sha256-${createHash('sha256').update(b).digest('base64')}'`);
      expect(blocks).toHaveLength(3);
      expect([...csp.matchAll(/'sha256-[^']+'/g)].map((m) => m[0]).sort()).toEqual(hashes.sort());

      await chartsDrawn(page);
      await showEveryTooltip(page);
      await page.click('[data-set-lang="zh"]');
      await showEveryTooltip(page);
      await page.emulateMedia({ colorScheme: 'dark' });
      await chartsDrawn(page);
      await page.click('#findings-table th[data-sort="events"]');
      await page.fill('input[data-filter-for="findings-table"]', '203.0.113');
      await page.click('#findings-table tbody.grp:not([hidden]) >> nth=0 >> tr.main');
      await page.fill('input[data-filter-for="findings-table"]', '');
      await page.click('[data-net="wide"]');
      await page.click('[data-set-lang="en"]');
      await chartsDrawn(page);
      expect(await violations()).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    });

    it('markup and a bidi override in every string field of every format, raw line and file name stay text, shown visibly', async () => {
      const { inputs, formatIds } = markedFixtureInputs();
      let n = 0;
      const report = await analyze(inputs, (ev, raw) => {
        // Every other event has every string marked, keywords too (they reach counts, charts and tooltips).
        markStrings(ev, n++ % 2 === 1);
        return `${raw}${MARKER}`;
      });
      // Every format put events with marked fields into the report.
      for (const id of formatIds)
        expect(
          report.inputs.some((i) => i.path.startsWith(`${id}-`) && i.events > 0),
          id,
        ).toBe(true);
      expect(report.notable.some((n) => n.raw.includes(MARKUP))).toBe(true);

      const html = renderHtml(report, { lang: 'en' });
      expect(html).not.toContain('\u202e');
      const { page, errors, violations } = await open(html, 'injected.html');
      await chartsDrawn(page);
      await page.evaluate(() => {
        for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('button.exp'))) b.click();
      });
      await showEveryTooltip(page);
      await page.click('[data-set-lang="zh"]');
      await showEveryTooltip(page);

      const state = await page.evaluate(() => ({
        pwn: (window as unknown as { __pwn?: number }).__pwn,
        scripts: document.scripts.length,
        images: document.querySelectorAll('img').length,
        // biome-ignore lint/performance/useDomNodeTextContent: the text a reader sees is what is tested
        text: document.body.innerText + document.title,
        dom: document.documentElement.outerHTML,
      }));
      expect(state.pwn).toBeUndefined();
      expect(state.scripts).toBe(3);
      expect(state.images).toBe(0);
      expect(state.text).toContain(MARKUP);
      expect(state.text).toContain(`${MARKUP}<U+202E>`);
      expect(state.dom).not.toContain('\u202e');
      expect(await violations()).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    });

    it('markup that slipped past escaping into the page stays inert: the CSP refuses it', async () => {
      const html = renderHtml(await analyze([{ path: SAMPLE }]), { lang: 'en' });
      // As if a future change forgot to escape one field: raw markup in the page body.
      const slipped = html.replace(
        '<main class="wrap">',
        `<main class="wrap">${MARKUP}<div id="styled" style="display:none">styled</div>`,
      );
      const { page, violations } = await open(slipped, 'slipped.html');
      await chartsDrawn(page);
      await page.waitForFunction(() => document.querySelector('img')?.complete);
      expect(await page.evaluate(() => (window as unknown as { __pwn?: number }).__pwn)).toBeUndefined();
      expect(await page.isVisible('#styled')).toBe(true);
      const seen = (await violations()).map((v) => v.split(':')[0]);
      expect(seen).toEqual(expect.arrayContaining(['script-src-elem', 'script-src-attr', 'style-src-attr']));
      await page.close();
    });
  },
);
