// The HTML report: one self-contained page (inlined script, style, data and ECharts) a person can mail.
import { createHash } from 'node:crypto';
import { attributionText } from '../../context/describe.js';
import type { Lang } from '../../i18n.js';
import type { Localized } from '../../knowledge/schema.js';
import { duration } from '../../util/duration.js';
import { visibleText } from '../../util/visible.js';
import type { Report } from '../model.js';
import { pageAssets } from './assets.js';
import { bi, esc, t } from './markup.js';
import {
  findingsSection,
  glossarySection,
  notableSection,
  overviewSection,
  topFindingsSection,
} from './sections.js';
import { ACTION_WORDS, DIRECTION_WORDS, fill, SEVERITY_WORDS, UI, type UiKey } from './strings.js';

/** Options of the HTML renderer. */
export interface HtmlOptions {
  /** Language the page opens in; the reader can switch in the page. */
  lang: Lang;
}

/**
 * Content-Security-Policy of a page whose inline script and style have the given texts: only those
 * exact blocks run or apply (by their SHA-256 hashes, no 'unsafe-inline'), no fetches of any kind, so
 * opening the file can never reach the network and markup that slipped in from a log stays inert.
 */
export function pageCsp(scripts: string[], styles: string[]): string {
  const hashes = (texts: string[]) => texts.map((text) => `'sha256-${sha256Base64(text)}'`).join(' ');
  return `default-src 'none'; script-src ${hashes(scripts)}; style-src ${hashes(styles)}; img-src data:; font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'`;
}

function sha256Base64(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

function panel(chart: string, title: UiKey, note?: string, extra = ''): string {
  return `<figure class="panel" data-panel="${chart}"><div class="panel-head"><h3>${t(title)}</h3>${extra}</div><div class="chart" data-chart="${chart}"></div>${note ? `<figcaption class="muted">${note}</figcaption>` : ''}</figure>`;
}

function bucketNote(bucketMs: number): string {
  const d = duration(bucketMs, 'decimal');
  return bi(fill('chartTimelineNote', { width: d }));
}

function chartsSection(r: Report): string {
  const bucket = r.charts?.timeline.bucketMs;
  const netSwitch = `<div class="seg" role="group"><button type="button" data-net="narrow" aria-pressed="true">/24</button><button type="button" data-net="wide" aria-pressed="false">/16</button></div>`;
  return `<section id="charts"><h2>${t('charts')}</h2><div class="grid">${[
    panel('timeline', 'chartTimeline', bucket ? bucketNote(bucket) : undefined),
    panel('ports', 'chartPorts', t('barColour')),
    panel('sources', 'chartSources', t('barColour')),
    panel('heatmap', 'chartHeatmap', t('chartHeatmapNote')),
    panel('protocol', 'chartProtocol'),
    panel('direction', 'chartDirection'),
    panel('networks', 'chartNetworks', t('chartNetworksNote'), netSwitch),
    ...(r.context
      ? [
          panel(
            'orgs',
            'chartOrgs',
            r.context.data.asn ? t('chartOrgsNote', { date: r.context.data.asn.dataDate }) : undefined,
          ),
          panel('countries', 'chartCountries', t('chartCountriesNote')),
        ]
      : []),
  ].join('')}</div></section>`;
}

/** Labels of every port key the charts may show: glossary first, then the top-port table. */
function portLabels(r: Report): Record<string, Localized> {
  const out: Record<string, Localized> = {};
  for (const g of r.glossary ?? []) out[g.key] = g.label;
  for (const p of r.topPorts) if (p.label && !out[p.key]) out[p.key] = p.label;
  return out;
}

/** The data the page script draws charts from (tables are already in the HTML). */
function pageData(r: Report, lang: Lang) {
  return {
    lang,
    ui: UI,
    words: { action: ACTION_WORDS, direction: DIRECTION_WORDS, severity: SEVERITY_WORDS },
    counts: {
      byAction: r.counts.byAction,
      byTransport: r.counts.byTransport,
      byDirection: r.counts.byDirection,
    },
    timeline: r.charts?.timeline,
    heatmap: r.charts?.heatmap,
    networks: r.charts?.networks,
    ports: r.topPorts.map((p) => ({
      key: p.key,
      events: p.events,
      sources: p.distinctSources,
      sourcesApprox: p.sourcesExact === false,
      sev: p.maxSeverity,
    })),
    sources: r.topSources.map((s) => ({
      ip: s.ip,
      events: s.events,
      ports: s.distinctPorts,
      sev: s.maxSeverity,
      note: s.note,
    })),
    orgs: r.context?.topOrganizations.map((o) => ({
      label: `AS${o.asn} ${o.organization}`,
      events: o.events,
      addresses: o.addresses,
      scanner: o.scanner,
    })),
    countries: r.context?.topCountries,
    portLabels: portLabels(r),
  };
}

/**
 * The chart data with every string (keys too) made visible as esc() shows page text: chart labels and
 * tooltips drawn from it show a log's bidi or control characters instead of obeying them.
 */
function visibleData(value: unknown): unknown {
  if (typeof value === 'string') return visibleText(value);
  if (Array.isArray(value)) return value.map(visibleData);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [visibleText(k), visibleData(v)]));
  return value;
}

/** JSON safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Inline script text safe inside a <script> element. */
function scriptText(js: string): string {
  return js.replace(/<\/script/gi, '<\\/script');
}

/**
 * Where the context came from: the data date and the attribution the CC BY 4.0 licence asks for (with the
 * link back to DB-IP its terms ask of pages showing its results), and notices about missing or stale data.
 */
/** The DB-IP address is the link after the text, so the text leaves it out. */
function withoutLink(text: Localized): Localized {
  return { en: text.en.replace(' https://db-ip.com', ''), zh: text.zh.replace(' https://db-ip.com', '') };
}

function contextFooter(r: Report): string {
  const ctx = r.context;
  if (!ctx) return '';
  const parts: string[] = [];
  if (ctx.data.asn)
    parts.push(
      `${bi(withoutLink(attributionText(ctx.data.asn.attribution)))} · <a href="https://db-ip.com">IP Geolocation by DB-IP</a> · ${esc(ctx.data.asn.dataDate)}`,
    );
  if (ctx.data.country?.attribution) parts.push(bi(attributionText(ctx.data.country.attribution)));
  for (const n of ctx.notices) parts.push(`<span class="notice">${bi(n)}</span>`);
  return parts.map((p) => `<div class="small attribution">${p}</div>`).join('');
}

/** Render the report as one self-contained HTML document. */
export function renderHtml(report: Report, opts: HtmlOptions): string {
  const assets = pageAssets();
  const names = report.inputs.map((i) => (i.path === '-' ? '(stdin)' : i.path.split(/[\\/]/).pop()!));
  const subject = names.length > 3 ? `${names.slice(0, 3).join(', ')} …` : names.join(', ');
  const lang = opts.lang;
  const body = [
    `<header class="masthead"><div class="wrap"><div class="brand">fwlens</div><div class="mast-main"><h1>${t('title')}</h1><div class="subject">${esc(subject)}</div></div><div class="seg lang-switch" role="group" aria-label="${esc(UI.langSwitch.en)} / ${esc(UI.langSwitch.zh)}"><button type="button" data-set-lang="en" aria-pressed="${lang === 'en'}">English</button><button type="button" data-set-lang="zh" aria-pressed="${lang === 'zh'}">中文</button></div></div></header>`,
    `<main class="wrap"><noscript><p class="muted">${t('noScript')}</p></noscript>`,
    topFindingsSection(report),
    overviewSection(report),
    chartsSection(report),
    findingsSection(report),
    notableSection(report),
    glossarySection(report),
    `</main><footer class="wrap muted">${t('madeBy', { version: report.tool.version })}${contextFooter(report)}</footer>`,
  ].join('\n');
  const scripts = [scriptText(assets.echarts), scriptText(assets.script)];
  const csp = pageCsp(scripts, [assets.style]);
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}" data-lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="fwlens ${esc(report.tool.version)}">
<title>${esc(UI.title[lang])} – ${esc(subject)}</title>
<style>${assets.style}</style>
</head>
<body>
${body}
<script type="application/json" id="fwlens-data">${scriptJson(visibleData(pageData(report, lang)))}</script>
<script>${scripts[0]}</script>
<script>${scripts[1]}</script>
</body>
</html>
`;
}
