// The console's HTTP layer (hono): read-only routes, security headers, Host and token checks, JSON views, exports.
import { createHash, timingSafeEqual } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { contextText } from '../context/describe.js';
import { ContextEnricher } from '../context/enrich.js';
import { explainWithContext } from '../context/explain-context.js';
import type { FwEvent } from '../event.js';
import { explainEvent } from '../explain/index.js';
import { type Lang, MESSAGES, type MessageKey, NOUNS, t } from '../i18n.js';
import { knowledgeBase } from '../knowledge/index.js';
import { ACTION_WORDS, DIRECTION_WORDS, SEVERITY_WORDS } from '../report/html/strings.js';
import { csvField } from '../report/machine.js';
import { StoreError } from '../store/types.js';
import { BoundedCache } from '../util/bounded-cache.js';
import { jsonText, visibleText } from '../util/visible.js';
import { consoleAssets } from './assets.js';
import {
  type ConsoleQueries,
  type EventRow,
  parseView,
  TOP_FIELDS,
  type TopField,
  type View,
  ViewError,
} from './queries.js';

/** Most events one export holds (newest first); a larger one is cut there and says so in its headers. */
export const EXPORT_MAX_ROWS = 100_000;
/** The time range presets of the page, counted back from the newest stored event (ms). */
export const RANGE_PRESETS_MS: Record<string, number> = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 604_800_000,
  '30d': 2_592_000_000,
};

/** Most buckets of the events-over-time chart. */
export const TIMELINE_BUCKETS = 240;
/** Largest page of the events table, of a top list, of the findings and of the unparsed lines. */
export const MAX_PAGE_ROWS = 500;
/** Deepest offset into the events table (paging further is what the time range and export are for). */
export const MAX_OFFSET = 100_000;

/** How the console was started: what it answers to and in which language it speaks by default. */
export interface ConsoleConfig {
  lang: Lang;
  version: string;
  /** Values of the Host header accepted (`127.0.0.1:8080`); undefined: any (a wildcard bind, token required). */
  hosts?: Set<string>;
  /** Secret every request must carry, when set. */
  token?: string;
  /** Answers kept for repeated views (0: none; the benchmark measures the queries themselves). */
  cacheEntries?: number;
  /** Deepest offset into the events table and the unparsed lines (MAX_OFFSET unless a test makes it small). */
  maxOffset?: number;
  /**
   * Context of the explanations: the enricher `fwlens serve` made from its lists, country database and
   * config, as analyze and explain make theirs; null with `--no-context`. Absent: the default context (no
   * lists, the `label` policy), made at the first explanation.
   */
  context?: ContextEnricher | null;
}

/** Answers of views kept per generation of the cache (it holds up to twice this many). */
export const ANSWER_CACHE_ENTRIES = 128;

/** Largest answer kept in the cache, in characters. */
const MAX_CACHED_ANSWER = 2_000_000;

/**
 * Content-Security-Policy of the console: scripts, styles and fetches only from the console itself, no
 * inline script or style attribute, no frames, forms or plugins.
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time comparison of a presented token with the secret (both hashed to the same length first). */
export function tokenMatches(presented: string | undefined, secret: string): boolean {
  if (presented === undefined) return false;
  return timingSafeEqual(digest(presented), digest(secret));
}

/**
 * JSON for the page with every string made visible (control, ESC and bidi characters as stand-ins), except
 * the values of `key` properties: those are the exact values a pivot sends back, never shown as they are.
 */
export function shownJson(value: unknown): unknown {
  if (typeof value === 'string') return visibleText(value);
  if (Array.isArray(value)) return value.map(shownJson);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        visibleText(k),
        k === 'key' || k.endsWith('Key') ? v : shownJson(v),
      ]),
    );
  return value;
}

/**
 * Answer with `value` as the page's JSON (shownJson), serialized by jsonText: the exact pivot keys keep
 * their characters, but DEL, C1 and bidi controls travel as \u escapes, never raw bytes.
 */
function shown(c: Context, value: unknown): Response {
  return json(c, jsonText(shownJson(value)));
}

function json(c: Context, text: string): Response {
  c.header('Content-Type', 'application/json; charset=utf-8');
  return c.body(text);
}

/** Catalog entries under a prefix, without it. */
function section(prefix: string): Record<string, { en: string; zh: string }> {
  const out: Record<string, { en: string; zh: string }> = {};
  for (const [key, text] of Object.entries(MESSAGES))
    if (key.startsWith(prefix)) out[key.slice(prefix.length)] = text;
  return out;
}

/** The page's words: the HTML report's (`html.*`) and the console's own (`serve.*`), both languages. */
export function consoleWords() {
  return {
    ui: { ...section('html.'), ...section('serve.') },
    /** The counted things of `{n:noun}` placeholders: English singular and plural, the Chinese measure word. */
    nouns: NOUNS,
    action: ACTION_WORDS,
    direction: DIRECTION_WORDS,
    severity: SEVERITY_WORDS,
  };
}

/** A whole number parameter within bounds, or the default when absent. */
function intParam(params: URLSearchParams, name: string, fallback: number, max: number): number {
  const v = params.get(name);
  if (v === null || v === '') return fallback;
  if (!/^\d{1,9}$/.test(v) || Number(v) > max) throw new ViewError('serve.view.number', { name, max });
  return Number(v);
}

/** The view as the page shows its chips: the exact value to send back, and visible text to show. */
function chips(view: View) {
  return view.filters.map((f) => ({
    key: `${f.not ? '!' : ''}${f.field}:${f.text}`,
    field: f.field,
    not: f.not,
    value: f.text,
  }));
}

/** Columns of the exports, in order (the names of the store's `events_v`, plus where each came from). */
export const EXPORT_COLUMNS = [
  'time',
  'action',
  'direction',
  'transport',
  'src_ip',
  'src_port',
  'dst_ip',
  'dst_port',
  'rule',
  'prefix',
  'host',
  'format',
  'file',
  'line',
] as const;

function exportRecord(r: EventRow): Record<(typeof EXPORT_COLUMNS)[number], string | number | null> {
  return {
    time: r.time === undefined ? null : new Date(r.time).toISOString(),
    action: r.action,
    direction: r.direction,
    transport: r.transport ?? null,
    src_ip: r.src ?? null,
    src_port: r.srcPort ?? null,
    dst_ip: r.dst ?? null,
    dst_port: r.dstPort ?? null,
    rule: r.rule ?? null,
    prefix: r.prefix ?? null,
    host: r.host ?? null,
    format: r.format,
    file: r.file ?? null,
    line: r.line,
  };
}

/** The event's fields for the explanation panel (the whole FwEvent but its raw line). */
function eventFacts(ev: FwEvent): Record<string, unknown> {
  const { raw: _raw, ...rest } = ev as FwEvent & { raw?: string };
  return rest;
}

/** Build the console's hono app over `q`. */
export function consoleApp(q: ConsoleQueries, config: ConsoleConfig): Hono {
  const maxOffset = config.maxOffset ?? MAX_OFFSET;
  const app = new Hono();
  const lang = config.lang;
  const say = (key: MessageKey, vars?: Record<string, string | number>) => t(key, lang, vars);
  const assets = consoleAssets();
  /** Context for the explanations and the top addresses (the ASN table and country database opened once). */
  let enricher = config.context;
  /** The enricher, made on first use when `fwlens serve` gave none; null with `--no-context`. */
  const contextOf = (): ContextEnricher | null => {
    if (enricher === undefined) enricher = new ContextEnricher(knowledgeBase());
    return enricher;
  };

  // Every answer, errors included, carries the security headers.
  app.use('*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CONSOLE_CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  });

  // Read-only, the right host, the token: in this order, before any route runs.
  app.use('*', async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      c.header('Allow', 'GET, HEAD');
      return c.json({ error: say('serve.http.method') }, 405);
    }
    // A page on another site that resolves its own name to 127.0.0.1 (DNS rebinding) sends its own Host.
    const host = (c.req.header('host') ?? '').toLowerCase();
    if (config.hosts && !config.hosts.has(host)) return c.json({ error: say('serve.http.host') }, 403);
    if (config.token !== undefined) {
      const auth = c.req.header('authorization');
      const bearer = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
      const presented = bearer ?? new URL(c.req.url).searchParams.get('token') ?? undefined;
      if (!tokenMatches(presented, config.token)) {
        c.header('WWW-Authenticate', 'Bearer');
        return c.json({ error: say('serve.http.token') }, 401);
      }
    }
    await next();
  });

  // The page's own files carry the token in their addresses too (a <script src> sends no header).
  const tokenQuery = config.token === undefined ? '' : `?token=${encodeURIComponent(config.token)}`;
  for (const [path, asset] of assets) {
    const body = path === '/' ? asset.body.replaceAll('__Q__', tokenQuery) : asset.body;
    app.get(path, (c) => {
      c.header('Content-Type', asset.type);
      return c.body(body);
    });
  }

  const params = (url: string) => new URL(url).searchParams;

  // Repeated views (back to "all", a chip removed) are answered from here. The store is read-only here,
  // but `fwlens ingest` may write it between requests (src/serve/shared-store.ts): answers kept from an
  // older generation of the file are dropped before one is given.
  const cacheEntries = config.cacheEntries ?? ANSWER_CACHE_ENTRIES;
  let answers = cacheEntries > 0 ? new BoundedCache<string, string>(cacheEntries) : undefined;
  let generation = q.generation?.();
  app.use('/api/*', async (c, next) => {
    const url = new URL(c.req.url);
    if (!answers || url.pathname === '/api/export') return next();
    const now = q.generation?.();
    if (now !== generation) {
      generation = now;
      answers = new BoundedCache<string, string>(cacheEntries);
    }
    url.searchParams.delete('token');
    url.searchParams.sort();
    const key = `${url.pathname}?${url.searchParams}`;
    const hit = answers.get(key);
    if (hit !== undefined) return json(c, hit);
    await next();
    if (
      c.res.status === 200 &&
      c.res.headers.get('content-type')?.startsWith('application/json') &&
      q.generation?.() === generation
    ) {
      const text = await c.res.clone().text();
      if (text.length <= MAX_CACHED_ANSWER) answers.set(key, text);
    }
  });

  app.get('/api/meta', async (c) => {
    const span = await q.span();
    return shown(c, {
      version: config.version,
      lang,
      words: consoleWords(),
      ranges: RANGE_PRESETS_MS,
      span,
      exportMax: EXPORT_MAX_ROWS,
      maxOffset,
      // What the explanations' context lacks (data missing or damaged, list files), as `serve` said it at start.
      notices: config.context?.problems ?? [],
    });
  });

  app.get('/api/timeline', async (c) => {
    const view = parseView(params(c.req.url));
    const timeline = await q.timeline(view, TIMELINE_BUCKETS);
    return shown(c, { ...timeline, chips: chips(view) });
  });

  app.get('/api/top', async (c) => {
    const p = params(c.req.url);
    const by = p.get('by') ?? 'src';
    if (!(TOP_FIELDS as readonly string[]).includes(by))
      throw new ViewError('serve.view.oneOf', { name: 'by', values: TOP_FIELDS.join(', ') });
    const rows = await q.top(parseView(p), by as TopField, intParam(p, 'limit', 10, MAX_PAGE_ROWS));
    // Who an address is, in the words the report's top sources use (owner, country, research scanner, allow or
    // deny list), in both languages: the page switches language without asking again.
    const who = by === 'src' || by === 'dst' ? contextOf() : null;
    return shown(
      c,
      rows.map((r) => {
        const ctx = who?.of(r.key);
        const context = ctx ? { en: contextText(ctx, 'en'), zh: contextText(ctx, 'zh') } : undefined;
        return { key: r.key, label: r.key, count: r.count, ...(context?.en ? { context } : {}) };
      }),
    );
  });

  app.get('/api/events', async (c) => {
    const p = params(c.req.url);
    const rows = await q.events(
      parseView(p),
      intParam(p, 'offset', 0, maxOffset),
      intParam(p, 'limit', 50, MAX_PAGE_ROWS),
    );
    return shown(
      c,
      rows.map((r) => ({ ...r, ...(r.rule === undefined ? {} : { ruleKey: r.rule }) })),
    );
  });

  app.get('/api/event', async (c) => {
    const p = params(c.req.url);
    const ev = await q.event(intParam(p, 'input', 0, 2 ** 31), intParam(p, 'line', 0, 999_999_999));
    if (!ev) return c.json({ error: say('serve.http.notFound') }, 404);
    // As `fwlens explain` gives it with the same flags: who owns each address, and the far end's severity
    // step (allow or deny list, research scanner).
    const kb = knowledgeBase();
    const context = contextOf();
    const plain = explainEvent(ev, kb);
    const explanation = context === null ? plain : explainWithContext(plain, ev, context);
    return shown(c, { event: eventFacts(ev), explanation });
  });

  app.get('/api/findings', async (c) => {
    const p = params(c.req.url);
    return shown(c, await q.findings(parseView(p), intParam(p, 'limit', 100, MAX_PAGE_ROWS)));
  });

  app.get('/api/unparsed', async (c) => {
    const p = params(c.req.url);
    return shown(
      c,
      await q.unparsed(intParam(p, 'offset', 0, maxOffset), intParam(p, 'limit', 50, MAX_PAGE_ROWS)),
    );
  });

  app.get('/api/export', async (c) => {
    const p = params(c.req.url);
    const format = p.get('format') ?? 'csv';
    if (format !== 'csv' && format !== 'ndjson')
      throw new ViewError('serve.view.oneOf', { name: 'format', values: 'csv, ndjson' });
    const view = parseView(p);
    const total = await q.count(view);
    const rows = q.exportRows(view, EXPORT_MAX_ROWS)[Symbol.asyncIterator]();
    const encoder = new TextEncoder();
    // CSV is for people and spreadsheets: log text made visible, formulas defused (csvField). NDJSON keeps
    // the exact text, with what a terminal could act on written as \u escapes (jsonText).
    const line =
      format === 'csv'
        ? (r: EventRow) =>
            `${Object.values(exportRecord(r))
              .map((v) => csvField(v === null ? undefined : v))
              .join(',')}\r\n`
        : (r: EventRow) => `${jsonText(exportRecord(r))}\n`;
    let header = format === 'csv' ? `${EXPORT_COLUMNS.join(',')}\r\n` : '';
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        // About 1,000 rows per chunk handed to the socket; the next are read when it wants more.
        let text = header;
        header = '';
        for (let i = 0; i < 1000; i++) {
          const next = await rows.next();
          if (next.done) {
            if (text) controller.enqueue(encoder.encode(text));
            controller.close();
            return;
          }
          text += line(next.value);
        }
        controller.enqueue(encoder.encode(text));
      },
      async cancel() {
        await rows.return?.();
      },
    });
    c.header(
      'Content-Type',
      format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
    );
    c.header('Content-Disposition', `attachment; filename="fwlens-events.${format}"`);
    c.header('X-Fwlens-Rows', String(Math.min(total, EXPORT_MAX_ROWS)));
    c.header('X-Fwlens-Truncated', String(total > EXPORT_MAX_ROWS));
    return c.body(body);
  });

  app.notFound((c) => c.json({ error: say('serve.http.notFound') }, 404));

  app.onError((e, c) => {
    // The sentence in the console's language, and both for the page, which may show the other one.
    if (e instanceof ViewError) return c.json({ error: e.text[lang], text: e.text }, 400);
    const text = e instanceof StoreError ? e.text[lang] : (e.message ?? String(e)).split('\n')[0]!;
    // An ingest still writing the store past the wait, or a ClickHouse server not answering: try again shortly.
    const status = e instanceof StoreError && (e.kind === 'locked' || e.kind === 'unreachable') ? 503 : 500;
    return c.json({ error: say('serve.http.failed', { error: visibleText(text) }) }, status);
  });

  return app;
}
