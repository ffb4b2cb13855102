// The serve console in headless Chromium on a real store (the sample and a hostile log): no console errors,
// top lists, pivots (is / is not), explanations, exports of the view, the Chinese switch, dark theme, inert log text,
// and what the explanations' context lacks (a damaged country database, a hostile list line) as inert notices.
/// <reference lib="dom" />
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextEnricher } from '../src/cli/context-enricher.js';
import { knowledgeBase } from '../src/knowledge/index.js';
import { type RunningConsole, startConsole } from '../src/serve/server.js';
import { hasChromium, launchChromium } from './support/chromium.js';
import { consoleStore, HOSTILE_RULE_SHOWN } from './support/serve-store.js';

describe.skipIf(!hasChromium)(
  'serve console in headless Chromium (skipped without /usr/bin/chromium)',
  () => {
    let browser: Browser | undefined;
    let app: RunningConsole;
    let page: Page;
    const errors: string[] = [];
    const dialogs: string[] = [];
    const requests: string[] = [];

    beforeAll(async () => {
      const [store, b] = await Promise.all([consoleStore(), launchChromium()]);
      browser = b;
      app = await startConsole({ storePath: store, host: '127.0.0.1', port: 0, lang: 'en' });
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(app.url);
      await ready();
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    let seen = 0;
    /** Wait until the page has drawn the answers of the latest view change. */
    async function ready(): Promise<void> {
      await page.waitForFunction((n) => Number(document.body.dataset.ready ?? 0) > n, seen);
      seen = Number(await page.evaluate(() => document.body.dataset.ready));
    }

    const inView = async () => Number((await page.textContent('#in-view'))!.replace(/\D/g, ''));
    const column = (n: number) =>
      page.$$eval(`#events-table tbody.grp tr.main td:nth-child(${n}) .pivot`, (els) =>
        els.map((e) => e.textContent),
      );

    it('draws every view with no console error and no request off the console', async () => {
      expect(await page.$$eval('#timeline svg path', (els) => els.length)).toBeGreaterThan(10);
      for (const list of ['src', 'port', 'rule', 'dst'])
        expect(await page.$$eval(`#top-${list} li .pivot`, (els) => els.length), list).toBeGreaterThan(2);
      expect(await page.$$eval('#events-table tbody.grp', (els) => els.length)).toBe(50);
      expect(await page.$$eval('#findings-list li.finding', (els) => els.length)).toBeGreaterThan(10);
      expect(await page.$$eval('#unparsed-table tr', (els) => els.length)).toBeGreaterThan(2);
      // Counts carry their nouns, singular or plural as the count says (the page words them as the server does).
      const words = (n: number, one: string, other: string) =>
        `${n.toLocaleString('en-US')} ${n === 1 ? one : other}`;
      expect(await page.textContent('#in-view')).toBe(
        `${words(await inView(), 'event', 'events')} in this view`,
      );
      expect(await page.textContent('#stored')).toMatch(
        /^In the store: [\d,]+ events, [\d,]+ findings, [\d,]+ lines? unparsed$/,
      );
      expect(await page.textContent('#unparsed-note')).toMatch(
        /^Lines of the stored logs that gave no event: [\d,]+ lines?; shown: the first \d+\.$/,
      );
      const origin = new URL(app.url).origin;
      expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'))).toEqual([]);
      // Nothing lacking in the context: no notice.
      expect(await page.isHidden('#notices')).toBe(true);
      expect(errors).toEqual([]);
    });

    it('pivots on a source: the table, counts and top lists follow; "is not" leaves it out', async () => {
      const total = await inView();
      const first = page.locator('#top-src li').first();
      const ip = (await first.locator('.pivot').textContent())!;
      const count = Number((await first.locator('.n').textContent())!.replace(/\D/g, ''));
      await first.locator('.pivot').click();
      await ready();
      expect(await page.textContent('#chips .chip code')).toBe(ip);
      expect(await inView()).toBe(count);
      expect(await page.textContent('#in-view')).toBe(
        `${count.toLocaleString('en-US')} ${count === 1 ? 'event' : 'events'} in this view`,
      );
      expect(new Set(await column(4))).toEqual(new Set([ip]));
      expect(await page.$$eval('#top-src li .pivot', (els) => els.map((e) => e.textContent))).toEqual([ip]);

      // The same source with ≠: every event but its own.
      await page.click('#chips .chip .x');
      await ready();
      expect(await inView()).toBe(total);
      await page.locator('#top-src li').first().locator('.not').click();
      await ready();
      expect(await page.textContent('#chips .chip b')).toBe('is not');
      expect(await inView()).toBe(total - count);
      expect(await column(4)).not.toContain(ip);
      expect(await page.$$eval('#top-src li .pivot', (els) => els.map((e) => e.textContent))).not.toContain(
        ip,
      );
      await page.click('#chips .chip .x');
      await ready();
    });

    it('combines pivots from the table and exports exactly the view as CSV and NDJSON', async () => {
      // A port from the top list, then the first row's source: both chips hold.
      await page.locator('#top-port li .pivot').first().click();
      await ready();
      const portCount = await inView();
      await page.locator('#events-table tbody.grp td:nth-child(4) .pivot').first().click();
      await ready();
      expect(await page.$$eval('#chips .chip', (els) => els.length)).toBe(2);
      const n = await inView();
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThanOrEqual(portCount);
      const exported = await page.evaluate(async () => {
        const get = async (id: string) =>
          (await fetch((document.getElementById(id) as HTMLAnchorElement).href)).text();
        return { csv: await get('export-csv'), ndjson: await get('export-ndjson') };
      });
      const csvRows = exported.csv.trimEnd().split('\r\n').slice(1);
      const records = exported.ndjson
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { src_ip: string; dst_port: number });
      expect(csvRows).toHaveLength(n);
      expect(records).toHaveLength(n);
      const ips = await column(4);
      expect(new Set(records.map((r) => r.src_ip))).toEqual(new Set(ips));
      const ports = await page.$$eval('#events-table tbody.grp td:nth-child(6) .pivot', (els) =>
        els.map((e) => e.textContent),
      );
      expect(new Set(records.map((r) => String(r.dst_port)))).toEqual(new Set(ports));
      for (;;) {
        const x = await page.$('#chips .chip .x');
        if (!x) break;
        await x.click();
        await ready();
      }
    });

    it('a link with a chip the server refuses: the error, and the chip to remove; removed, the view comes back', async () => {
      const total = await inView();
      const before = errors.length;
      await page.goto(`${app.url}#f=${encodeURIComponent('src:not-an-ip')}&range=all`);
      await page.reload();
      seen = 0; // a new page counts its views from 1
      await ready();
      expect(await page.textContent('#status')).toMatch(/^This view could not be loaded: /);
      // Drawn from the page's own state (the server gave no chips back), as text, with its ×.
      expect(await page.textContent('#chips .chip-bad code')).toBe('src:not-an-ip');
      await page.click('#chips .chip-bad .x');
      await ready();
      expect(await page.textContent('#status')).toBe('');
      expect(await page.$$eval('#chips .chip', (els) => els.length)).toBe(0);
      expect(await inView()).toBe(total);
      // The refused requests are the browser's only complaints (the status 400 of each view's request).
      const mine = errors.splice(before);
      expect(mine.length).toBeGreaterThan(0);
      for (const e of mine)
        expect(e).toMatch(/^error: Failed to load resource: the server responded with a status of 400/);
    });

    it('a link with an IPv4-mapped address chip: the IPv4 source, one chip for it, and its × removes it', async () => {
      const total = await inView();
      const first = page.locator('#top-src li').first();
      const ip = (await first.locator('.pivot').textContent())!;
      const count = Number((await first.locator('.n').textContent())!.replace(/\D/g, ''));
      await page.goto(`${app.url}#f=${encodeURIComponent(`src:::ffff:${ip}`)}&range=all`);
      await page.reload();
      seen = 0; // a new page counts its views from 1
      await ready();
      expect(await page.textContent('#status')).toBe('');
      expect(await page.$$eval('#chips .chip code', (els) => els.map((e) => e.textContent))).toEqual([ip]);
      expect(await inView()).toBe(count);
      expect(new URLSearchParams(new URL(page.url()).hash.slice(1)).getAll('f')).toEqual([`src:${ip}`]);
      // Pivoting on the same source from the top list is the chip already there, not a second one.
      await page.locator('#top-src li').first().locator('.pivot').click();
      await ready();
      expect(await page.$$eval('#chips .chip', (els) => els.length)).toBe(1);
      await page.click('#chips .chip .x');
      await ready();
      expect(await page.$$eval('#chips .chip', (els) => els.length)).toBe(0);
      expect(await inView()).toBe(total);
    });

    it('narrows to a range preset, counted back from the newest stored event', async () => {
      const total = await inView();
      const newest = await page.evaluate(async () => {
        const meta = await (await fetch('/api/meta')).json();
        return meta.span.last as number;
      });
      await page.click('[data-range="24h"]');
      await ready();
      const day = await inView();
      const expected = await page.evaluate(async (to) => {
        const t = await (await fetch(`/api/timeline?from=${to - 86_400_000}&to=${to}`)).json();
        return t.events as number;
      }, newest + 1);
      expect(day).toBe(expected);
      expect(day).toBeGreaterThan(0);
      expect(day).toBeLessThan(total);
      expect(await page.inputValue('#to')).toBe(new Date(newest + 1).toISOString().slice(0, 19));
      const times = await page.$$eval('#events-table tbody.grp tr.main td:first-child', (els) =>
        els.map((e) => Date.parse(`${e.textContent!.replace(' ', 'T')}Z`)),
      );
      for (const t of times) expect(t).toBeGreaterThanOrEqual(newest + 1 - 86_400_000 - 1000);
      await page.click('[data-range="all"]');
      await ready();
      expect(await inView()).toBe(total);
    });

    it("shows an event's explanation on click", async () => {
      const row = page.locator('#events-table tbody.grp').first();
      const src = (await row.locator('tr.main td:nth-child(4) .pivot').textContent())!;
      await row.locator('tr.main td:first-child').click();
      const headline = page.locator('#events-table .explanation .headline').first();
      await headline.waitFor();
      expect(await headline.textContent()).toContain(`from ${src} to`);
      expect(await page.locator('#events-table .explanation .reasons li').count()).toBeGreaterThan(0);
    });

    it('shows hostile log text as inert visible text', async () => {
      const rule = page.locator('#top-rule .pivot', { hasText: 'onerror' });
      expect(await rule.textContent()).toBe(HOSTILE_RULE_SHOWN);
      await rule.click();
      await ready();
      expect(await inView()).toBe(1);
      expect(await page.textContent('#chips .chip code')).toBe(HOSTILE_RULE_SHOWN);
      expect(await page.textContent('#events-table td:nth-child(7) .pivot')).toBe(HOSTILE_RULE_SHOWN);
      await page.locator('#events-table tbody.grp td:first-child').first().click();
      await page.locator('#events-table .explanation').waitFor();
      const unparsed = await page.textContent('#unparsed-table');
      expect(unparsed).toContain(
        '<script>alert(3)</script> ␛[2J <U+202E> garbage line <img src=x onerror=alert(4)>',
      );
      // Nothing of it became markup or ran.
      expect(await page.$$eval('script', (els) => els.map((e) => e.getAttribute('src')))).toEqual([
        '/assets/echarts.js',
        '/assets/console.js',
      ]);
      expect(await page.$$eval('img', (els) => els.length)).toBe(0);
      expect(dialogs).toEqual([]);
      const text = await page.evaluate(() => document.body.textContent ?? '');
      // biome-ignore lint/suspicious/noControlCharactersInRegex: a raw ESC or RLO is what must not be shown
      expect(text).not.toMatch(/[\u001b\u202e]/);
      await page.click('#chips .chip .x');
      await ready();
      expect(errors).toEqual([]);
    });

    it('switches to Chinese and to the dark palette of the report', async () => {
      // Who the top addresses are (owner, country, research scanner), as the report says, in the page's language.
      const contexts = () => page.$$eval('#top-src li .ctx', (els) => els.map((e) => e.textContent));
      const en = await contexts();
      expect(en).toContain('documentation');
      await page.click('[data-set-lang="zh"]');
      expect(await page.textContent('h1')).toBe('防火墙日志控制台');
      const zh = await contexts();
      expect(zh).toContain('文档示例');
      expect(zh.length).toBe(en.length);
      expect(await page.textContent('#events-table th:first-child')).toBe('时间(UTC)');
      expect(await page.textContent('#in-view')).toMatch(/^此视图中有 [\d,]+ 条事件$/);
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
      await page.click('[data-set-lang="en"]');
      expect(await page.textContent('h1')).toBe('Firewall log console');
      const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      await page.click('[data-theme-set="light"]');
      expect(await bg()).toBe('rgb(245, 246, 248)');
      await page.click('[data-theme-set="dark"]');
      expect(await bg()).toBe('rgb(17, 21, 27)');
      // On a dark system: auto follows it, and "light" overrides it.
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.click('[data-theme-set="auto"]');
      expect(await bg()).toBe('rgb(17, 21, 27)');
      await page.click('[data-theme-set="light"]');
      expect(await bg()).toBe('rgb(245, 246, 248)');
      expect(errors).toEqual([]);
    });
  },
);

describe.skipIf(!hasChromium)(
  'serve console pager at its deepest page (skipped without /usr/bin/chromium)',
  () => {
    let browser: Browser | undefined;
    let app: RunningConsole;

    beforeAll(async () => {
      const [store, b] = await Promise.all([consoleStore(), launchChromium()]);
      browser = b;
      // The real bound is 100,000 events deep; a bound of 120 reaches it on the sample store.
      app = await startConsole({ storePath: store, host: '127.0.0.1', port: 0, lang: 'en', maxOffset: 120 });
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    it('stops where the server stops, says so and how to go further, and never asks past it', async () => {
      const page = await browser!.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(app.url);
      const pageText = () => page.textContent('#page');
      await page.waitForFunction(() => Number(document.body.dataset.ready ?? 0) > 0);
      expect(await page.isHidden('#page-limit')).toBe(true);
      for (const shown of ['51–100', '101–150']) {
        const ready = Number(await page.evaluate(() => document.body.dataset.ready));
        await page.click('#older');
        await page.waitForFunction((n) => Number(document.body.dataset.ready ?? 0) > n, ready);
        expect(await pageText()).toMatch(new RegExp(`^${shown} of [\\d,]+$`));
      }
      expect(await page.isDisabled('#older')).toBe(true);
      expect(await page.textContent('#page-limit')).toBe(
        'Paging stops after 150 events: narrow the time range or add a filter to reach older ones, or export this view.',
      );
      await page.click('#newer');
      await page.waitForFunction(() => document.getElementById('page')!.textContent!.startsWith('51–'));
      expect(await page.isHidden('#page-limit')).toBe(true);
      expect(await page.isDisabled('#older')).toBe(false);
      // A link past the bound opens the first page instead of an error.
      await page.goto(`${app.url}#offset=5000`);
      await page.reload();
      await page.waitForFunction(() => Number(document.body.dataset.ready ?? 0) > 0);
      expect(await pageText()).toMatch(/^1–50 of /);
      expect(errors).toEqual([]);
    });
  },
);

describe.skipIf(!hasChromium)(
  'serve console with what its context lacks (skipped without /usr/bin/chromium)',
  () => {
    let browser: Browser | undefined;
    let app: RunningConsole;
    let allowFile: string;
    let damaged: string;

    beforeAll(async () => {
      const [store, b] = await Promise.all([consoleStore(), launchChromium()]);
      browser = b;
      const dir = mkdtempSync(join(tmpdir(), 'fwlens-console-notices-'));
      // A list line an attacker could have slipped into a shared list file: markup, an ESC and an RLO.
      allowFile = join(dir, 'partners.txt');
      writeFileSync(allowFile, '198.51.100.13\n<img src=x onerror=alert(9)>\u001b[31mRED\u202eevil\n');
      damaged = join(dir, 'damaged.mmdb');
      writeFileSync(damaged, 'not a MaxMind database\n');
      // The context as `fwlens serve --allow-list partners.txt --geoip-db damaged.mmdb` makes it.
      const context = contextEnricher(
        knowledgeBase(),
        { allowList: [allowFile], geoipDb: damaged },
        undefined,
        Date.now(),
      );
      app = await startConsole({ storePath: store, host: '127.0.0.1', port: 0, lang: 'en', context });
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    it('shows each problem as inert visible text, in the language of the page', async () => {
      const page = await browser!.newPage();
      const errors: string[] = [];
      const dialogs: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto(app.url);
      await page.waitForFunction(() => Number(document.body.dataset.ready ?? 0) > 0);
      const notices = () => page.$$eval('#notices li', (els) => els.map((e) => e.textContent));
      const shownLine = '<img src=x onerror=alert(9)>␛[31mRED<U+202E>evil';
      expect(await page.isVisible('#notices')).toBe(true);
      expect(await notices()).toEqual([
        `${allowFile}:2: "${shownLine}" is not an address, CIDR block or ASN (like AS64500), so that line is skipped.`,
        expect.stringMatching(
          new RegExp(
            `^The country database ${damaged} cannot be read \\(.+\\), so the report goes on without countries\\.$`,
          ),
        ),
      ]);
      await page.click('[data-set-lang="zh"]');
      expect((await notices())[0]).toBe(
        `${allowFile}:2:"${shownLine}" 不是地址、CIDR 网段或自治系统号(如 AS64500),已跳过该行。`,
      );
      expect((await notices())[1]).toMatch(/^无法读取国家数据库 /);
      await page.click('[data-set-lang="en"]');
      // Nothing of the list line became markup or ran.
      expect(await page.$$eval('img', (els) => els.length)).toBe(0);
      expect(await page.$$eval('#notices *', (els) => els.map((e) => e.tagName))).toEqual(['LI', 'LI']);
      const text = await page.evaluate(() => document.body.textContent ?? '');
      // biome-ignore lint/suspicious/noControlCharactersInRegex: a raw ESC or RLO is what must not be shown
      expect(text).not.toMatch(/[\u001b\u202e]/);
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
    });
  },
);
