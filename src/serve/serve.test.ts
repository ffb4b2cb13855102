// The console's HTTP API on a real store (the sample and a hostile log ingested), over real loopback sockets:
// views agree with `fwlens analyze` of the same log, pivots, paging, explanations, exports, the security rules.
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedStreams, runCli } from '../../test/helpers.js';
import { consoleStore, HOSTILE_RULE, HOSTILE_RULE_SHOWN, SAMPLE } from '../../test/support/serve-store.js';
import { runServe } from '../cli/serve.js';
import { leaveSummariesPending } from '../store/contract.js';
import { openDuckDbStore } from '../store/duckdb.js';
import { CONSOLE_CSP, EXPORT_COLUMNS } from './app.js';
import { duckDbConsole, findingMatches, summaryAnswers } from './duckdb-queries.js';
import { type EventRow, parseFilter, parseView, type Timeline } from './queries.js';
import { type RunningConsole, startConsole } from './server.js';

interface AnalyzeJson {
  totals: { events: number; malformed: number; unrecognized: number };
  topSources: { ip: string; events: number }[];
  topPorts: { port: number; transport: string; events: number }[];
  findings: unknown[];
  charts: { networks: { narrow: { network: string; events: number }[] } };
}

/** An ESC or a right-to-left override as raw characters: what must never reach a reader. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: exactly what the test looks for
const RAW_CONTROL = /[\u001b\u202e]/;

let storePath: string;
let report: AnalyzeJson;
let app: RunningConsole;
let base: string;

beforeAll(async () => {
  storePath = await consoleStore();
  report = JSON.parse((await runCli(['analyze', '--json', '--workers', '1', SAMPLE])).out) as AnalyzeJson;
  app = await startConsole({ storePath, host: '127.0.0.1', port: 0, lang: 'en' });
  base = app.url;
}, 120_000);
afterAll(async () => {
  await app?.close();
});

/** GET a console path; the body as text and as JSON when it is JSON. */
async function get(path: string, init?: RequestInit) {
  const r = await fetch(new URL(path, base), init);
  const text = await r.text();
  const json = r.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : undefined;
  return { status: r.status, headers: r.headers, text, json };
}

const view = (...chips: string[]) => chips.map((c) => `f=${encodeURIComponent(c)}`).join('&');

/** Every event of a view, page by page through the API. */
async function allEvents(query: string): Promise<EventRow[]> {
  const out: EventRow[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = (await get(`/api/events?${query}&offset=${offset}&limit=500`)).json as EventRow[];
    out.push(...page);
    if (page.length < 500) return out;
  }
}

/** A raw request with a chosen Host header (fetch does not let a caller set it). */
function withHost(host: string, path: string): Promise<number> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: url.port, path: url.pathname, headers: { host } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('console API on the sample store', () => {
  it('knows the whole store: events, findings and unparsed lines as analyze counts them', async () => {
    const { span } = (await get('/api/meta')).json as { span: Record<string, number> };
    const t = report.totals;
    // The hostile log adds one event and one unparsed line.
    expect(span.events).toBe(t.events + 1);
    expect(span.unparsed).toBe(t.malformed + t.unrecognized + 1);
    expect(span.findings).toBe(report.findings.length);
  });

  it('ranks sources and ports as analyze does', async () => {
    const src = (await get('/api/top?by=src&limit=10')).json as { key: string; count: number }[];
    expect(src[0]).toMatchObject({ key: report.topSources[0]!.ip, count: report.topSources[0]!.events });
    for (const row of src) {
      const same = report.topSources.find((s) => s.ip === row.key);
      if (same) expect(row.count, row.key).toBe(same.events);
    }
    const ports = (await get('/api/top?by=port&limit=5')).json as { key: string; count: number }[];
    expect(ports.map((p) => p.key).slice(0, 3)).toEqual(
      report.topPorts.slice(0, 3).map((p) => `${p.port}/${p.transport}`),
    );
    expect(ports[0]!.count).toBe(report.topPorts[0]!.events);
  });

  it('pivots: "is" keeps only the address, "is not" leaves exactly it out, chips combine', async () => {
    const all = (await get('/api/timeline')).json as Timeline;
    const top = report.topSources[1]!;
    const is = (await get(`/api/timeline?${view(`src:${top.ip}`)}`)).json as Timeline & { chips: unknown[] };
    expect(is.events).toBe(top.events);
    expect(is.chips).toEqual([{ key: `src:${top.ip}`, field: 'src', not: false, value: top.ip }]);
    const rows = await allEvents(view(`src:${top.ip}`));
    expect(rows).toHaveLength(top.events);
    expect(new Set(rows.map((r) => r.src))).toEqual(new Set([top.ip]));
    const not = (await get(`/api/timeline?${view(`!src:${top.ip}`)}`)).json as Timeline;
    expect(not.events).toBe(all.events - top.events);
    // Source and one of its ports: as many as the source's own events to that port.
    const port = rows[0]!.dstPort!;
    const both = (await get(`/api/timeline?${view(`src:${top.ip}`, `port:${port}`)}`)).json as Timeline;
    expect(both.events).toBe(rows.filter((r) => r.dstPort === port).length);
    // Two "is" values of one field are either; the top lists under a pivot count only the view.
    const two = report.topSources[2]!;
    const either = (await get(`/api/timeline?${view(`src:${top.ip}`, `src:${two.ip}`)}`)).json as Timeline;
    expect(either.events).toBe(top.events + two.events);
    const pivotedTop = (await get(`/api/top?by=src&${view(`src:${top.ip}`)}`)).json;
    expect(pivotedTop).toEqual([
      { key: top.ip, label: top.ip, count: top.events, context: { en: 'private', zh: '私有' } },
    ]);
    // An IPv4-mapped IPv6 address or network means the IPv4 one, as `query ip` reads it; the chip says which.
    expect(top.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    for (const mapped of [`::ffff:${top.ip}`, `0:0:0:0:0:FFFF:${top.ip}`]) {
      const m = (await get(`/api/timeline?${view(`src:${mapped}`)}`)).json as Timeline & { chips: unknown[] };
      expect(m.events, mapped).toBe(top.events);
      expect(m.chips).toEqual([{ key: `src:${top.ip}`, field: 'src', not: false, value: top.ip }]);
      expect((await get(`/api/top?by=src&${view(`src:${mapped}`)}`)).json).toEqual(pivotedTop);
      expect(((await get(`/api/timeline?${view(`!src:${mapped}`)}`)).json as Timeline).events).toBe(
        all.events - top.events,
      );
    }
    const mappedNet = `::ffff:${top.ip.split('.').slice(0, 3).join('.')}.0/120`;
    const v4Net = `${top.ip.split('.').slice(0, 3).join('.')}.0/24`;
    const byNet = (await get(`/api/timeline?${view(`src:${mappedNet}`)}`)).json as Timeline & {
      chips: { value: string }[];
    };
    expect(byNet.chips[0]!.value).toBe(v4Net);
    expect(byNet.events).toBe(((await get(`/api/timeline?${view(`src:${v4Net}`)}`)).json as Timeline).events);
    // A network: the /24 of the busiest source holds at least its events.
    const net = `${report.topSources[0]!.ip.split('.').slice(0, 3).join('.')}.0/24`;
    const cidr = (await get(`/api/timeline?${view(`src:${net}`)}`)).json as Timeline;
    expect(cidr.events).toBeGreaterThanOrEqual(report.topSources[0]!.events);
    // IPv6 networks, as the report's network chart lists them: the console counts what analyze counted.
    const total = ((await get('/api/timeline')).json as Timeline).events;
    const v6 = report.charts.networks.narrow.filter((n) => n.network.includes(':'));
    expect(v6.length).toBeGreaterThan(3);
    for (const n of v6) {
      const is = (await get(`/api/timeline?${view(`src:${n.network}`)}`)).json as Timeline & {
        chips: { value: string }[];
      };
      expect(is.events, n.network).toBe(n.events);
      expect(is.chips[0]!.value).toBe(n.network);
      const not = (await get(`/api/timeline?${view(`!src:${n.network}`)}`)).json as Timeline;
      expect(not.events, n.network).toBe(total - n.events);
      // Its events' sources all lie in it (the first /48's leading groups).
      const rows = await allEvents(view(`src:${n.network}`));
      const head = n.network.split('::')[0]!;
      expect(
        rows.every((r) => r.src?.startsWith(head)),
        n.network,
      ).toBe(true);
    }
  });

  it('narrows to a time range: one bucket of the timeline holds what that range holds', async () => {
    const all = (await get('/api/timeline')).json as Timeline;
    const deny = all.series.deny!;
    const k = deny.indexOf(Math.max(...deny));
    const from = all.start! + k * all.bucketMs;
    const to = from + all.bucketMs;
    const inBucket = Object.values(all.series).reduce((sum, s) => sum + s[k]!, 0);
    const narrow = (await get(`/api/timeline?from=${from}&to=${to}`)).json as Timeline;
    expect(narrow.events).toBe(inBucket);
    const rows = await allEvents(`from=${from}&to=${to}`);
    expect(rows).toHaveLength(inBucket);
    for (const r of rows) expect(r.time! >= from && r.time! < to).toBe(true);
    // A range before the log: nothing, in every view.
    const none = 'from=0&to=1000';
    expect(((await get(`/api/timeline?${none}`)).json as Timeline).events).toBe(0);
    for (const by of ['src', 'dst', 'port', 'rule'])
      expect((await get(`/api/top?by=${by}&${none}`)).json).toEqual([]);
    expect((await get(`/api/events?${none}`)).json).toEqual([]);
  });

  it('pages events newest first without overlap', async () => {
    const one = (await get('/api/events?limit=50')).json as EventRow[];
    const two = (await get('/api/events?limit=50&offset=50')).json as EventRow[];
    expect(one).toHaveLength(50);
    const times = [...one, ...two].map((r) => r.time!);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const keys = new Set(one.map((r) => `${r.input}:${r.line}`));
    for (const r of two) expect(keys.has(`${r.input}:${r.line}`)).toBe(false);
  });

  it("explains any event in both languages, from the store's fields", async () => {
    const [row] = (await get(`/api/events?limit=1&${view('port:22')}`)).json as EventRow[];
    const x = (await get(`/api/event?input=${row!.input}&line=${row!.line}`)).json;
    expect(x.event.sourceIp).toBe(row!.src);
    expect(x.event.destinationPort).toBe(22);
    expect(x.explanation.headline.en).toContain(`from ${row!.src} to ${row!.dst} port 22`);
    expect(x.explanation.headline.zh).toContain(row!.src!);
    expect(x.explanation.portLabel.en).toMatch(/SSH/);
    expect(x.explanation.severity.score).toBeGreaterThanOrEqual(1);
    expect((await get('/api/event?input=1&line=999999999')).status).toBe(404);
  });

  it('explains an event with its context, as `fwlens explain` does: owners, and a research scanner one lower', async () => {
    // The sample's Shadowserver source, known by its AS number only (not by an address block of its own).
    const rows = (await get(`/api/events?limit=50&${view('src:45.143.160.27')}`)).json as EventRow[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const x = (await get(`/api/event?input=${row.input}&line=${row.line}`)).json;
      const raw = readFileSync(SAMPLE, 'utf8').split('\n')[row.line - 1]!;
      const cli = JSON.parse((await runCli(['explain', raw, '--json'])).out);
      expect(x.explanation.severity).toEqual(cli.explanation.severity);
      expect(x.explanation.severity.reasons.at(-1).text.en).toBe(
        'known research scanner: Shadowserver Foundation',
      );
      expect(JSON.stringify(x.explanation.sections)).toContain('Shadowserver');
    }
  });

  it('lists findings with their evidence lines, narrowed by an address chip', async () => {
    const all = (await get('/api/findings?limit=500')).json as {
      total: number;
      findings: { sources: string[]; evidence: { text: string; line?: number }[] }[];
    };
    expect(all.total).toBe(report.findings.length);
    expect(all.findings.every((f) => f.evidence.length > 0 && f.evidence[0]!.text.length > 0)).toBe(true);
    const source = all.findings[0]!.sources[0]!;
    const mine = (await get(`/api/findings?${view(`src:${source}`)}`)).json as typeof all;
    expect(mine.total).toBe(all.findings.filter((f) => f.sources.includes(source)).length);
    expect(mine.findings.every((f) => f.sources.includes(source))).toBe(true);
    const others = (await get(`/api/findings?${view(`!src:${source}`)}`)).json as typeof all;
    expect(others.total).toBe(all.total - mine.total);
  });

  it('shows hostile log text as inert visible text, and pivots on it by its exact value', async () => {
    const rules = (await get('/api/top?by=rule&limit=50')).json as {
      key: string;
      label: string;
      count: number;
    }[];
    const hostile = rules.find((r) => r.key === HOSTILE_RULE);
    expect(hostile).toMatchObject({ label: HOSTILE_RULE_SHOWN, count: 1 });
    const pivot = (await get(`/api/timeline?${view(`rule:${HOSTILE_RULE}`)}`)).json as Timeline;
    expect(pivot.events).toBe(1);
    const events = await get(`/api/events?${view(`rule:${HOSTILE_RULE}`)}`);
    expect((events.json as EventRow[])[0]!.rule).toBe(HOSTILE_RULE_SHOWN);
    const unparsed = await get('/api/unparsed?limit=500');
    expect(unparsed.text).toContain('␛[2J <U+202E> garbage line <img src=x onerror=alert(4)>');
    // No ESC or bidi override is in any text the page shows: only the exact pivot keys hold them (as
    // \u escapes on the wire), and the page never displays a key.
    const shownTexts = (v: unknown, key = ''): string[] =>
      typeof v === 'string'
        ? key === 'key' || key.endsWith('Key')
          ? []
          : [v]
        : v && typeof v === 'object'
          ? Object.entries(v).flatMap(([k, x]) => shownTexts(x, Array.isArray(v) ? key : k))
          : [];
    for (const r of [events, unparsed, await get('/api/top?by=rule&limit=50')]) {
      expect(r.text).not.toMatch(RAW_CONTROL);
      expect(shownTexts(r.json).join('\n')).not.toMatch(RAW_CONTROL);
    }
    expect((events.json as { ruleKey: string }[])[0]!.ruleKey).toBe(HOSTILE_RULE);
  });

  it('exports the view as CSV and NDJSON, row for row', async () => {
    const ip = report.topSources[0]!.ip;
    const q = view(`src:${ip}`);
    const rows = await allEvents(q);
    const csv = await get(`/api/export?format=csv&${q}`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('x-fwlens-rows')).toBe(String(rows.length));
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(EXPORT_COLUMNS.join(','));
    expect(lines).toHaveLength(rows.length + 1);
    const srcCol = EXPORT_COLUMNS.indexOf('src_ip');
    expect(new Set(lines.slice(1).map((l) => l.split(',')[srcCol]))).toEqual(new Set([ip]));
    const nd = await get(`/api/export?format=ndjson&${q}`);
    const records = nd.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => [r.file, r.line, r.dst_port])).toEqual(
      rows.map((r) => [r.file, r.line, r.dstPort]),
    );
    // The hostile rule: exact in NDJSON (escaped), visible and defused in CSV.
    const h = await get(`/api/export?format=ndjson&${view(`rule:${HOSTILE_RULE}`)}`);
    expect(JSON.parse(h.text).rule).toBe(HOSTILE_RULE);
    expect(h.text).not.toMatch(RAW_CONTROL);
    const hc = await get(`/api/export?format=csv&${view(`rule:${HOSTILE_RULE}`)}`);
    expect(hc.text).toContain(HOSTILE_RULE_SHOWN);
  });

  it('refuses bad filters in one sentence, writes nothing, and sends its security headers always', async () => {
    for (const bad of [
      'f=src:not-an-ip',
      'f=port:70000',
      'f=color:red',
      'from=yesterday',
      'f=action:explode',
    ]) {
      const r = await get(`/api/timeline?${bad}`);
      expect(r.status, bad).toBe(400);
      expect(r.json.error).toMatch(/^[a-z][^\n]*$/);
    }
    expect((await get('/api/top?by=mood')).status).toBe(400);
    // Both languages: the page shows the one it is in.
    const port = (await get('/api/timeline?f=port:70000')).json;
    expect(port).toEqual({
      error: 'a port filter is a number from 0 to 65535, as in 22 or 22/tcp',
      text: {
        en: 'a port filter is a number from 0 to 65535, as in 22 or 22/tcp',
        zh: '端口筛选值应为 0 到 65535 的数字,如 22 或 22/tcp',
      },
    });
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const r = await get('/api/timeline', { method });
      expect(r.status, method).toBe(405);
      expect(r.headers.get('allow')).toBe('GET, HEAD');
    }
    for (const path of ['/', '/api/meta', '/api/nothing', '/api/timeline?f=port:x', '/assets/console.js']) {
      const r = await get(path);
      expect(r.headers.get('content-security-policy'), path).toBe(CONSOLE_CSP);
      expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(r.headers.get('x-frame-options'), path).toBe('DENY');
    }
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
    expect(CONSOLE_CSP).not.toContain('unsafe-inline');
    const head = await fetch(base, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
  });

  it('answers only under its own host name (DNS rebinding)', async () => {
    const port = new URL(base).port;
    expect(await withHost(`127.0.0.1:${port}`, '/api/meta')).toBe(200);
    expect(await withHost(`localhost:${port}`, '/api/meta')).toBe(200);
    expect(await withHost(`rebind.example:${port}`, '/api/meta')).toBe(403);
    expect(await withHost(`127.0.0.1:${Number(port) + 1}`, '/')).toBe(403);
  });
});

describe('console with a token', () => {
  const token = 'k3y-for-the-test-0123456789';
  let secured: RunningConsole;
  beforeAll(async () => {
    secured = await startConsole({ storePath, host: '127.0.0.1', port: 0, lang: 'en', token });
  }, 120_000);
  afterAll(async () => {
    await secured?.close();
  });

  it("needs it on every request, by header or ?token=, and puts it in the page's own links", async () => {
    const origin = new URL(secured.url).origin;
    expect(secured.url).toBe(`${origin}/?token=${token}`);
    for (const path of ['/', '/api/meta', '/assets/console.js', '/api/export?format=csv'])
      expect((await fetch(`${origin}${path}`)).status, path).toBe(401);
    expect((await fetch(`${origin}/api/meta?token=${token}x`)).status).toBe(401);
    expect((await fetch(`${origin}/api/meta`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(
      401,
    );
    expect(
      (await fetch(`${origin}/api/meta`, { headers: { Authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
    const page = await fetch(secured.url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`src="/assets/console.js?token=${token}"`);
    expect(html).not.toContain('__Q__');
    expect((await fetch(`${origin}/assets/console.js?token=${token}`)).status).toBe(200);
  });
});

describe('fwlens serve', () => {
  it('refuses a non-loopback address without a token, a weak token and a bad host, in one sentence', async () => {
    for (const [args, text] of [
      [['--host', '0.0.0.0'], '--host 0.0.0.0 is not a loopback address: give --token'],
      [['--host', '192.0.2.1'], '--host 192.0.2.1 is not a loopback address'],
      [['--token', 'short'], '--token needs 16 to 256 characters'],
      [['--host', 'bad host!'], 'is not an IP address or host name'],
    ] as const) {
      const r = await runCli(['serve', '--store', storePath, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain(text);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    const zh = await runCli(['serve', '--store', storePath, '--host', '0.0.0.0', '--lang', 'zh']);
    expect(zh.err).toContain('不是回环地址');
  });

  it('an unreachable ClickHouse store: one sentence without its password, exit 1', async () => {
    const r = await runCli(['serve', '--store', 'clickhouse://reader:s3cret@127.0.0.1:1/fwlens']);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('clickhouse://reader@127.0.0.1:1/fwlens');
    expect(r.err).not.toContain('s3cret');
  });

  it('says so when the store is missing or the port is taken', async () => {
    const missing = await runCli(['serve', '--store', '/nonexistent/fwlens.duckdb']);
    expect([missing.code, missing.err]).toEqual([
      1,
      'fwlens: there is no store at /nonexistent/fwlens.duckdb; fill it first with fwlens ingest --store /nonexistent/fwlens.duckdb <files>\n',
    ]);
    const taken = await runCli(['serve', '--store', storePath, '--port', new URL(base).port]);
    expect(taken.code).toBe(1);
    expect(taken.err).toBe(
      `fwlens: port ${new URL(base).port} on 127.0.0.1 is in use; choose another with --port (0 picks a free one)\n`,
    );
  });

  /** `fwlens serve` on `store` in this process, on a free port, until `stop()`; `done` is its exit code. */
  function serveHere(store: string) {
    const io = capturedStreams();
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const done = runServe({ store, port: 0, lang: 'en' }, { ...io, env: {} }, stopped);
    return { io, stop, done };
  }

  it('prints its address, serves the page there, and stops cleanly', async () => {
    const { io, stop, done } = serveHere(storePath);
    for (let i = 0; i < 100 && !io.out(); i++) await new Promise((r) => setTimeout(r, 50));
    const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(io.out())?.[0];
    expect(io.out()).toBe(`fwlens console on ${url} (read-only; Ctrl-C stops it)\n`);
    const page = await fetch(url!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script src="/assets/console.js" defer></script>');
    stop();
    expect(await done).toBe(0);
    await expect(fetch(url!)).rejects.toThrow();
    expect(io.err()).toBe('');
  });

  it('says when a stopped run left summaries unwritten (the top lists leave those events out)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'fwlens-serve-')), 'pending.duckdb');
    copyFileSync(storePath, path);
    await leaveSummariesPending(path);
    const { io, stop, done } = serveHere(path);
    for (let i = 0; i < 100 && !io.err(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(io.err()).toBe(
      `fwlens: the store ${path} holds events whose summaries a stopped run did not write; top lists, new sources and countries leave them out until the next fwlens ingest\n`,
    );
    stop();
    expect(await done).toBe(0);
  });
});

describe('top addresses by buckets (the path for large views)', () => {
  it('gives the same list as one GROUP BY of every address, ties and order included', async () => {
    const store = await openDuckDbStore(storePath, { readOnly: true });
    const plain = duckDbConsole(store, { summaries: false });
    // Every branch: the busiest buckets alone decide, more buckets pass the bar, too many pass it; and the
    // per-day summaries (views without chips over whole days).
    const variants = [
      duckDbConsole(store, { summaries: false, bucketedTopMinEvents: 0 }),
      duckDbConsole(store, { summaries: false, bucketedTopMinEvents: 0, firstRoundBuckets: 1 }),
      duckDbConsole(store, {
        summaries: false,
        bucketedTopMinEvents: 0,
        firstRoundBuckets: 2,
        maxCandidateBuckets: 3,
      }),
      duckDbConsole(store),
    ];
    try {
      const busiest = report.topSources[0]!.ip;
      const span = await plain.span();
      const day = 86_400_000;
      const firstDay = Math.floor(span.first! / day) * day;
      const lastDay = Math.floor(span.last! / day) * day;
      // Whole days between the edges, so the ranges below with partial edges take the summaries' path.
      expect(lastDay - firstDay).toBeGreaterThanOrEqual(2 * day);
      const viewOf = (q: string) => parseView(new URLSearchParams(q));
      expect(summaryAnswers(viewOf(`from=${firstDay + day - 3_600_000}&to=${lastDay + 3_600_000}`))).toBe(
        true,
      );
      expect(summaryAnswers(viewOf(`from=${lastDay - 7 * day + 5_000}`))).toBe(true);
      // Edges longer than half the whole days between them, or no whole day: the bucketed path.
      expect(summaryAnswers(viewOf(`from=${firstDay + day / 2}&to=${firstDay + 2 * day + day / 2}`))).toBe(
        false,
      );
      expect(summaryAnswers(viewOf(`from=${lastDay + 1_000}&to=${lastDay + day - 1_000}`))).toBe(false);
      expect(summaryAnswers(viewOf('f=port:22'))).toBe(false);
      const views = [
        '',
        `from=${firstDay}`,
        `to=${lastDay + day}`,
        `from=${lastDay}&to=${lastDay + day}`,
        `from=${firstDay}&to=${lastDay}`,
        `from=${lastDay - 30 * day}&to=${lastDay - 29 * day}`,
        // Partial days at either edge (grouped from the events), around whole days from the summaries.
        `from=${firstDay + day - 3_600_000}&to=${lastDay + 3_600_000}`,
        `from=${firstDay + day - 3_600_000}`,
        `to=${lastDay + 3_600_000}`,
        `from=${firstDay + 3_600_000}`,
        `to=${lastDay + 7_200_000}`,
        `from=${firstDay + 1_000}&to=${lastDay + 5_000}`,
        `from=${firstDay + 1_000}&to=${lastDay}`,
        `from=${firstDay}&to=${lastDay + 5_000}`,
        // Inside one day: the bucketed path.
        `from=${lastDay + 1_000}&to=${lastDay + 50_000_000}`,
        `f=${encodeURIComponent(`!src:${busiest}`)}`,
        'f=port:22',
        'f=action:deny&f=port:23',
      ];
      let compared = 0;
      for (const q of views)
        for (const by of ['src', 'dst'] as const)
          for (const limit of [1, 3, 10, 50]) {
            const view = parseView(new URLSearchParams(q));
            const want = await plain.top(view, by, limit);
            for (const [i, bucketed] of variants.entries())
              expect(await bucketed.top(view, by, limit), `${i}: ${by} ${q} ${limit}`).toEqual(want);
            compared += want.length;
          }
      expect(compared).toBeGreaterThan(500);
    } finally {
      await plain.close();
      for (const v of variants) await v.close();
      await store.close();
    }
  });
});

describe('findingMatches', () => {
  it('matches a finding by the sources and targets an address or network chip names', () => {
    const chip = (v: string, not = false) => parseFilter(`${not ? '!' : ''}src:${v}`);
    const sources = ['198.51.100.7', '2001:db8:0:1::9'];
    expect(findingMatches([chip('2001:db8::/48')], sources, [], [])).toBe(true);
    expect(findingMatches([chip('2001:db8:0:1::/64')], sources, [], [])).toBe(true);
    expect(findingMatches([chip('2001:db8::/64')], sources, [], [])).toBe(false);
    expect(findingMatches([chip('2001:db8::/48', true)], sources, [], [])).toBe(false);
    expect(findingMatches([chip('198.51.100.0/24')], sources, [], [])).toBe(true);
    expect(findingMatches([chip('2001:db8:0:1::9')], sources, [], [])).toBe(true);
  });
});
