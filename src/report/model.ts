// The report document shared by every output (text, JSON, HTML): built once from ingest stats and the summary.

import type { PortStat, Summary } from '../analyze/summary.js';
import type { ReportContext } from '../context/report-context.js';
import type { ClosedEarly, Finding, OmittedFindings } from '../detect/types.js';
import type { FwEvent } from '../event.js';
import { toEcs } from '../event.js';
import type { Explanation } from '../explain/index.js';
import { tBoth } from '../i18n.js';
import type { IngestStats, LineProblem } from '../ingest/pipeline.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import { portNamesLabel } from '../knowledge/port-names.js';
import type { Localized } from '../knowledge/schema.js';
import { packageVersion } from '../util/package-root.js';
import { buildGlossary, type GlossaryEntry, LABEL_ENTRIES } from './glossary.js';
import { nonTrafficCount, type ReportNotice } from './notices.js';

/** A destination port row with its plain-language label. */
export interface ReportPort extends PortStat {
  label?: Localized;
}

/** A source row. */
export interface ReportSource {
  ip: string;
  events: number;
  distinctPorts: number;
  maxSeverity: number;
  firstSeen?: string;
  lastSeen?: string;
  /** What the knowledge base knows about the address (scanner, private range ...). */
  note?: Localized;
}

/** One of the highest-severity events, explained. */
export interface ReportNotable {
  severity: number;
  /** Events of this shape, from every source (the headline names the first one's). */
  count: number;
  /** Distinct sources of those events. */
  sources: number;
  headline: Localized;
  reasons: Explanation['severity']['reasons'];
  advice: Localized[];
  file?: string;
  line?: number;
  raw: string;
  event: Record<string, unknown>;
}

/** The whole analyze report. */
export interface Report {
  tool: { name: 'fwlens'; version: string };
  inputs: {
    path: string;
    formats: Record<string, number>;
    lines: number;
    events: number;
    malformed: number;
    unrecognized: number;
    /**
     * Records a format recognised as its own that carry no traffic (logins, configuration, system, HA, ids it
     * does not understand yet as `not understood: <id>`): by format id, then kind. Absent when there were none.
     */
    nonTraffic?: Record<string, Record<string, number>>;
    /** Distinct non-traffic kinds beyond the first 256, counted together as `other kinds` (src/ingest/non-traffic.ts). */
    nonTrafficOtherKinds?: number;
    /** Stamps in the hour repeated when daylight saving time ended, read in log order (`--tz` with a zone name). */
    ambiguousTimes?: number;
    error?: string;
    /** The input error in English and Chinese. */
    errorText?: Localized;
  }[];
  span: { first?: string; last?: string; untimedEvents: number };
  totals: {
    lines: number;
    events: number;
    malformed: number;
    unrecognized: number;
    /** Records of known formats that carry no traffic (absent when none). */
    nonTraffic?: number;
    distinctSources: number;
    sourcesExact: boolean;
  };
  counts: {
    byAction: Record<string, number>;
    byTransport: Record<string, number>;
    byDirection: Record<string, number>;
    byFormat: Record<string, number>;
    byProduct: Record<string, number>;
    /** Distinct transports and products beyond the first 256 of each, counted together as `(other)`. */
    foldedKeys?: { byTransport?: number; byProduct?: number };
    bySeverity: Record<string, number>;
  };
  topSources: ReportSource[];
  topPorts: ReportPort[];
  notable: ReportNotable[];
  unparsed: { malformed: LineProblem[]; unrecognized: LineProblem[] };
  /** Chart data for the HTML report: events over time, source x port heat map, source networks. */
  charts?: Pick<Summary, 'timeline' | 'heatmap' | 'networks'>;
  /** Knowledge-base notes on every port the report shows (bounded, see GLOSSARY_MAX). */
  glossary?: GlossaryEntry[];
  /** Filters given on the command line and how many parsed events they left out (set by analyze). */
  filters?: { applied: string[]; excluded: number };
  /** What the detection engine (src/detect) concluded, when it ran. */
  findings?: Finding[];
  /** Per detector, findings left out over `maxFindingsPerDetector` (absent when none were). */
  findingsOmitted?: OmittedFindings[];
  /** Per detector, groups judged before their time at a memory bound of the engine (absent when none were). */
  detectionClosedEarly?: ClosedEarly[];
  /**
   * Why inputs gave no events (unreadable, empty, not a firewall log, all damaged, only non-traffic records),
   * one sentence each; absent when every input gave events. Set by analyze.
   */
  notices?: ReportNotice[];
  /** Who is behind the addresses: owner, country, research-scanner label, your lists (src/context). */
  context?: ReportContext;
}

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

/** Short label of a destination port or ICMP type from the knowledge base, IANA name as fallback. */
export function portLabel(
  kb: KnowledgeBase,
  transport: string,
  port: number | undefined,
): Localized | undefined {
  if (port === undefined) return undefined;
  if (transport === 'icmp' || transport === 'ipv6-icmp') {
    const e = kb.icmpEntries(transport === 'icmp' ? 'icmp' : 'icmpv6', port, undefined)[0];
    return e?.name;
  }
  const entries = kb.portEntries(port, transport);
  if (entries.length > 0) return portNamesLabel(entries, LABEL_ENTRIES);
  const iana = kb.ianaName(port, transport);
  if (iana) return { en: iana.name, zh: iana.name };
  // Say what the number's range means rather than leaving the row blank.
  if (port >= 49152) return tBoth('report.port.dynamic');
  return tBoth('report.port.unregistered');
}

function addressNote(kb: KnowledgeBase, ip: string): Localized | undefined {
  const e = kb.addressEntries(ip)[0];
  return e?.name;
}

/** Assemble the report document. */
export function buildReport(
  stats: IngestStats,
  summary: Summary,
  explain: (ev: FwEvent) => Explanation,
  kb: KnowledgeBase,
  findings?: Finding[],
): Report {
  const portKeys = [
    ...summary.topPorts.map((p) => p.key),
    ...summary.heatmap.ports,
    ...summary.notable.map((n) => portKeyOf(n.event)),
    ...(findings ?? []).flatMap((f) => f.ports.map((p) => `${f.transport ?? 'tcp'}/${p}`)),
  ].filter((k): k is string => k !== undefined);
  return {
    tool: { name: 'fwlens', version: packageVersion() },
    inputs: stats.inputs.map((i) => ({
      path: i.path,
      formats: i.formats,
      lines: i.lines,
      events: i.events,
      malformed: i.malformed,
      unrecognized: i.unrecognized,
      ...(nonTrafficCount(i) > 0 ? { nonTraffic: nonTrafficOf(i) } : {}),
      ...(i.nonTrafficOtherKinds ? { nonTrafficOtherKinds: i.nonTrafficOtherKinds } : {}),
      ...(i.ambiguousTimes ? { ambiguousTimes: i.ambiguousTimes } : {}),
      ...(i.error ? { error: i.error } : {}),
      ...(i.errorText ? { errorText: i.errorText } : {}),
    })),
    span: { first: iso(summary.firstSeen), last: iso(summary.lastSeen), untimedEvents: summary.untimed },
    totals: {
      lines: stats.lines,
      events: stats.events,
      malformed: stats.malformed,
      unrecognized: stats.unrecognized,
      ...(stats.nonTraffic > 0 ? { nonTraffic: stats.nonTraffic } : {}),
      distinctSources: summary.distinctSources,
      sourcesExact: summary.sourcesExact,
    },
    counts: {
      byAction: summary.byAction,
      byTransport: summary.byTransport,
      byDirection: summary.byDirection,
      byFormat: summary.byFormat,
      byProduct: summary.byProduct,
      bySeverity: summary.bySeverity,
      ...(summary.foldedKeys ? { foldedKeys: summary.foldedKeys } : {}),
    },
    topSources: summary.topSources.map((s) => ({
      ip: s.ip,
      events: s.events,
      distinctPorts: s.distinctPorts,
      maxSeverity: s.maxSeverity,
      firstSeen: iso(s.firstSeen),
      lastSeen: iso(s.lastSeen),
      note: addressNote(kb, s.ip),
    })),
    topPorts: summary.topPorts.map((p) => ({ ...p, label: portLabel(kb, p.transport, p.port) })),
    notable: summary.notable.map((n) => {
      const x = explain(n.event);
      return {
        severity: x.severity.score,
        count: n.count,
        sources: n.sources,
        headline: x.headline,
        reasons: x.severity.reasons,
        advice: x.advice,
        file: n.event.file,
        line: n.event.line,
        raw: n.raw,
        event: toEcs(n.event),
      };
    }),
    unparsed: { malformed: stats.malformedSamples, unrecognized: stats.unrecognizedSamples },
    charts: { timeline: summary.timeline, heatmap: summary.heatmap, networks: summary.networks },
    glossary: buildGlossary(kb, portKeys),
    ...(findings ? { findings } : {}),
  };
}

/** An input's non-traffic records by format then kind (by kind under `unknown` when the pipeline gave no formats). */
function nonTrafficOf(i: IngestStats['inputs'][number]): Record<string, Record<string, number>> {
  return i.nonTrafficByFormat ?? { unknown: { ...i.nonTraffic } };
}

/** Port key of an event as the summary writes it (`tcp/22`, `icmp/8`), if it has one. */
function portKeyOf(ev: FwEvent): string | undefined {
  const transport = ev.transport ?? 'unknown';
  const n =
    ev.destinationPort ?? (transport === 'icmp' || transport === 'ipv6-icmp' ? ev.icmpType : undefined);
  return n === undefined ? undefined : `${transport}/${n}`;
}
