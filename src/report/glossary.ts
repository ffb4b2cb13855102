// Port glossary of a report: the knowledge base's name, story and advice for every port the report shows.
import { tBoth } from '../i18n.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import { portNamesLabel } from '../knowledge/port-names.js';
import type { Fact, Localized } from '../knowledge/schema.js';

/** Knowledge entries a port's short label names (a report's port column has room for two). */
export const LABEL_ENTRIES = 2;

/** Most glossary entries in one report, so a port-sweep finding cannot blow up the document. */
export const GLOSSARY_MAX = 80;
/** Facts quoted per knowledge entry. */
export const FACTS_PER_ENTRY = 2;

/** What the knowledge base says about one destination port (or ICMP type) of the report. */
export interface GlossaryEntry {
  /** `tcp/22`, `udp/137`, `icmp/8` ... as in ReportPort.key. */
  key: string;
  transport: string;
  port: number;
  label: Localized;
  /** Knowledge kind (service, trojan, worm, amplifier ...) of the lead entry; `iana` for registry names. */
  kind?: string;
  /** 1-5 base severity of an unsolicited inbound hit, when the knowledge base rates it. */
  severity?: number;
  /** A few facts in both languages, each with its source id. */
  facts: { text: Localized; source?: string; sourceTitle?: string }[];
  advice?: Localized;
  malware?: string[];
}

function parseKey(key: string): { transport: string; port: number } | undefined {
  const m = /^([a-z0-9-]+)\/(\d+)$/.exec(key);
  return m ? { transport: m[1]!, port: Number(m[2]) } : undefined;
}

function fact(kb: KnowledgeBase, f: Fact): GlossaryEntry['facts'][number] {
  const title = kb.source(f.source)?.title;
  return { text: { en: f.en, zh: f.zh }, source: f.source, ...(title ? { sourceTitle: title } : {}) };
}

function entryFor(
  kb: KnowledgeBase,
  key: string,
  transport: string,
  port: number,
): GlossaryEntry | undefined {
  if (transport === 'icmp' || transport === 'ipv6-icmp') {
    const e = kb.icmpEntries(transport === 'icmp' ? 'icmp' : 'icmpv6', port, undefined)[0];
    if (!e) return undefined;
    return {
      key,
      transport,
      port,
      label: e.name,
      kind: e.role,
      severity: e.severity,
      facts: e.facts.slice(0, FACTS_PER_ENTRY).map((f) => fact(kb, f)),
      ...(e.advice ? { advice: e.advice } : {}),
    };
  }
  const entries = kb.portEntries(port, transport);
  if (entries.length > 0) {
    const lead = [...entries].sort((a, b) => b.severity - a.severity)[0]!;
    return {
      key,
      transport,
      port,
      label: portNamesLabel(entries, LABEL_ENTRIES),
      kind: lead.kind,
      severity: lead.severity,
      facts: entries
        .flatMap((e) => e.facts.slice(0, FACTS_PER_ENTRY))
        .slice(0, FACTS_PER_ENTRY * 2)
        .map((f) => fact(kb, f)),
      advice: lead.advice,
      ...(lead.malware?.length ? { malware: lead.malware } : {}),
    };
  }
  const iana = kb.ianaName(port, transport);
  if (!iana) return undefined;
  const what =
    iana.description && iana.description !== iana.name ? `${iana.name} (${iana.description})` : iana.name;
  return {
    key,
    transport,
    port,
    label: { en: iana.name, zh: iana.name },
    kind: 'iana',
    facts: [
      {
        text: tBoth('report.glossary.iana', { what }),
      },
    ],
  };
}

/**
 * Glossary entries for the given port keys (duplicates and port-less keys skipped), in the order
 * given, at most GLOSSARY_MAX; ports the knowledge base and IANA know nothing about are left out.
 */
export function buildGlossary(kb: KnowledgeBase, keys: Iterable<string>): GlossaryEntry[] {
  const out: GlossaryEntry[] = [];
  const seen = new Set<string>();
  for (const key of keys) {
    if (out.length >= GLOSSARY_MAX) break;
    if (seen.has(key)) continue;
    seen.add(key);
    const k = parseKey(key);
    if (!k) continue;
    const e = entryFor(kb, key, k.transport, k.port);
    if (e) out.push(e);
  }
  return out;
}
