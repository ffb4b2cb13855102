// The HTML report with context, in headless Chromium: the owner column, the filter by AS number, country or
// label, the top organisations and countries charts, and the attribution footer; still no network requests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers.js';
import { hasChromium, launchChromium } from './support/chromium.js';
import { HOSTILE_COUNTRY, hostileCountryDb } from './support/mmdb.js';

const LOG = join(ROOT, 'test/fixtures/context/providers.log');
const CHARTS = [
  'timeline',
  'ports',
  'sources',
  'heatmap',
  'protocol',
  'direction',
  'networks',
  'orgs',
  'countries',
];

describe.skipIf(!hasChromium)('HTML report with context (skipped when /usr/bin/chromium is absent)', () => {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const visible = (page: Page) =>
    page.$$eval('#findings-table tbody.grp', (gs: HTMLElement[]) => gs.filter((g) => !g.hidden).length);

  it('shows owners, filters by AS number, country and label, draws organisations and countries', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fwlens-ctx-html-')), 'report.html');
    const r = await runCli(['analyze', LOG, '--html', file, '--json']);
    expect(r.code).toBe(0);
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (e: Error) => errors.push(e.message));
    page.on('request', (q: { url(): string }) => requests.push(q.url()));
    const url = pathToFileURL(file).href;
    await page.goto(url);
    await page.waitForFunction(
      (n: number) => document.querySelectorAll('[data-chart] svg').length === n,
      CHARTS.length,
    );
    for (const chart of ['orgs', 'countries'])
      expect(
        await page.$$eval(
          `[data-chart="${chart}"] svg path, [data-chart="${chart}"] svg rect`,
          (els: Element[]) => els.length,
        ),
        chart,
      ).toBeGreaterThan(0);
    expect(await page.textContent('[data-panel="orgs"]')).toContain('AS398324 Censys, Inc.');
    const owner = await page.$$eval('#findings-table td.owner', (tds: HTMLElement[]) =>
      // biome-ignore lint/performance/useDomNodeTextContent: the language shown is what is checked
      tds.map((t) => t.innerText),
    );
    expect(owner).toContain('AS398324 Censys, Inc., US, research scanner: Censys');
    expect(owner).toContain('documentation');

    const total = await visible(page);
    for (const [query, expected] of [
      ['AS398324', 1],
      ['research scanner', 1],
      ['AS15169', 1],
      ['documentation', total - 2],
    ] as const) {
      await page.fill('input[data-filter-for="findings-table"]', query);
      expect(await visible(page), query).toBe(expected);
    }
    const footer = (await page.textContent('footer')) ?? '';
    expect(footer).toContain('CC BY 4.0');
    expect(footer).toContain('IP Geolocation by DB-IP');
    expect(footer).toMatch(/more than 90 days ago|\d{4}-\d\d-\d\d/);
    await page.click('[data-set-lang="zh"]');
    // biome-ignore lint/performance/useDomNodeTextContent: the language shown is what is checked
    expect(await page.innerText('[data-panel="countries"] h3')).toBe('来源最多的国家(近似)');
    expect(errors).toEqual([]);
    expect(
      requests.every((q) => q === url),
      requests.join(' '),
    ).toBe(true);
    await page.close();
  }, 60_000);

  it('shows a hostile country name from --geoip-db as inert visible text: owner column, charts, tooltips', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-ctx-html-hostile-'));
    const db = hostileCountryDb(join(dir, 'hostile.mmdb'), {
      '162.142.125.0/24': HOSTILE_COUNTRY,
      '184.105.139.0/24': 'Y'.repeat(100_000),
    });
    const file = join(dir, 'report.html');
    expect((await runCli(['analyze', LOG, '--geoip-db', db, '--html', file])).code).toBe(0);
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const dialogs: string[] = [];
    page.on('pageerror', (e: Error) => errors.push(e.message));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(
      (n: number) => document.querySelectorAll('[data-chart] svg').length === n,
      CHARTS.length,
    );
    // Every bar's tooltip of the countries chart, then the organisations' (their markup is the page's own).
    for (const chart of ['countries', 'orgs'])
      for (let i = 0; i < 3; i++)
        await page.evaluate(
          ([name, index]) => {
            type Chart = { dispatchAction(a: object): void };
            const echarts = (window as unknown as { echarts: { getInstanceByDom(e: Element | null): Chart } })
              .echarts;
            echarts
              .getInstanceByDom(document.querySelector(`[data-chart="${name}"]`))
              ?.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: index });
          },
          [chart, i] as const,
        );
    const state = await page.evaluate(() => ({
      pwn: (window as unknown as { __pwn?: number }).__pwn,
      images: document.querySelectorAll('img').length,
      owners: Array.from(
        document.querySelectorAll<HTMLElement>('#findings-table td.owner'),
        (t) => t.textContent ?? '',
      ),
      dom: document.documentElement.outerHTML,
    }));
    expect(state.pwn).toBeUndefined();
    expect(state.images).toBe(0);
    expect(state.owners.join('\n')).toContain('␛[2J␛]8;;http:x␇<U+009B>1m<U+202E>R␀');
    expect(state.owners.join('\n')).toContain('<img src=x onerror=window.__pwn=1>');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: raw controls are what must not reach the page
    expect(state.dom).not.toMatch(/[\u0000\u001b\u0007\u009b\u202e]/);
    expect(state.dom).not.toContain('Y'.repeat(100));
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
