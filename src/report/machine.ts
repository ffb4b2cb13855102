// Machine output: ECS documents for NDJSON (one per event, one per finding) and the findings CSV.

import ipaddr from 'ipaddr.js';
import { labelText, ownerText } from '../context/describe.js';
import { addEcsContext } from '../context/ecs.js';
import type { AddressContext } from '../context/enrich.js';
import { remoteAddress } from '../context/remote.js';
import { omittedRecords } from '../detect/finding.js';
import type { ClosedEarly, Finding, OmittedFindings } from '../detect/types.js';
import { ECS_VERSION, type FwEvent, toEcs } from '../event.js';
import { type Lang, t } from '../i18n.js';
import { visibleText } from '../util/visible.js';
import type { Report } from './model.js';

/**
 * `event.dataset` of NDJSON lines, `<module>.<dataset>` as ECS recommends, so an index or a Splunk sourcetype
 * can tell events from findings: events are `<format>.log` (their `event.module` is the format id), the
 * rest belong to module `fwlens`.
 */
export const DATASET = {
  event: (format: string) => `${format}.log`,
  finding: 'fwlens.finding',
  omitted: 'fwlens.findings_omitted',
  closedEarly: 'fwlens.detection_closed_early',
  untimed: 'fwlens.untimed_events',
  inputs: 'fwlens.inputs',
} as const;

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/**
 * The fields ECS requires of every document (`@timestamp`, `ecs.version`) and `event.created`, the time
 * fwlens read the log. A document whose log gave no time is stamped with that read time, and says so in
 * `fwlens.timestamp_basis: "read"` (ECS: @timestamp falls back to when the pipeline first saw the event).
 */
function stamp(doc: Record<string, unknown>, readTime: number): void {
  doc.ecs = { version: ECS_VERSION };
  (doc.event as Record<string, unknown>).created = iso(readTime);
  if (doc['@timestamp'] === undefined) {
    doc['@timestamp'] = iso(readTime);
    doc.fwlens = { ...(doc.fwlens as Record<string, unknown> | undefined), timestamp_basis: 'read' };
  }
}

/**
 * One NDJSON event line: the event's nested ECS document plus the raw line as `event.original`.
 * `readTime` (epoch ms) is when this run read the log.
 */
export function eventDocument(
  ev: FwEvent,
  raw: string,
  readTime: number,
  context?: (ip: string) => AddressContext,
): Record<string, unknown> {
  const doc = toEcs(ev);
  doc.event = { ...(doc.event as Record<string, unknown>), dataset: DATASET.event(ev.format), original: raw };
  // Owner and country of the far end: the destination of outbound traffic, else the source.
  const remote = remoteAddress(ev);
  if (context && remote)
    addEcsContext(doc, remote === ev.sourceIp ? 'source' : 'destination', context(remote));
  stamp(doc, readTime);
  return doc;
}
const validIps = (list: string[]) => list.filter((ip) => ipaddr.isValid(ip));

/**
 * One NDJSON finding line in ECS form: `event.kind: "alert"`, the detector as `rule.id`, severity as
 * `event.severity` (1-5) and `event.risk_score` (0-100), every address in `related.ip`, and the whole
 * finding (both languages, evidence) under `fwlens.finding`. `message` is the title in `lang`.
 */
export function findingDocument(
  f: Finding,
  lang: Lang,
  readTime: number,
  context?: Record<string, AddressContext>,
): Record<string, unknown> {
  const sources = validIps(f.sources);
  const targets = validIps(f.targets);
  const related = [...new Set([...sources, ...targets])];
  const start = iso(f.firstSeen);
  const end = iso(f.lastSeen);
  const doc: Record<string, unknown> = {};
  if (start) doc['@timestamp'] = start;
  doc.message = f.title[lang];
  doc.event = {
    kind: 'alert',
    category: ['network', 'intrusion_detection'],
    type: ['info'],
    dataset: DATASET.finding,
    module: 'fwlens',
    severity: f.severity,
    risk_score: f.severity * 20,
    reason: f.explanation[lang],
    ...(start ? { start } : {}),
    ...(end ? { end } : {}),
    // ECS durations are nanoseconds.
    ...(f.firstSeen !== undefined && f.lastSeen !== undefined && f.timeBasis !== 'line-order'
      ? { duration: (f.lastSeen - f.firstSeen) * 1e6 }
      : {}),
  };
  doc.rule = {
    id: f.detector,
    name: f.title.en,
    ruleset: 'fwlens',
    ...(f.technique ? { category: f.technique } : {}),
  };
  if (sources.length === 1) {
    doc.source = { ip: sources[0] };
    addEcsContext(doc, 'source', context?.[sources[0]!]);
  }
  if (targets.length === 1 || f.ports.length === 1)
    doc.destination = {
      ...(targets.length === 1 ? { ip: targets[0] } : {}),
      ...(f.ports.length === 1 ? { port: f.ports[0] } : {}),
    };
  if (f.transport) doc.network = { transport: f.transport };
  if (related.length > 0) doc.related = { ip: related };
  doc.fwlens = { finding: f };
  stamp(doc, readTime);
  return doc;
}

/**
 * One NDJSON line per detector whose groups were judged before their time at a memory bound
 * (`event.kind: "metric"`), under `fwlens.detection_closed_early`.
 */
export function closedEarlyDocument(c: ClosedEarly, lang: Lang, readTime: number): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    message: t('report.closedEarly', lang, {
      detector: c.detector,
      n: c.groups + c.values,
      groups: c.groups,
      values: c.values,
    }),
    event: { kind: 'metric', dataset: DATASET.closedEarly, module: 'fwlens' },
    rule: { id: c.detector, ruleset: 'fwlens' },
    fwlens: { detection_closed_early: c },
  };
  stamp(doc, readTime);
  return doc;
}

/**
 * One NDJSON line per detector whose weakest findings were left out over `maxFindingsPerDetector`
 * (`event.kind: "metric"`): how many, their records (packets or connections) and highest severity, under `fwlens.findings_omitted`.
 */
export function omittedDocument(o: OmittedFindings, lang: Lang, readTime: number): Record<string, unknown> {
  const vars = {
    detector: o.detector,
    n: o.findings,
    records: omittedRecords(o),
    severity: o.maxSeverity,
    limit: o.limit,
  };
  const doc: Record<string, unknown> = {
    message: t('report.findingsOmitted', lang, vars),
    event: { kind: 'metric', dataset: DATASET.omitted, module: 'fwlens', severity: o.maxSeverity },
    rule: { id: o.detector, ruleset: 'fwlens' },
    fwlens: { findings_omitted: o },
  };
  stamp(doc, readTime);
  return doc;
}

/**
 * The NDJSON line (`event.kind: "metric"`) counting events whose stamp could not be read: they are in
 * the stream stamped with the read time (`fwlens.timestamp_basis: "read"`), and this line says how many,
 * so they are not taken for a burst at that moment or for a gap.
 */
export function untimedDocument(n: number, lang: Lang, readTime: number): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    message: t('report.untimed', lang, { n: n.toLocaleString('en-US') }),
    event: { kind: 'metric', dataset: DATASET.untimed, module: 'fwlens' },
    fwlens: { untimed_events: n },
  };
  stamp(doc, readTime);
  return doc;
}

/**
 * The NDJSON line (`event.kind: "metric"`) that closes every run, whatever the inputs held: lines read, events,
 * non-traffic records, damaged lines and lines in no known format, per input and in total, with the notices
 * saying why an input gave no events; `event.outcome` is `failure` when a notice failed the run (exit code 1).
 */
export function inputsDocument(report: Report, lang: Lang, readTime: number): Record<string, unknown> {
  const counts = (c: {
    lines: number;
    events: number;
    malformed: number;
    unrecognized: number;
    nonTraffic?: number;
  }) => ({
    lines: c.lines,
    events: c.events,
    non_traffic: c.nonTraffic ?? 0,
    malformed: c.malformed,
    unrecognized: c.unrecognized,
  });
  const notices = report.notices ?? [];
  const totals = counts(report.totals);
  const doc: Record<string, unknown> = {
    message:
      notices.length > 0
        ? notices.map((n) => n.text[lang]).join('; ')
        : t('report.inputsRead', lang, {
            lines: totals.lines,
            events: totals.events,
            nonTraffic: totals.non_traffic,
            unparsed: totals.malformed + totals.unrecognized,
          }),
    event: {
      kind: 'metric',
      dataset: DATASET.inputs,
      module: 'fwlens',
      outcome: notices.some((n) => n.failed) ? 'failure' : 'success',
    },
    fwlens: {
      inputs: {
        ...totals,
        files: report.inputs.map((i) => ({
          path: i.path,
          ...counts({
            ...i,
            nonTraffic: Object.values(i.nonTraffic ?? {}).reduce(
              (sum, kinds) => sum + Object.values(kinds).reduce((a, b) => a + b, 0),
              0,
            ),
          }),
          ...(i.nonTraffic ? { non_traffic_kinds: i.nonTraffic } : {}),
          ...(i.nonTrafficOtherKinds ? { non_traffic_other_kinds: i.nonTrafficOtherKinds } : {}),
          ...(i.error ? { error: i.error } : {}),
        })),
        notices: notices.map((n) => ({
          kind: n.kind,
          ...(n.path !== undefined ? { path: n.path } : {}),
          failed: n.failed,
          message: n.text[lang],
        })),
      },
    },
  };
  stamp(doc, readTime);
  return doc;
}

/** Column order of the findings CSV. */
export const CSV_COLUMNS = [
  'severity',
  'detector',
  'title',
  'first_seen',
  'last_seen',
  'sources',
  'targets',
  'ports',
  'transport',
  'technique',
  'events',
  'confidence',
  'suppressed',
  'source_as_number',
  'source_as_organization',
  'source_country',
  'source_label',
  'adjustments',
  'explanation',
  'advice',
  'evidence',
] as const;

/**
 * Quote a CSV field when needed (RFC 4180); a leading =+-@ is defused so spreadsheets do not run it (a lone `-`
 * is left as it is), and log
 * text is made visible (visibleText, line feeds kept): CSV lands on terminals too, where an escape sequence
 * from a log would run.
 */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  let s = typeof value === 'string' ? visibleText(value, { keepNewlines: true }) : String(value);
  // A lone '-' (a table's "none", e.g. no country) is no formula in any spreadsheet: it stays itself.
  if (/^[=+\-@\t\r]/.test(s) && typeof value === 'string' && s !== '-') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The findings as CSV (header line + one row per finding, CRLF line ends); texts in `lang`. */
export function findingsCsv(
  findings: Finding[],
  lang: Lang,
  context?: Record<string, AddressContext>,
): string {
  const rows = findings.map((f) => {
    // Context of the first source (the one the text report names first).
    const ctx = f.sources[0] === undefined ? undefined : context?.[f.sources[0]];
    return [
      f.severity,
      f.detector,
      f.title[lang],
      iso(f.firstSeen),
      iso(f.lastSeen),
      f.sources.join(' '),
      f.targets.join(' '),
      f.ports.join(' '),
      f.transport,
      f.technique,
      f.counts.events,
      f.confidence,
      f.suppressed,
      ctx?.as?.number,
      ctx?.as?.organization,
      ctx?.country,
      [ownerText(ctx?.as ? undefined : ctx, lang), labelText(ctx, lang)].filter(Boolean).join('; ') ||
        undefined,
      // U+2212 for minus: a leading ASCII '-' would be defused as a spreadsheet formula.
      f.adjustments?.map((a) => `${a.delta > 0 ? '+' : '−'}${Math.abs(a.delta)} ${a.text[lang]}`).join('; '),
      f.explanation[lang],
      f.advice[lang],
      f.evidence.map((e) => `${e.file ?? ''}:${e.line ?? ''} ${e.text}`).join('\n'),
    ]
      .map(csvField)
      .join(',');
  });
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
