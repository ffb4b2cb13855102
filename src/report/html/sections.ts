// The server-rendered parts of the HTML report: overview, top findings, tables and the port glossary.

import { TALLY_KEYS } from '../../analyze/key-tally.js';
import { contextText } from '../../context/describe.js';
import type { ReportContext } from '../../context/report-context.js';
import { techniqueName } from '../../detect/detectors/vertical-scan.js';
import { omittedRecords, strongestOfEachKind } from '../../detect/finding.js';
import type { Finding } from '../../detect/types.js';
import { nonTrafficKindsList, tBoth } from '../../i18n.js';
import { MAX_NON_TRAFFIC_KINDS } from '../../ingest/non-traffic.js';
import type { Localized } from '../../knowledge/schema.js';
import type { Report, ReportNotable } from '../model.js';
import { badge, bi, esc, num, shortList, t, when } from './markup.js';
import { KIND_WORDS, UI } from './strings.js';

/** Findings shown in the header. */
export const HEADER_FINDINGS = 5;
/** Single events shown in the header when there are no findings. */
export const HEADER_NOTABLE = 3;
/** Unparsed sample lines listed per kind. */
export const UNPARSED_SHOWN = 10;

function card(label: string, value: string, note = '', cls = ''): string {
  return `<div class="card${cls ? ` ${cls}` : ''}"><div class="card-label">${label}</div><div class="card-value">${value}</div>${note ? `<div class="card-note">${note}</div>` : ''}</div>`;
}

/** Cards and the input table: files, formats, span, line counts, unparsed lines. */
export function overviewSection(r: Report): string {
  const unparsed = r.totals.malformed + r.totals.unrecognized;
  const formats = Object.entries(r.counts.byFormat)
    .sort((a, b) => b[1] - a[1])
    .map(([f, n]) => `${esc(f)} <span class="muted">${num(n)}</span>`)
    .join('<br>');
  const products = Object.keys(r.counts.byProduct);
  const span = r.span.first
    ? `${esc(when(r.span.first))}<br>→ ${esc(when(r.span.last))}`
    : `<span class="muted">${t('noTime')}</span>`;
  const cards = [
    card(t('files'), num(r.inputs.length)),
    card(
      t('formats'),
      `<span class="small">${formats || '–'}</span>`,
      products.length ? esc(products.join(', ')) : '',
    ),
    card(
      t('span'),
      `<span class="small">${span}</span>`,
      r.span.untimedEvents ? t('untimed', { n: num(r.span.untimedEvents) }) : '',
      'wide',
    ),
    card(t('lines'), num(r.totals.lines)),
    card(t('events'), num(r.totals.events)),
    card(
      t('unparsed'),
      num(unparsed),
      unparsed
        ? `${num(r.totals.malformed)} ${t('damaged')}, ${num(r.totals.unrecognized)} ${t('unknownFormat')}`
        : '',
    ),
    card(t('sources'), num(r.totals.distinctSources), r.totals.sourcesExact ? '' : t('approx')),
    r.totals.nonTraffic ? card(t('nonTraffic'), num(r.totals.nonTraffic)) : '',
  ].join('');
  const rows = r.inputs
    .map(
      (i) =>
        `<tr><td class="path">${esc(i.path === '-' ? '(stdin)' : i.path)}${i.error ? `<div class="err">${esc(i.error)}</div>` : ''}</td><td>${esc(Object.keys(i.formats).join(', ') || '–')}</td><td class="n">${num(i.lines)}</td><td class="n">${num(i.events)}</td><td class="n">${num(i.malformed + i.unrecognized)}</td></tr>`,
    )
    .join('');
  const table = `<div class="scroll"><table class="plain"><thead><tr><th>${t('file')}</th><th>${t('formats')}</th><th class="n">${t('lines')}</th><th class="n">${t('events')}</th><th class="n">${t('unparsed')}</th></tr></thead><tbody>${rows}</tbody></table></div>`;
  // Why an input gave no events (only non-traffic records, not a firewall log, all damaged ...), in both languages.
  const notices = (r.notices ?? [])
    .map((n) => `<p class="${n.failed ? 'err' : 'muted'}">${bi(n.text)}</p>`)
    .join('');
  // Product and protocol names past the summary's bound were counted together as (other): say so, as the
  // text report does (the formats card and the protocol chart show "(other)" without saying what it holds).
  const folded = r.counts.foldedKeys;
  const foldedNotes = [
    folded?.byProduct ? tBoth('report.otherProducts', { max: TALLY_KEYS, n: folded.byProduct }) : undefined,
    folded?.byTransport
      ? tBoth('report.otherTransports', { max: TALLY_KEYS, n: folded.byTransport })
      : undefined,
  ]
    .filter((text) => text !== undefined)
    .map((text) => `<p class="muted">${bi(text)}</p>`)
    .join('');
  return `<section id="overview"><h2>${t('analyzed')}</h2><div class="cards">${cards}</div>${notices}${foldedNotes}${table}${nonTrafficList(r)}${unparsedSamples(r)}</section>`;
}

/** The non-traffic records per input and format, by kind (absent when there were none). */
function nonTrafficList(r: Report): string {
  const items = r.inputs.flatMap((i) =>
    Object.entries(i.nonTraffic ?? {}).map(
      ([format, kinds]) =>
        `<li><span class="where">${esc(i.path === '-' ? '(stdin)' : i.path)}</span> ${esc(format)}: ${bi(nonTrafficKindsList(kinds))}</li>`,
    ),
  );
  for (const i of r.inputs)
    if (i.nonTrafficOtherKinds)
      items.push(
        `<li><span class="where">${esc(i.path === '-' ? '(stdin)' : i.path)}</span> ${bi(tBoth('report.nonTrafficOtherKinds', { max: MAX_NON_TRAFFIC_KINDS, n: i.nonTrafficOtherKinds }))}</li>`,
      );
  if (items.length === 0) return '';
  return `<details class="unparsed"><summary>${t('nonTraffic')} (${num(r.totals.nonTraffic ?? 0)})</summary><ul class="lines">${items.join('')}</ul></details>`;
}

/** The unparsed sample lines, with how many unusable lines the list leaves out. */
function unparsedSamples(r: Report): string {
  const all = [...r.unparsed.malformed, ...r.unparsed.unrecognized].slice(0, UNPARSED_SHOWN);
  if (all.length === 0) return '';
  const total = r.totals.malformed + r.totals.unrecognized;
  const more =
    total > all.length ? `<p class="muted">${t('unparsedMore', { n: num(total - all.length) })}</p>` : '';
  // A line of no known format has one reason, worded by the catalog as the text report words it.
  const unknown = new Set(r.unparsed.unrecognized);
  const items = all
    .map(
      (p) =>
        `<li><span class="where">${esc(p.file)}:${p.line}</span> <span class="muted">${unknown.has(p) ? bi(tBoth('report.noKnownFormat')) : p.reasonText ? bi(p.reasonText) : esc(p.reason)}</span><pre>${esc(p.text)}</pre></li>`,
    )
    .join('');
  return `<details class="unparsed"><summary>${t('unparsedSamples')} (${num(total)})</summary><ul class="lines">${items}</ul>${more}</details>`;
}

function findingCard(f: Finding): string {
  const who = f.sources.length ? shortList(f.sources, 2) : '';
  const span = f.firstSeen ? esc(when(f.firstSeen)) : '';
  const meta = [who, span, t('eventsN', { n: num(f.counts.events) })].filter(Boolean).join(' · ');
  return `<li class="top-item">${badge(f.severity)}<div><div class="top-title">${bi(f.title)}</div><div class="top-meta">${meta}</div><div class="top-text">${bi(f.explanation)}</div></div></li>`;
}

function notableCard(n: ReportNotable): string {
  const adv = n.advice[0];
  return `<li class="top-item">${badge(n.severity)}<div><div class="top-title">${bi(n.headline)}${n.count > 1 ? ` <span class="muted">${n.sources > 1 ? t('likeFrom', { n: num(n.count), sources: n.sources }) : t('times', { n: num(n.count) })}</span>` : ''}</div>${adv ? `<div class="top-text">${bi(adv)}</div>` : ''}</div></li>`;
}

/** The header's summary of what matters: the top findings, or a clear "no findings" state. */
export function topFindingsSection(r: Report): string {
  const findings = r.findings ?? [];
  if (findings.length > 0) {
    const top = strongestOfEachKind(findings, HEADER_FINDINGS);
    const all = `<p class="muted"><a href="#findings">${t('allFindings', { n: num(findings.length) })}</a></p>`;
    return `<section id="top"><h2>${t('topFindings')}</h2><ul class="top-list">${top.map(findingCard).join('')}</ul>${all}</section>`;
  }
  // No events at all: "found none over its thresholds" would read as an all-clear.
  if (r.totals.events === 0)
    return `<section id="top"><div class="empty-state" data-testid="no-events"><h2>${t('noEventsTitle')}</h2><p>${t('noEventsRead')}</p></div></section>`;
  const why = r.findings === undefined ? t('detectionNotRun') : t('detectionEmpty');
  const notable = r.notable.slice(0, HEADER_NOTABLE);
  const list = notable.length
    ? `<h3>${t('mostSevere')}</h3><ul class="top-list">${notable.map(notableCard).join('')}</ul>`
    : '';
  return `<section id="top"><div class="empty-state" data-testid="no-findings"><h2>${t('noFindingsTitle')}</h2><p>${why}</p></div>${list}</section>`;
}

function filterBox(tableId: string, total: number): string {
  return `<div class="toolbar"><input type="search" class="filter" data-filter-for="${tableId}" data-ph-en="${esc(UI.filter.en)}" data-ph-zh="${esc(UI.filter.zh)}" placeholder="${esc(UI.filter.en)}" aria-label="filter"><span class="count" data-count-for="${tableId}" data-total="${total}">${t('shown', { n: num(total), total: num(total) })}</span></div>`;
}

function th(label: string, sort?: { key: string; type: 'num' | 'text' }, cls = ''): string {
  const attrs = sort ? ` data-sort="${sort.key}" data-type="${sort.type}" tabindex="0" aria-sort="none"` : '';
  return `<th${attrs}${cls ? ` class="${cls}"` : ''}>${label}</th>`;
}

function evidenceList(lines: { file?: string; line?: number; text: string }[]): string {
  return `<ul class="lines">${lines
    .map(
      (e) =>
        `<li>${e.file || e.line ? `<span class="where">${esc(e.file ?? '')}${e.line ? `:${e.line}` : ''}</span>` : ''}<pre>${esc(e.text)}</pre></li>`,
    )
    .join('')}</ul>`;
}

/** A finding's technique in words: the catalog's name of a detector id; a firewall's alarm name as it wrote it. */
function techniqueText(f: Finding): Localized {
  const id = f.technique ?? '';
  return f.detector === 'firewall-alarm' ? { en: id, zh: id } : techniqueName(id);
}

function findingGroup(f: Finding, context?: ReportContext): string {
  const first = f.firstSeen ?? '';
  const detail = [
    `<p>${bi(f.explanation)}</p>`,
    f.suppressed ? `<p><span class="tag">${t('trusted')}</span></p>` : '',
    f.adjustments?.length
      ? `<h4>${t('adjustments')}</h4><ul class="reasons">${f.adjustments.map((a) => `<li><span class="delta">${a.delta > 0 ? `+${a.delta}` : a.delta}</span> ${bi(a.text)}</li>`).join('')}</ul>`
      : '',
    f.timeBasis === 'line-order' ? `<p class="muted">${t('lineOrder')}</p>` : '',
    `<dl class="facts">`,
    f.technique ? `<dt>${t('technique')}</dt><dd>${bi(techniqueText(f))}</dd>` : '',
    f.targets.length ? `<dt>${t('targets')}</dt><dd>${shortList(f.targets, 20)}</dd>` : '',
    f.ports.length ? `<dt>${t('ports')}</dt><dd>${shortList(f.ports, 40)}</dd>` : '',
    `<dt>${t('confidence')}</dt><dd>${Math.round(f.confidence * 100)}%</dd>`,
    `<dt>${t('lastSeen')}</dt><dd>${esc(when(f.lastSeen))}</dd>`,
    `</dl>`,
    `<h4>${t('advice')}</h4><p>${bi(f.advice)}</p>`,
    f.evidence.length ? `<h4>${t('evidence')}</h4>${evidenceList(f.evidence)}` : '',
  ].join('');
  return `<tbody class="grp" data-sev="${f.severity}" data-events="${f.counts.events}" data-first="${first}"><tr class="main"><td><button class="exp" aria-expanded="false" aria-label="details">▸</button></td><td>${badge(f.severity)}</td><td class="what">${bi(f.title)}</td><td class="ip">${shortList(f.sources, 2)}</td><td class="hide-sm owner">${ownerCell(f, context)}</td><td class="hide-sm">${shortList(f.ports, 4)}</td><td class="n">${num(f.counts.events)}</td><td class="hide-sm nowrap">${esc(when(f.firstSeen))}</td></tr><tr class="detail" hidden><td colspan="8">${detail}</td></tr></tbody>`;
}

/** The owner cell of a finding: owner, country and labels of its first source, in both languages. */
function ownerCell(f: Finding, context: ReportContext | undefined): string {
  const ip = f.sources[0];
  const ctx = ip === undefined ? undefined : context?.addresses[ip];
  if (!ctx) return '';
  return bi({ en: contextText(ctx, 'en'), zh: contextText(ctx, 'zh') });
}

/** The findings table (expandable, sortable, filterable), or a one-line "no findings" note. */
/** Groups judged before their time at a memory bound of the engine: said, since findings may be split by them. */
function closedEarlyNotes(r: Report): string {
  const early = r.detectionClosedEarly ?? [];
  if (early.length === 0) return '';
  const sum = (f: (e: (typeof early)[number]) => number) => early.reduce((s, e) => s + f(e), 0);
  return `<p class="muted closed-early">${t('closedEarly', {
    n: num(sum((e) => e.groups + e.values)),
    list: early.map((e) => `${e.detector} ${num(e.groups + e.values)}`).join(', '),
    groups: num(sum((e) => e.groups)),
    values: num(sum((e) => e.values)),
  })}</p>`;
}

export function findingsSection(r: Report): string {
  const findings = r.findings ?? [];
  if (findings.length === 0)
    return `<section id="findings"><h2>${t('findings')}</h2><p class="muted">${r.findings === undefined ? t('detectionNotRun') : t('detectionEmpty')}</p>${closedEarlyNotes(r)}</section>`;
  const sorted = [...findings].sort(
    (a, b) => b.severity - a.severity || (a.firstSeen ?? 0) - (b.firstSeen ?? 0),
  );
  const head = `<thead><tr><th></th>${th(t('sev'), { key: 'sev', type: 'num' })}${th(t('what'), { key: 'what', type: 'text' })}${th(t('from'))}${th(t('owner'), { key: 'owner', type: 'text' }, 'hide-sm')}${th(t('ports'), undefined, 'hide-sm')}${th(t('count'), { key: 'events', type: 'num' }, 'n')}${th(t('firstSeen'), { key: 'first', type: 'num' }, 'hide-sm')}</tr></thead>`;
  // Findings left out over the per-detector bound are said, not silently dropped.
  const omitted = (r.findingsOmitted ?? [])
    .map(
      (o) =>
        `<p class="muted omitted">${t('findingsOmitted', { detector: o.detector, n: num(o.findings), records: omittedRecords(o), severity: String(o.maxSeverity), limit: num(o.limit) })}</p>`,
    )
    .join('');
  return `<section id="findings"><h2>${t('findings')} <span class="muted">(${num(findings.length)})</span></h2>${filterBox('findings-table', findings.length)}${r.context ? `<p class="muted small">${t('filterHint')}</p>` : ''}<div class="scroll"><table class="dt" id="findings-table">${head}${sorted.map((f) => findingGroup(f, r.context)).join('')}</table></div><p class="no-match" hidden>${t('noMatch')}</p>${omitted}${closedEarlyNotes(r)}</section>`;
}

function notableGroup(n: ReportNotable): string {
  const reasons = n.reasons
    .map(
      (x, i) =>
        `<li><span class="delta">${i === 0 ? x.delta : x.delta > 0 ? `+${x.delta}` : x.delta}</span> ${bi(x.text)}</li>`,
    )
    .join('');
  const detail = [
    `<h4>${t('why')}</h4><ul class="reasons">${reasons}</ul>`,
    n.advice.length ? `<h4>${t('advice')}</h4>${n.advice.map((a) => `<p>${bi(a)}</p>`).join('')}` : '',
    `<h4>${t('rawLine')}</h4>${evidenceList([{ file: n.file, line: n.line, text: n.raw }])}`,
  ].join('');
  const where = n.file ? `${n.file}${n.line ? `:${n.line}` : ''}` : '';
  return `<tbody class="grp" data-sev="${n.severity}" data-events="${n.count}"><tr class="main"><td><button class="exp" aria-expanded="false" aria-label="details">▸</button></td><td>${badge(n.severity)}</td><td class="what">${bi(n.headline)}</td><td class="n">${num(n.count)}</td><td class="hide-sm where">${esc(where)}</td></tr><tr class="detail" hidden><td colspan="5">${detail}</td></tr></tbody>`;
}

/** The notable-events table: the highest-severity event shapes, explained. */
export function notableSection(r: Report): string {
  if (r.notable.length === 0) return '';
  const head = `<thead><tr><th></th>${th(t('sev'), { key: 'sev', type: 'num' })}${th(t('what'), { key: 'what', type: 'text' })}${th(t('count'), { key: 'events', type: 'num' }, 'n')}${th(t('where'), undefined, 'hide-sm')}</tr></thead>`;
  return `<section id="notable"><h2>${t('notable')}</h2><p class="muted">${t('notableNote')}</p>${filterBox('notable-table', r.notable.length)}<div class="scroll"><table class="dt" id="notable-table">${head}${r.notable.map(notableGroup).join('')}</table></div><p class="no-match" hidden>${t('noMatch')}</p></section>`;
}

/** The port glossary: one expandable row per port with the knowledge base's name, facts and advice. */
export function glossarySection(r: Report): string {
  const entries = r.glossary ?? [];
  if (entries.length === 0) return '';
  const seen = new Map(r.topPorts.map((p) => [p.key, p]));
  const groups = entries
    .map((g) => {
      const hit = seen.get(g.key);
      const kind = g.kind ? KIND_WORDS[g.kind] : undefined;
      const facts = g.facts
        .map(
          (f) =>
            `<li>${bi(f.text)}${f.source ? ` <span class="cite" title="${esc(f.sourceTitle ?? f.source)}">[${esc(f.source)}]</span>` : ''}</li>`,
        )
        .join('');
      const detail = [
        hit
          ? `<p>${t('inThisLog')}: ${t('hits', { n: num(hit.events), m: `${hit.sourcesExact === false ? '~' : ''}${num(hit.distinctSources)}` })}</p>`
          : '',
        `<ul class="gl-facts">${facts}</ul>`,
        g.malware?.length ? `<p class="small"><b>${t('malware')}:</b> ${esc(g.malware.join(', '))}</p>` : '',
        g.advice ? `<h4>${t('advice')}</h4><p>${bi(g.advice)}</p>` : '',
      ].join('');
      return `<tbody class="grp" id="port-${esc(g.key.replace('/', '-'))}" data-port="${g.port}" data-sev="${g.severity ?? 0}" data-events="${hit?.events ?? 0}"><tr class="main"><td><button class="exp" aria-expanded="false" aria-label="details">▸</button></td><td class="portkey nowrap">${esc(g.key)}</td><td class="what">${bi(g.label)}${kind ? ` <span class="tag">${bi(kind)}</span>` : ''}</td><td>${g.severity ? badge(g.severity) : ''}</td><td class="n hide-sm">${hit ? num(hit.events) : ''}</td></tr><tr class="detail" hidden><td colspan="5">${detail}</td></tr></tbody>`;
    })
    .join('');
  const head = `<thead><tr><th></th>${th(t('port'), { key: 'port', type: 'num' })}${th(t('name'), { key: 'what', type: 'text' })}${th(t('sev'), { key: 'sev', type: 'num' })}${th(t('count'), { key: 'events', type: 'num' }, 'n hide-sm')}</tr></thead>`;
  return `<section id="glossary"><h2>${t('glossary')} <span class="muted">(${num(entries.length)})</span></h2><p class="muted">${t('glossaryNote')}</p>${filterBox('glossary-table', entries.length)}<div class="scroll"><table class="dt" id="glossary-table">${head}${groups}</table></div><p class="no-match" hidden>${t('noMatch')}</p></section>`;
}
