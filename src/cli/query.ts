// `fwlens query`: the daily questions asked of the store (an address, a port, top lists, new sources) and raw SQL.
import { FilterError, parseTimeBound } from '../analyze/filters.js';
import { contextText } from '../context/describe.js';
import { type AddressContext, applyContextToFindings, contextSteps } from '../context/enrich.js';
import { contextLines } from '../context/explain-context.js';
import { openCountryReader } from '../context/geo.js';
import { explainPort, type PortProto, renderExplanation } from '../explain/index.js';
import { type Lang, MESSAGES, type MessageKey, t } from '../i18n.js';
import { knowledgeBase } from '../knowledge/index.js';
import { canonicalIp, unmappedAddress } from '../net/ip.js';
import { carriesPorts } from '../net/wire.js';
import { csvField } from '../report/machine.js';
import { displayWidth } from '../report/text.js';
import { rankStoreCountries } from '../store/country.js';
import { countryCacheDir } from '../store/country-cache.js';
import { openStore } from '../store/open.js';
import { storePath } from '../store/path.js';
import { DEFAULT_RANK_ROWS, type Store, StoreError, type TimeWindow, type TopKey } from '../store/types.js';
import { jsonText, visibleText } from '../util/visible.js';
import { contextEnricher } from './context-enricher.js';
import type { ContextFlags } from './context-options.js';
import { storeExitCode } from './ingest.js';
import { type CliIo, EXIT } from './main.js';
import { say as sayTo } from './say.js';

/**
 * Flags of `fwlens query`. The context flags are read by `ip` (its findings' severities and who the address is),
 * `top --by src` and `new-sources` (who each address is); `top --by country` reads `geoipDb`; the other presets
 * and SQL show no severity and no address's context.
 */
export interface QueryCliOptions extends ContextFlags {
  store?: string;
  sql?: string;
  json?: boolean;
  csv?: boolean;
  by?: string;
  since?: string;
  limit?: number;
  /** Config file (YAML) whose allow and deny lists and research-scanner policy `ip`'s findings count. */
  config?: string;
  lang: Lang;
}

/** One titled table of an answer. */
export interface AnswerTable {
  title: string;
  columns: string[];
  rows: (string | number | null)[][];
}

/** What a query prints: a JSON value, and the same as tables for text and CSV. */
interface Answer {
  json: unknown;
  tables: AnswerTable[];
  /** Prose printed after the tables (the port explanation). */
  notes?: string;
  /** Nothing matched (no events of the address or port, no row ranked). */
  empty?: boolean;
}

class QueryUsage extends Error {}
/** A usage mistake already said on stderr (a config that cannot be used). */
class QueryUsageSaid extends Error {}
/** A query that cannot be answered on this machine (missing data): one sentence, exit 1. */
class QueryFault extends Error {}

const iso = (t: number | undefined) => (t === undefined ? null : new Date(t).toISOString());

/** Run `fwlens query`; returns the exit code. */
export async function runQuery(what: string[], opts: QueryCliOptions, io: CliIo): Promise<number> {
  const lang = opts.lang;
  const say = (s: string) => sayTo(io.stderr, s);
  if (opts.json && opts.csv) {
    say(t('store.query.jsonAndCsv', lang));
    return EXIT.usage;
  }
  // A context flag a preset does not read is said once, not silently ignored (it would look like it counted).
  const unread = contextFlagsUnread(what, opts);
  if (unread.length > 0)
    say(
      t('store.query.contextUnread', lang, {
        flags: unread.join(', '),
        what:
          opts.sql !== undefined
            ? 'query --sql'
            : `query ${what.join(' ')}${what[0] === 'top' ? ` --by ${opts.by ?? 'src'}` : ''}`,
      }),
    );
  const now = Date.now();
  let window: TimeWindow | undefined;
  try {
    if (opts.since !== undefined) window = { since: parseTimeBound('--since', opts.since, now) };
  } catch (e) {
    if (!(e instanceof FilterError)) throw e;
    say(t(e.key, lang, e.vars));
    return EXIT.usage;
  }
  const path = storePath(opts.store, io.env ?? process.env);
  let store: Store | undefined;
  try {
    // Every query runs on a read-only instance: no write, no file or network access, settings locked.
    store = await openStore(path, { readOnly: true });
    if (((await store.pendingSummaries?.()) ?? 0) > 0) say(t('store.pendingSummaries', lang, { path }));
    const answer = await answerOf(store, what, opts, window, lang, io);
    write(io, answer, opts);
    if (answer.empty && window?.since !== undefined) {
      const hint = await emptyWindowHint(store, window.since, now, lang);
      if (hint) say(hint);
    }
    return EXIT.ok;
  } catch (e) {
    if (e instanceof QueryUsage) {
      say(e.message);
      return EXIT.usage;
    }
    if (e instanceof QueryUsageSaid) return EXIT.usage;
    if (e instanceof QueryFault) {
      say(e.message);
      return EXIT.inputError;
    }
    if (e instanceof StoreError) {
      say(e.text[lang]);
      return storeExitCode(e);
    }
    throw e;
  } finally {
    await store?.close();
  }
}

async function answerOf(
  store: Store,
  what: string[],
  opts: QueryCliOptions,
  window: TimeWindow | undefined,
  lang: Lang,
  io: CliIo,
): Promise<Answer> {
  const env = io.env ?? process.env;
  const limit = opts.limit ?? DEFAULT_RANK_ROWS;
  if (opts.sql !== undefined) {
    if (opts.sql.trim() === '') throw new QueryUsage(t('store.query.emptySql', lang));
    if (what.length > 0) throw new QueryUsage(t('store.query.sqlExtra', lang, { extra: what.join(' ') }));
    const r = await store.sql(opts.sql);
    return {
      json: r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]]))),
      tables: [{ title: '', columns: r.columns, rows: r.rows.map((row) => row.map(cell)) }],
    };
  }
  const [kind, arg] = what;
  // A preset without its value: say which value it needs.
  if ((kind === 'ip' || kind === 'port') && what.length === 1)
    throw new QueryUsage(
      t(kind === 'ip' ? 'store.query.ipNeedsAddress' : 'store.query.portNeedsNumber', lang),
    );
  if (kind === 'ip' && arg !== undefined && what.length === 2) {
    const s = await store.querySource(unmappedAddress(arg), window, { limit });
    const kb = knowledgeBase();
    // The context of analyze and explain with the same flags: the lists and the research-scanner policy move
    // the findings' severities as analyze moves them (the store keeps them as detection gave them).
    const enricher = await queryEnricher(opts, lang, io);
    if (enricher) applyContextToFindings(s.findings, enricher);
    // Who is behind one address (not a network): owner, approximate country, research scanner, special range,
    // and the severity step its context calls for, worded as explain words it.
    const single = enricher !== undefined && canonicalIp(s.ip) !== null;
    const context = single ? enricher!.of(s.ip) : undefined;
    // Only the steps' words are shown (how far a step moves depends on each event's or finding's own severity).
    const steps = context ? contextSteps(1, [{ ...context, ip: s.ip }], enricher!.policy, true) : [];
    const who = single
      ? [
          ...contextLines(s.ip, enricher!, true).map((l) => l[lang]),
          ...steps.map((step) => t('store.query.contextStep', lang, { reason: step.text })),
        ]
      : [];
    let notes: string | undefined;
    if (s.topPort) {
      const proto = ['tcp', 'udp', 'sctp'].includes(s.topPort.transport ?? '')
        ? (s.topPort.transport as PortProto)
        : undefined;
      notes = renderExplanation(explainPort(s.topPort.port, proto, {}, kb), lang);
    }
    const text = [...(who.length > 0 ? [`${who.join('\n')}\n`] : []), ...(notes ? [notes] : [])].join('\n');
    return {
      json: {
        ...s,
        firstSeen: iso(s.firstSeen),
        lastSeen: iso(s.lastSeen),
        ...(context ? { context, contextSteps: steps.map((step) => step.text) } : {}),
        explanation: notes ?? null,
      },
      tables: [
        {
          title: s.ip,
          columns: ['events', 'first seen', 'last seen'],
          rows: [[s.events, iso(s.firstSeen), iso(s.lastSeen)]],
        },
        { title: 'per day', columns: ['day', 'events'], rows: s.perDay.map((r) => [r.key, r.count]) },
        { title: 'ports', columns: ['port', 'events'], rows: s.ports.map((r) => [r.key, r.count]) },
        { title: 'targets', columns: ['target', 'events'], rows: s.targets.map((r) => [r.key, r.count]) },
        {
          // A network's findings can be many: the most severe first, as many as the other lists show.
          title:
            s.findings.length > limit
              ? `findings (${limit} of ${s.findings.length}; --limit ${s.findings.length} or --json for all)`
              : 'findings',
          columns: ['detector', 'severity', 'first seen', 'title'],
          rows: [...s.findings]
            .sort((a, b) => b.severity - a.severity)
            .slice(0, limit)
            .map((f) => [f.detector, f.severity, iso(f.firstSeen), f.title[lang]]),
        },
      ],
      ...(text ? { notes: text } : {}),
      empty: s.events === 0,
    };
  }
  if (kind === 'port' && arg !== undefined && what.length === 2) {
    // 22, or 22/tcp as the other answers write a port (one transport then).
    const m = /^(\d{1,5})(?:\/([a-z][a-z0-9-]*))?$/i.exec(arg);
    const port = Number(m?.[1]);
    const transport = m?.[2]?.toLowerCase();
    if (!m || port > 65535 || (transport !== undefined && !carriesPorts(transport)))
      throw new QueryUsage(t('store.query.badPort', lang, { value: arg }));
    const s = await store.queryPort(port, window, { limit, ...(transport ? { transport } : {}) });
    return {
      json: { ...s, firstSeen: iso(s.firstSeen), lastSeen: iso(s.lastSeen) },
      tables: [
        {
          title: transport ? `port ${port}/${transport}` : `port ${port}`,
          columns: ['events', 'first seen', 'last seen'],
          rows: [[s.events, iso(s.firstSeen), iso(s.lastSeen)]],
        },
        { title: 'per day', columns: ['day', 'events'], rows: s.perDay.map((r) => [r.key, r.count]) },
        { title: 'sources', columns: ['source', 'events'], rows: s.sources.map((r) => [r.key, r.count]) },
        { title: 'targets', columns: ['target', 'events'], rows: s.targets.map((r) => [r.key, r.count]) },
        {
          title: 'transports',
          columns: ['transport', 'events'],
          rows: s.transports.map((r) => [r.key, r.count]),
        },
      ],
      empty: s.events === 0,
    };
  }
  if (kind === 'top' && what.length === 1) {
    const by = opts.by ?? 'src';
    if (by !== 'src' && by !== 'port' && by !== 'rule' && by !== 'alarm' && by !== 'country')
      throw new QueryUsage(t('store.query.badBy', lang, { value: by }));
    if (by === 'country') {
      // The context's own country data and look-up (src/context/geo.ts); sources counted in the store.
      const geo = openCountryReader(opts.geoipDb);
      if (!geo.reader) throw new QueryFault(geo.problem?.[lang] ?? t('store.query.noCountryData', lang));
      const rows = await rankStoreCountries(store, geo.reader, limit, window, {
        cacheDir: countryCacheDir(env),
      });
      return {
        json: rows,
        tables: [
          {
            title: 'top country',
            columns: ['country', 'events', 'sources'],
            rows: rows.map((r) => [r.key, r.count, r.sources]),
          },
        ],
        empty: rows.length === 0,
      };
    }
    const rows = await store.top(by as TopKey, limit, window);
    if (by === 'src') {
      // Who each source is, as the report's top sources say it (owner, country, research scanner, lists).
      const who = await addressContexts(rows, opts, lang, io);
      return {
        json: rows.map((r, i) => ({ ...r, ...(who[i] ? { context: who[i] } : {}) })),
        tables: [
          {
            title: 'top src',
            columns: ['src', 'events', ...(who.some(Boolean) ? ['who'] : [])],
            rows: rows.map((r, i) => [
              r.key,
              r.count,
              ...(who.some(Boolean) ? [contextText(who[i], lang)] : []),
            ]),
          },
        ],
        empty: rows.length === 0,
      };
    }
    return {
      json: rows,
      tables: [{ title: `top ${by}`, columns: [by, 'events'], rows: rows.map((r) => [r.key, r.count]) }],
      empty: rows.length === 0,
    };
  }
  if (kind === 'new-sources' && what.length === 1) {
    if (window?.since === undefined) throw new QueryUsage(t('store.query.needSince', lang));
    const rows = await store.newSources(window.since, limit);
    const who = await addressContexts(rows, opts, lang, io);
    return {
      json: rows.map((r, i) => ({
        ...r,
        firstSeen: iso(r.firstSeen),
        ...(who[i] ? { context: who[i] } : {}),
      })),
      tables: [
        {
          title: 'new sources',
          // A new source is judged by its events with a time (an untimed one has no "first seen").
          columns: ['source', 'first seen', 'events with a time', ...(who.some(Boolean) ? ['who'] : [])],
          rows: rows.map((r, i) => [
            r.key,
            iso(r.firstSeen),
            r.count,
            ...(who.some(Boolean) ? [contextText(who[i], lang)] : []),
          ]),
        },
      ],
      empty: rows.length === 0,
    };
  }
  throw new QueryUsage(t('store.query.unknown', lang, { what: what.join(' ') || '(nothing)' }));
}

/** The context flags given that the asked preset (or SQL) does not read: `ip`, `top --by src` and `new-sources` read them all. */
function contextFlagsUnread(what: string[], opts: QueryCliOptions): string[] {
  const given = [
    ...(opts.allowList?.length ? ['--allow-list'] : []),
    ...(opts.denyList?.length ? ['--deny-list'] : []),
    ...(opts.config !== undefined ? ['--config'] : []),
    ...(opts.context === false ? ['--no-context'] : []),
    ...(opts.geoipDb !== undefined ? ['--geoip-db'] : []),
  ];
  if (given.length === 0) return [];
  const [kind] = what;
  const by = opts.by ?? 'src';
  if (opts.sql === undefined && (kind === 'ip' || kind === 'new-sources' || (kind === 'top' && by === 'src')))
    return [];
  // Countries are found with the country database.
  if (opts.sql === undefined && kind === 'top' && by === 'country')
    return given.filter((f) => f !== '--geoip-db');
  return given;
}

/**
 * The context of analyze and explain with the same flags (lists, `--config`'s lists and research-scanner policy,
 * `--geoip-db`), or none under `--no-context`. What it lacks is said on stderr in analyze's words; a config that
 * cannot be used ends the query (already said).
 */
async function queryEnricher(
  opts: QueryCliOptions,
  lang: Lang,
  io: CliIo,
): Promise<ReturnType<typeof contextEnricher>> {
  if (opts.context === false) return undefined;
  // The config reader loads every detector (~0.4 s): only when a config is given.
  const config = opts.config
    ? (await import('./config-option.js')).configOption(opts.config, lang, (line) => sayTo(io.stderr, line))
    : undefined;
  if (config === false) throw new QueryUsageSaid();
  const enricher = contextEnricher(knowledgeBase(), opts, config, Date.now());
  for (const p of enricher?.problems ?? []) sayTo(io.stderr, p[lang]);
  return enricher;
}

/** Each ranked address's context (undefined for each under `--no-context` or when none is known). */
async function addressContexts(
  rows: readonly { key: string }[],
  opts: QueryCliOptions,
  lang: Lang,
  io: CliIo,
): Promise<(AddressContext | undefined)[]> {
  if (rows.length === 0) return [];
  const enricher = await queryEnricher(opts, lang, io);
  return rows.map((r) => {
    if (!enricher || canonicalIp(r.key) === null) return undefined;
    const ctx = enricher.of(r.key);
    return contextText(ctx, 'en') === '' ? undefined : ctx;
  });
}

/**
 * Why a query with --since found nothing, when the reason is that every stored event is older: a log read
 * days after it was written, and `--since 1d` counts back from now. Undefined when events fall in the window.
 */
async function emptyWindowHint(
  store: Store,
  since: number,
  now: number,
  lang: Lang,
): Promise<string | undefined> {
  let newest: number | undefined;
  for (const input of await store.inputs())
    if (input.lastTime !== undefined && (newest === undefined || input.lastTime > newest))
      newest = input.lastTime;
  if (newest === undefined) return t('store.query.noTimedEvents', lang);
  if (newest >= since) return undefined;
  // An age in whole days that reaches back to the newest event's day.
  const days = Math.max(1, Math.ceil((now - newest) / 86_400_000));
  return t('store.query.windowAfterNewest', lang, {
    since: new Date(since).toISOString(),
    newest: new Date(newest).toISOString(),
    suggest: `${days}d`,
  });
}

function cell(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  return JSON.stringify(v);
}

function write(io: CliIo, a: Answer, opts: QueryCliOptions): void {
  if (opts.json) {
    io.stdout.write(`${jsonText(a.json, 2)}\n`);
    return;
  }
  if (opts.csv) {
    // One table: as it is. Several (ip, port), each with its own columns: one cell per line (section, row of
    // the section, column, value), so every line has the same four fields (the tables' rows of 3, 4 and 5
    // fields under one header of 4 broke strict CSV readers).
    const lines: string[] = [];
    const cell = (v: unknown) => csvField(v === null ? undefined : (v as string | number | undefined));
    if (a.tables.length > 1) {
      lines.push(['section', 'row', 'column', 'value'].join(','));
      for (const tb of a.tables)
        for (const [r, row] of tb.rows.entries())
          for (const [c, v] of row.entries())
            lines.push([tb.title, r + 1, tb.columns[c], v].map(cell).join(','));
    } else {
      lines.push(a.tables[0]!.columns.map(csvField).join(','));
      for (const row of a.tables[0]!.rows) lines.push(row.map(cell).join(','));
    }
    io.stdout.write(`${lines.join('\r\n')}\r\n`);
    return;
  }
  const parts: string[] = [];
  for (const tb of a.tables) parts.push(textTable(tb, opts.lang));
  if (a.notes) parts.push(visibleText(a.notes, { keepNewlines: true }));
  io.stdout.write(`${parts.join('\n')}`);
}

/** A fixed table label in `lang` (titles that are data, an address or SQL column names, stay as they are). */
function label(text: string, lang: Lang): string {
  const key = `store.label.${text}`;
  return key in MESSAGES ? t(key as MessageKey, lang) : text;
}

/** A table as aligned text; every cell made visible (log text may hold control characters). */
export function textTable(tb: AnswerTable, lang: Lang = 'en'): string {
  const shown = (v: string | number | null) => (v === null ? '-' : visibleText(String(v)));
  const rows = tb.rows.map((r) => r.map(shown));
  const columns = tb.columns.map((c) => label(c, lang));
  // Display width: a Chinese character takes two terminal columns.
  const widths = columns.map((c, i) =>
    Math.max(displayWidth(c), ...rows.map((r) => displayWidth(r[i] ?? ''))),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(Math.max(0, widths[i]! - displayWidth(c)))))
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  if (tb.title) out.push(visibleText(label(tb.title, lang)));
  out.push(line(columns));
  for (const r of rows) out.push(line(r));
  if (rows.length === 0) out.push(t('store.label.none', lang));
  return `${out.join('\n')}\n`;
}
