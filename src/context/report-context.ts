// The report's context block: per-address context for every address the report shows, top organisations and
// countries over the tracked sources, where the data came from (with attribution) and what was missing.

import type { Localized } from '../knowledge/schema.js';
import type { Report } from '../report/model.js';
import type { AddressContext, ContextData, ContextEnricher } from './enrich.js';

/** Rows of the top organisations and countries tables. */
export const CONTEXT_TOP = 10;

/** Sources of one finding that get their context in the report (the rest are counted, as the text shows). */
export const FINDING_SOURCES_ENRICHED = 20;

/** One organisation (autonomous system) among the sources. */
export interface OrganizationStat {
  asn: number;
  organization: string;
  /** Distinct source addresses of that AS. */
  addresses: number;
  events: number;
  /** Research scanner label of the AS when it is a known one. */
  scanner?: Localized;
}

/** One country among the sources (approximate). */
export interface CountryStat {
  country: string;
  addresses: number;
  events: number;
}

/** Everything the report says about who is behind its addresses. */
export interface ReportContext {
  /** Context per address shown in the report (top sources, finding sources and targets, notable events). */
  addresses: Record<string, AddressContext>;
  topOrganizations: OrganizationStat[];
  topCountries: CountryStat[];
  /** How many distinct sources the two tables were counted over (the summary tracks up to 32,768). */
  sourcesCounted: number;
  data: ContextData;
  /** Sentences about missing, unreadable or stale data (the run went on without that context). */
  notices: Localized[];
}

/** Addresses the report shows, each once, in order of appearance. */
export function reportAddresses(report: Report): string[] {
  const out = new Set<string>();
  for (const s of report.topSources) out.add(s.ip);
  for (const f of report.findings ?? []) {
    for (const s of f.sources.slice(0, FINDING_SOURCES_ENRICHED)) out.add(s);
    for (const t of f.targets.slice(0, 5)) out.add(t);
  }
  for (const n of report.notable) {
    const ev = n.event as { source?: { ip?: string }; destination?: { ip?: string } };
    if (ev.source?.ip) out.add(ev.source.ip);
    if (ev.destination?.ip) out.add(ev.destination.ip);
  }
  for (const s of report.charts?.heatmap.sources ?? []) out.add(s);
  out.delete('');
  return [...out];
}

/** Build the context block from the sources' event counts (SummaryBuilder.sourceCounts) and the report. */
export function buildReportContext(
  report: Report,
  sources: { ip: string; events: number }[],
  enricher: ContextEnricher,
): ReportContext {
  const orgs = new Map<number, OrganizationStat>();
  const countries = new Map<string, CountryStat>();
  for (const { ip, events } of sources) {
    const ctx = enricher.of(ip);
    if (ctx.as) {
      let o = orgs.get(ctx.as.number);
      if (!o) {
        o = { asn: ctx.as.number, organization: ctx.as.organization, addresses: 0, events: 0 };
        const scanner = enricher.scannerOfAs(ctx.as);
        if (scanner) o.scanner = scanner;
        orgs.set(ctx.as.number, o);
      }
      o.addresses++;
      o.events += events;
    }
    if (ctx.country) {
      let c = countries.get(ctx.country);
      if (!c) {
        c = { country: ctx.country, addresses: 0, events: 0 };
        countries.set(ctx.country, c);
      }
      c.addresses++;
      c.events += events;
    }
  }
  const rank = <T extends { events: number; addresses: number }>(a: T, b: T, ka: string, kb: string) =>
    b.events - a.events || b.addresses - a.addresses || (ka < kb ? -1 : ka > kb ? 1 : 0);
  return {
    addresses: enricher.table(reportAddresses(report)),
    topOrganizations: [...orgs.values()]
      .sort((a, b) => rank(a, b, String(a.asn), String(b.asn)))
      .slice(0, CONTEXT_TOP),
    topCountries: [...countries.values()]
      .sort((a, b) => rank(a, b, a.country, b.country))
      .slice(0, CONTEXT_TOP),
    sourcesCounted: sources.length,
    data: enricher.data,
    notices: [...enricher.problems, ...enricher.notices],
  };
}
