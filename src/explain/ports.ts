// The destination port's story: every knowledge-base entry, else the IANA name, and never just "unknown".
import { type MessageVars, tBoth } from '../i18n.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import { portNamesLabel } from '../knowledge/port-names.js';
import type { Localized, PortEntry, PortKind } from '../knowledge/schema.js';
import type { Draft } from './draft.js';

/** Port kinds whose traffic means hostile software is involved on one end. */
export const HOSTILE_KINDS: ReadonlySet<PortKind> = new Set([
  'trojan',
  'backdoor',
  'worm',
  'iot-botnet',
  'adware',
]);

/** Port kinds whose inbound traffic is the return half of a session your own client opened. */
export const RETURN_KINDS: ReadonlySet<PortKind> = new Set(['return-traffic', 'streaming']);

/** IANA port ranges (RFC 6335). */
export type PortRange = 'well-known' | 'registered' | 'dynamic';

/** Which IANA range a port falls in. */
export function portRangeOf(port: number): PortRange {
  return port < 1024 ? 'well-known' : port < 49152 ? 'registered' : 'dynamic';
}

/** Port entries for one protocol, or for TCP and UDP together when the protocol is not given. */
export function entriesFor(kb: KnowledgeBase, port: number, proto: string | undefined): PortEntry[] {
  if (proto) return kb.portEntries(port, proto);
  const seen = new Set<string>();
  const out: PortEntry[] = [];
  for (const p of ['tcp', 'udp', 'sctp'])
    for (const e of kb.portEntries(port, p))
      if (!seen.has(e.id)) {
        seen.add(e.id);
        out.push(e);
      }
  return out;
}

/** Short label: the known names joined, else the IANA name, else the range. */
export function portLabelOf(
  kb: KnowledgeBase,
  port: number,
  proto: string | undefined,
  entries: PortEntry[],
): Localized {
  if (entries.length > 0) {
    return portNamesLabel(entries);
  }
  const iana = ianaFor(kb, port, proto);
  if (iana) return tBoth('explain.port.ianaLabel', { name: iana.name });
  return tBoth(`explain.port.rangeLabel.${portRangeOf(port)}`);
}

function ianaFor(kb: KnowledgeBase, port: number, proto: string | undefined) {
  for (const p of proto ? [proto] : ['tcp', 'udp']) {
    const hit = kb.ianaName(port, p);
    if (hit) return { ...hit, proto: p };
  }
  return undefined;
}

/**
 * Tell the story of a port into a section: every entry (name, kind, facts, advice), then the IANA
 * registration and the range. Returns the entries found.
 */
export function describePort(
  draft: Draft,
  topic: 'destination-port' | 'source-port',
  port: number,
  proto: string | undefined,
): PortEntry[] {
  const entries = entriesFor(draft.kb, port, proto);
  for (const e of entries) {
    const vars: MessageVars = {
      port,
      name: e.name,
      kind: draft.text(`explain.kind.${e.kind}`),
      protos: e.proto.map((p) => p.toUpperCase()).join('/'),
    };
    draft.say(topic, 'explain.port.entry', vars);
    for (const f of e.facts) draft.line(topic, { en: f.en, zh: f.zh }, f.source);
    if (e.malware?.length) draft.say(topic, 'explain.port.malware', { names: e.malware.join(', ') });
    draft.advise(e.advice);
  }
  // The IANA registration is told, never scored: a score-only draft does not look it up.
  const iana = draft.rendering ? ianaFor(draft.kb, port, proto) : undefined;
  if (iana) {
    const description = iana.description && iana.description !== iana.name ? iana.description : '';
    draft.say(
      topic,
      description ? 'explain.port.iana' : 'explain.port.ianaNameOnly',
      { port, proto: iana.proto.toUpperCase(), name: iana.name, description },
      'iana-ports',
    );
  } else if (entries.length === 0) draft.say(topic, 'explain.port.notRegistered', { port }, 'iana-ports');
  if (entries.length === 0) draft.say(topic, `explain.port.range.${portRangeOf(port)}`, { port }, 'rfc-6335');
  return entries;
}

/** The entry that sets the base severity: the most severe one. */
export function leadEntry(entries: PortEntry[]): PortEntry | undefined {
  let best: PortEntry | undefined;
  for (const e of entries) if (!best || e.severity > best.severity) best = e;
  return best;
}
