// Terminal report: findings first, aligned tables that fit 80 columns, colour only on a TTY without NO_COLOR.
import pc from 'picocolors';
import { TALLY_KEYS } from '../analyze/key-tally.js';
import { SOURCES_PER_PORT } from '../analyze/summary.js';
import { attributionText, contextText, ownerText } from '../context/describe.js';
import type { ReportContext } from '../context/report-context.js';
import { omittedRecords } from '../detect/finding.js';
import type { ClosedEarly, Finding, OmittedFindings } from '../detect/types.js';
import {
  countOf,
  type Lang,
  type MessageKey,
  type MessageVars,
  type Noun,
  nonTrafficKindsList,
  t,
} from '../i18n.js';
import { MAX_NON_TRAFFIC_KINDS } from '../ingest/non-traffic.js';
import { breakPieces } from '../util/line-break.js';
import { visibleText } from '../util/visible.js';
import type { Report } from './model.js';

type InputReport = Report['inputs'][number];

/** Inputs the text report lists one by one; past them, one line sums the rest (`--json` lists every input). */
export const MAX_LISTED_INPUTS = 20;

/** Longest file path shown in the terminal report; longer ones keep their end (the file name). */
export const PATH_WIDTH = 44;

/**
 * A file path as the terminal report shows it: relative to the working directory when inside it,
 * and cut from the left when still long, so `file:line` references stay readable.
 */
export function displayPath(path: string, cwd = process.cwd()): string {
  // Standard input is read under the path `-`; the report names it as the HTML report and errors do.
  if (path === '-') return '(stdin)';
  let p = path;
  if (p.startsWith(`${cwd}/`)) p = p.slice(cwd.length + 1);
  return p.length > PATH_WIDTH ? `…${p.slice(p.length - PATH_WIDTH + 1)}` : p;
}

/** Lines of a finding's explanation shown in the terminal report. */
export const EXPLANATION_LINES = 4;

/** Width the text report is laid out for. */
export const REPORT_WIDTH = 80;

/** Findings printed in full in the terminal; the rest are counted (all of them are in --json / --csv). */
export const FINDINGS_SHOWN = 12;

/**
 * Whether to colour a stream: never when NO_COLOR is set (non-empty), always when FORCE_COLOR is set
 * (and not "0"), otherwise only on a TTY that is not a dumb terminal.
 */
export function colorEnabled(stream: object, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return (stream as { isTTY?: boolean }).isTTY === true && env.TERM !== 'dumb';
}

type Colors = ReturnType<typeof pc.createColors>;

/** Display width of a severity badge (`[4]`). */
const SEV_BADGE_WIDTH = 3;

function sevBadge(c: Colors, sev: number): string {
  const text = `[${sev}]`;
  if (sev >= 5) return c.bold(c.red(text));
  if (sev === 4) return c.red(text);
  if (sev === 3) return c.yellow(text);
  return c.dim(text);
}

/** Columns one code point takes: 2 for CJK and emoji, 0 for combining marks, 1 otherwise. */
function charWidth(cp: number): number {
  if ((cp >= 0x300 && cp <= 0x36f) || cp === 0x200b || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (cp < 0x1100) return 1;
  return cp <= 0x115f ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
    ? 2
    : 1;
}

/** Display width of a string (CJK characters take two columns). */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch.codePointAt(0)!);
  return w;
}

/** Cut a string to a display width, adding an ellipsis when cut (made printable first: widths stay true). */
export function fit(text: string, width: number): string {
  const s = printable(text);
  if (displayWidth(s) <= width) return s;
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = charWidth(ch.codePointAt(0)!);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}

function padEnd(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

function padStart(s: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(s))) + s;
}

/** Text without ANSI colour codes (for measuring). */
export function stripAnsi(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes start with ESC
  return s.replace(/\x1b\[[0-9;]*m/g, '');
}

/**
 * Log text made safe to print: tabs become spaces (so widths stay true) and control, ESC-sequence and
 * bidi characters are shown visibly by visibleText (a raw line may carry ESC sequences that would
 * drive the terminal). wrap() and fit() apply it to everything they lay out.
 */
export function printable(s: string): string {
  return visibleText(s.replace(/\t/g, ' '));
}

/**
 * Wrap text, made printable, to a width with an indent. Lines break only where the Unicode line-breaking
 * rules allow (src/util/line-break.ts): between words and between CJK characters, never inside a number,
 * an address, a port such as `tcp/1524` or a group such as `后门(1524)`, and never before closing
 * punctuation. Width is display width (CJK counted double).
 */
export function wrap(raw: string, width: number, indent: string): string[] {
  const text = printable(raw).replace(/\s+/g, ' ').trim();
  const out: string[] = [];
  const avail = width - displayWidth(indent);
  let line = '';
  for (const piece of breakPieces(text)) {
    const body = piece.trimEnd();
    if (line && displayWidth(line + body) > avail) {
      out.push(indent + line.trimEnd());
      line = '';
    }
    // A single piece wider than the line (a long path or IPv6 list) is cut rather than overflowing.
    line += displayWidth(body) > avail ? fit(body, avail) + piece.slice(body.length) : piece;
  }
  if (line.trim()) out.push(indent + line.trimEnd());
  return out;
}

function fmtTime(iso: string | undefined): string {
  return iso
    ? iso
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z')
        .replace(/Z$/, ' UTC')
    : '-';
}

/** Render the report for a terminal (or a pipe), in one language. */
export function renderText(report: Report, lang: Lang, opts: { color?: boolean } = {}): string {
  const c = pc.createColors(opts.color ?? colorEnabled(process.stdout));
  const T = (k: MessageKey, vars?: MessageVars) => t(k, lang, vars);
  const W = REPORT_WIDTH;
  const out: string[] = [];
  const heading = (s: string) => {
    out.push('');
    out.push(c.bold(s));
    out.push(c.dim('─'.repeat(Math.min(W, displayWidth(s)))));
  };
  const n = (x: number) => x.toLocaleString('en-US');
  /** A count with its noun, in the report's language ("1 line", "2 lines", "2 行"). */
  const C = (x: number, noun: Noun) => countOf(x, noun)[lang];
  const words = (prefix: 'report.action.' | 'report.direction.', k: string) =>
    `${prefix}${k}` in WORD_KEYS ? T(`${prefix}${k}` as MessageKey) : k;
  const split = (map: Record<string, number>, prefix?: 'report.action.' | 'report.direction.') =>
    Object.entries(map)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${prefix ? words(prefix, k) : k} ${n(v)}`)
      .join(', ');

  out.push(c.bold(T('report.title')));
  out.push(
    `${T('report.span')}: ${report.span.first ? `${fmtTime(report.span.first)} → ${fmtTime(report.span.last)}` : T('report.noTime')}`,
  );
  if (report.span.untimedEvents > 0)
    out.push(
      ...wrap(T('report.untimed', { n: n(report.span.untimedEvents) }), W, '').map((l) => c.yellow(l)),
    );

  if (report.findings)
    renderFindings(report.findings, report.findingsOmitted ?? [], out, {
      c,
      T,
      lang,
      heading,
      n,
      context: report.context,
      events: report.totals.events,
    });
  // Groups the engine judged early at a memory bound: their scans may be split, so it is said.
  const early = report.detectionClosedEarly ?? [];
  if (early.length > 0) {
    const sum = (f: (e: ClosedEarly) => number) => early.reduce((s, e) => s + f(e), 0);
    out.push(
      ...wrap(
        `! ${T('report.closedEarlyAll', {
          n: n(sum((e) => e.groups + e.values)),
          list: early.map((e) => `${e.detector} ${n(e.groups + e.values)}`).join(', '),
          groups: n(sum((e) => e.groups)),
          values: n(sum((e) => e.values)),
        })}`,
        REPORT_WIDTH,
        '',
      ).map((l) => c.yellow(l)),
    );
  }

  heading(T('report.inputs'));
  // Past MAX_LISTED_INPUTS inputs, those with something to say (unparsed lines, non-traffic records, a notice, an
  // error) are listed first and the rest summed in one line: `analyze /var/log/fw/*.log` of thousands of files
  // would bury the report under them.
  const noticed = new Set((report.notices ?? []).filter((x) => !x.failed).map((x) => x.path));
  const hasNews = (i: InputReport) =>
    i.malformed + i.unrecognized > 0 ||
    Object.keys(i.nonTraffic ?? {}).length > 0 ||
    !!i.ambiguousTimes ||
    !!i.error ||
    noticed.has(i.path);
  const listed = new Set(
    report.inputs.length <= MAX_LISTED_INPUTS
      ? report.inputs
      : [...report.inputs.filter(hasNews), ...report.inputs.filter((i) => !hasNews(i))].slice(
          0,
          MAX_LISTED_INPUTS,
        ),
  );
  const unlisted = report.inputs.filter((i) => !listed.has(i));
  for (const i of report.inputs) {
    if (!listed.has(i)) continue;
    const fmts =
      [...new Set([...Object.keys(i.formats), ...Object.keys(i.nonTraffic ?? {})])].join(', ') || '-';
    out.push(fit(printable(`${displayPath(i.path)}  [${fmts}]`), W));
    const nonTraffic = Object.entries(i.nonTraffic ?? {});
    const nonTrafficTotal = nonTraffic.reduce(
      (sum, [, kinds]) => sum + Object.values(kinds).reduce((a, b) => a + b, 0),
      0,
    );
    out.push(
      `  ${C(i.lines, 'line')}, ${C(i.events, 'event')}, ${nonTrafficTotal > 0 ? `${C(nonTrafficTotal, 'nonTrafficRecord')}, ` : ''}${C(i.malformed + i.unrecognized, 'unparsedLine')}`,
    );
    // What the non-traffic records were, per format: a user sees which message ids fwlens does not understand yet.
    for (const [format, kinds] of nonTraffic)
      out.push(
        ...wrap(
          printable(`${T('report.nonTrafficOf', { format })}: ${nonTrafficKindsList(kinds)[lang]}`),
          W,
          '  ',
        ),
      );
    if (i.nonTrafficOtherKinds)
      out.push(
        ...wrap(
          T('report.nonTrafficOtherKinds', { max: MAX_NON_TRAFFIC_KINDS, n: i.nonTrafficOtherKinds }),
          W,
          '  ',
        ),
      );
    for (const notice of report.notices ?? [])
      if (!notice.failed && notice.path === i.path)
        out.push(...wrap(printable(notice.text[lang]), W, '  ').map((l) => c.yellow(l)));
    if (i.ambiguousTimes)
      out.push(
        ...wrap(T('report.ambiguousTimes', { n: n(i.ambiguousTimes) }), W, '  ').map((l) => c.yellow(l)),
      );
    const error = i.errorText?.[lang] ?? i.error;
    if (error) out.push(...wrap(printable(error), W, '  ').map((l) => c.red(l)));
  }
  if (unlisted.length > 0) {
    const sum = (f: (i: InputReport) => number) => unlisted.reduce((a, i) => a + f(i), 0);
    out.push(
      ...wrap(
        T('report.moreInputs', {
          n: n(unlisted.length),
          lines: n(sum((i) => i.lines)),
          events: n(sum((i) => i.events)),
          unparsed: n(sum((i) => i.malformed + i.unrecognized)),
        }),
        W,
        '',
      ),
    );
  }
  if (report.filters && report.filters.excluded > 0)
    out.push(
      ...wrap(
        T('report.filtered', { n: n(report.filters.excluded), filters: report.filters.applied.join(' ') }),
        W,
        '',
      ).map((l) => c.yellow(l)),
    );

  const ctx = report.context;
  // A log without traffic events has no counts, ports or sources to show: the sections are left out.
  if (report.totals.events > 0) {
    heading(T('report.counts'));
    out.push(...wrap(`${T('report.action')}: ${split(report.counts.byAction, 'report.action.')}`, W, ''));
    out.push(...wrap(`${T('report.protocol')}: ${split(report.counts.byTransport)}`, W, ''));
    const folded = report.counts.foldedKeys;
    if (folded?.byTransport)
      out.push(...wrap(T('report.otherTransports', { max: TALLY_KEYS, n: folded.byTransport }), W, ''));
    if (folded?.byProduct)
      out.push(...wrap(T('report.otherProducts', { max: TALLY_KEYS, n: folded.byProduct }), W, ''));
    out.push(
      ...wrap(`${T('report.direction')}: ${split(report.counts.byDirection, 'report.direction.')}`, W, ''),
    );
    out.push(
      `${C(report.totals.distinctSources, 'distinctSource')}${report.totals.sourcesExact ? '' : ` ${T('report.approx')}`}`,
    );

    if (report.notable.length > 0) {
      heading(T('report.notable'));
      for (const e of report.notable) {
        // Plain text inside wrap(): colour codes would be measured as width and change the line breaks.
        // The headline is one event's; the count is of every source's events of its shape.
        const count =
          e.count <= 1
            ? ''
            : e.sources > 1
              ? ` (${T('report.notableSources', { events: n(e.count), sources: e.sources })})`
              : ` ×${n(e.count)}`;
        out.push(
          ...wrap(`${printable(e.headline[lang])}${count}`, W - 4, '').map((l, idx) =>
            idx === 0 ? `${sevBadge(c, e.severity)} ${l}` : `    ${l}`,
          ),
        );
        const reasons = e.reasons
          .map((r) => `${r.delta >= 0 ? '+' : ''}${r.delta} ${r.text[lang].replace(/[.。]$/, '')}`)
          .join(' · ');
        if (reasons) out.push(...wrap(`${T('report.why')}: ${reasons}`, W, '    ').map((l) => c.dim(l)));
        if (e.advice[0]) out.push(...wrap(`${T('report.advice')}: ${e.advice[0][lang]}`, W, '    '));
        if (e.file !== undefined) out.push(c.dim(fit(printable(`    ${displayPath(e.file)}:${e.line}`), W)));
      }
    }

    // Tables: severity badge, key column, right-aligned counts, then a label cut to what is left of 80.
    // The severity column is as wide as its header or the `[n]` badge, whichever is wider (级别 takes 4 columns).
    const sevW = Math.max(SEV_BADGE_WIDTH, displayWidth(T('report.col.severity')));
    const sevHeader = padEnd(T('report.col.severity'), sevW);
    const sevCell = (sev: number) => sevBadge(c, sev) + ' '.repeat(sevW - SEV_BADGE_WIDTH);
    heading(T('report.topPorts'));
    const portW = Math.max(
      9,
      ...report.topPorts.map((p) => displayWidth(printable(p.key))),
      displayWidth(T('report.col.port')),
    );
    out.push(
      c.dim(
        fit(
          `${sevHeader} ${padEnd(T('report.col.port'), portW)} ${padStart(T('report.col.events'), 9)} ${padStart(T('report.col.sources'), 8)}  ${T('report.col.label')}`,
          W,
        ),
      ),
    );
    for (const p of report.topPorts) {
      const sources = `${p.sourcesExact === false ? '~' : ''}${n(p.distinctSources)}`;
      const left = `${sevCell(p.maxSeverity)} ${padEnd(printable(p.key), portW)} ${padStart(n(p.events), 9)} ${padStart(sources, 8)}  `;
      out.push(left + fit(printable(p.label?.[lang] ?? ''), W - displayWidth(stripAnsi(left))));
    }
    if (report.topPorts.some((p) => p.sourcesExact === false))
      out.push(c.dim(fit(T('report.sourcesEstimated', { n: SOURCES_PER_PORT }), W)));

    heading(T('report.topSources'));
    const ipW = Math.min(
      39,
      Math.max(7, ...report.topSources.map((s) => displayWidth(s.ip)), displayWidth(T('report.col.source'))),
    );
    out.push(
      c.dim(
        fit(
          `${sevHeader} ${padEnd(T('report.col.source'), ipW)} ${padStart(T('report.col.events'), 9)} ${padStart(T('report.col.ports'), 7)}  ${T('report.col.note')}`,
          W,
        ),
      ),
    );
    for (const s of report.topSources) {
      const left = `${sevCell(s.maxSeverity)} ${padEnd(fit(s.ip, ipW), ipW)} ${padStart(n(s.events), 9)} ${padStart(n(s.distinctPorts), 7)}  `;
      // The context says who is behind the address; the knowledge-base note stays when there is no owner to name.
      const about = ctx?.addresses[s.ip];
      // A knowledge-base note (documentation range, known scanner block) already names a special range.
      const note = s.note
        ? [
            s.note[lang],
            about?.as ? ownerText(about, lang) : '',
            about?.country ?? '',
            about?.list ? t(`context.label.${about.list.kind}`, lang) : '',
            about?.name ?? '',
          ]
            .filter(Boolean)
            .join(', ')
        : contextText(about, lang);
      out.push(left + fit(printable(note), W - displayWidth(stripAnsi(left))));
    }
  }
  // The data sources' attribution belongs under addresses that were shown, not under an empty report.
  if (ctx && report.totals.events > 0) renderContext(ctx, out, { c, T, lang, heading, n });

  const problems = [
    ...report.unparsed.malformed.map((p) => ({ ...p, reason: p.reasonText?.[lang] ?? p.reason })),
    ...report.unparsed.unrecognized.map((p) => ({ ...p, reason: T('report.noKnownFormat') })),
  ];
  if (problems.length > 0) {
    heading(T('report.unparsedTitle'));
    const totalMal = report.totals.malformed;
    const totalUnrec = report.totals.unrecognized;
    out.push(
      [
        totalMal > 0 ? T('report.damaged', { n: n(totalMal) }) : '',
        totalUnrec > 0 ? T('report.unrecognized', { n: n(totalUnrec) }) : '',
      ]
        .filter(Boolean)
        .join(', '),
    );
    for (const p of problems) {
      out.push(...wrap(printable(`${displayPath(p.file)}:${p.line}: ${p.reason}`), W, '  '));
      out.push(c.dim(fit(printable(`    ${p.text}`), W)));
    }
    const hidden = totalMal + totalUnrec - problems.length;
    if (hidden > 0) out.push(c.dim(`  ${T('report.moreLines', { n: n(hidden) })}`));
  }
  out.push('');
  return out.join('\n');
}

const WORD_KEYS: Record<string, true> = Object.fromEntries(
  [
    'report.action.deny',
    'report.action.reject',
    'report.action.allow',
    'report.action.log',
    'report.direction.inbound',
    'report.direction.outbound',
    'report.direction.forward',
    'report.direction.unknown',
  ].map((k) => [k, true]),
);

function renderFindings(
  findings: Finding[],
  omitted: OmittedFindings[],
  out: string[],
  r: {
    c: Colors;
    T: (k: MessageKey, vars?: MessageVars) => string;
    lang: Lang;
    heading: (s: string) => void;
    n: (x: number) => string;
    context?: ReportContext;
    /** Events read: with none, "no findings" would sound like an all-clear. */
    events: number;
  },
): void {
  const { c, T, lang, n } = r;
  const W = REPORT_WIDTH;
  r.heading(T('report.findings'));
  if (findings.length === 0)
    out.push(...wrap(T(r.events === 0 ? 'report.noEvents' : 'report.noFindings'), W, ''));
  for (const f of findings.slice(0, FINDINGS_SHOWN)) {
    const trusted = f.suppressed ? ` ${T('report.trusted')}` : '';
    out.push(
      ...wrap(printable(f.title[lang]) + trusted, W - 4, '').map((l, i) =>
        i === 0 ? `${sevBadge(c, f.severity)} ${l}` : `    ${l}`,
      ),
    );
    const about = f.sources.length === 1 ? contextText(r.context?.addresses[f.sources[0]!], lang) : '';
    const who =
      f.sources.slice(0, 3).join(', ') +
      (f.sources.length > 3 ? ` +${f.sources.length - 3}` : '') +
      (about ? ` (${about})` : '');
    const when =
      f.firstSeen !== undefined && f.timeBasis !== 'line-order'
        ? `, ${fmtTime(new Date(f.firstSeen).toISOString())}`
        : '';
    out.push(
      c.dim(
        fit(
          printable(`    ${T('report.from')} ${who}, ${countOf(f.counts.events, 'event')[lang]}${when}`),
          W,
        ),
      ),
    );
    // The terminal keeps each explanation short; --json, --ndjson and --html carry the whole text.
    const told = wrap(f.explanation[lang], W, '    ');
    out.push(
      ...(told.length > EXPLANATION_LINES
        ? [...told.slice(0, EXPLANATION_LINES - 1), fit(`${told[EXPLANATION_LINES - 1]!} …`, W)]
        : told),
    );
    if (f.adjustments?.length)
      out.push(
        ...wrap(
          `${T('report.why')}: ${f.adjustments.map((a) => `${a.delta > 0 ? '+' : a.delta < 0 ? '−' : '±'}${Math.abs(a.delta)} ${a.text[lang]}`).join(' · ')}`,
          W,
          '    ',
        ).map((l) => c.dim(l)),
      );
    out.push(...wrap(`${T('report.advice')}: ${f.advice[lang]}`, W, '    '));
    const ev = f.evidence[0];
    if (ev)
      out.push(
        c.dim(
          fit(
            printable(
              `    ${T('report.evidence')}: ${displayPath(ev.file ?? '')}:${ev.line ?? ''} ${ev.text}`,
            ),
            W,
          ),
        ),
      );
  }
  if (findings.length > FINDINGS_SHOWN)
    out.push(c.dim(T('report.findingsHidden', { n: n(findings.length - FINDINGS_SHOWN) })));
  // Past the per-detector bound the weakest findings were only counted: say so, so nothing vanishes silently.
  for (const o of omitted)
    out.push(
      ...wrap(
        `… ${T('report.findingsOmitted', {
          detector: o.detector,
          n: n(o.findings),
          records: omittedRecords(o),
          severity: o.maxSeverity,
          limit: n(o.limit),
        })}`,
        W,
        '',
      ).map((l) => c.dim(l)),
    );
}

/** Top organisations and countries, then where the context came from (data date, attribution) and what was missing. */
function renderContext(
  ctx: ReportContext,
  out: string[],
  r: {
    c: Colors;
    T: (k: MessageKey, vars?: MessageVars) => string;
    lang: Lang;
    heading: (s: string) => void;
    n: (x: number) => string;
  },
): void {
  const { c, T, lang, n } = r;
  const W = REPORT_WIDTH;
  if (ctx.topOrganizations.length > 0) {
    r.heading(T('report.topOrganizations'));
    out.push(
      c.dim(
        fit(
          `${padEnd('AS', 11)} ${padStart(T('report.col.events'), 9)} ${padStart(T('report.col.addresses'), 9)}  ${T('report.col.org')}`,
          W,
        ),
      ),
    );
    for (const o of ctx.topOrganizations) {
      const left = `${padEnd(`AS${o.asn}`, 11)} ${padStart(n(o.events), 9)} ${padStart(n(o.addresses), 9)}  `;
      const label = o.scanner ? ` (${T('context.label.research')}: ${o.scanner[lang]})` : '';
      out.push(left + fit(printable(o.organization + label), W - displayWidth(left)));
    }
  }
  if (ctx.topCountries.length > 0) {
    r.heading(T('report.topCountries'));
    out.push(
      ...wrap(
        ctx.topCountries.map((x) => `${x.country} ${n(x.events)} (${n(x.addresses)})`).join(', '),
        W,
        '',
      ),
    );
  }
  const date = ctx.data.asn?.dataDate;
  if (date) out.push('', ...wrap(T('report.context.data', { date }), W, '').map((l) => c.dim(l)));
  for (const a of [ctx.data.asn?.attribution, ctx.data.country?.attribution])
    if (a) out.push(...wrap(attributionText(a)[lang], W, '').map((l) => c.dim(l)));
  for (const notice of ctx.notices) out.push(...wrap(notice[lang], W, '').map((l) => c.yellow(l)));
}
