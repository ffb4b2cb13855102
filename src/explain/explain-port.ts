// Explain a bare port number (the CLI's `fwlens explain 31337`, `6970/udp`, `--source 53`), with no event.
import { tBoth } from '../i18n.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import type { Localized } from '../knowledge/schema.js';
import { Draft } from './draft.js';
import { describePort, leadEntry, portLabelOf, RETURN_KINDS } from './ports.js';
import { describeSourcePort, REPLY_SOURCE_PORTS } from './source-port.js';
import type { Explanation } from './types.js';

/** Protocols a port query may name. */
export type PortProto = 'tcp' | 'udp' | 'sctp';

/**
 * Explain a port: every knowledge entry for it (TCP and UDP together when proto is undefined),
 * its IANA registration and range, and what an outbound hit would mean. With `source`, explain it
 * as a SOURCE port instead. Throws RangeError for a port outside 0-65535.
 */
export function explainPort(
  port: number,
  proto: PortProto | undefined,
  opts: { source?: boolean },
  kb: KnowledgeBase,
): Explanation {
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RangeError(`port ${port} is outside 0-65535`);
  const draft = new Draft(kb);
  const shown = proto ? `${port}/${proto.toUpperCase()}` : String(port);
  if (opts.source) {
    const entries = describeSourcePort(draft, port, proto);
    const lead = entries[0];
    draft.setBase(2, 'explain.base.sourcePortQuery');
    if (lead)
      draft.adjust(
        lead.severityDelta,
        'explain.reason.sourcePortEntry',
        { port, name: lead.name },
        lead.facts[0]?.source,
      );
    const fallback = REPLY_SOURCE_PORTS[port];
    const label: Localized =
      lead?.name ??
      (fallback ? { en: fallback.service, zh: fallback.service } : portLabelOf(kb, port, proto, []));
    draft.advise('explain.advice.sourcePort');
    return draft.finish(tBoth('explain.headline.sourcePort', { port: shown, label }), label);
  }
  const entries = describePort(draft, 'destination-port', port, proto);
  const lead = leadEntry(entries);
  if (lead)
    draft.setBase(
      lead.severity,
      'explain.base.port',
      { port, name: lead.name, n: lead.severity },
      lead.facts[0]?.source,
    );
  else draft.setBase(2, 'explain.base.unknownPort', { port });
  for (const e of entries) {
    // The lead-in and what it leads to are one sentence: a lead-in alone would end in a colon and nothing.
    if (e.outbound)
      draft.say(
        'direction',
        'explain.dir.ifOutbound',
        { name: e.name, what: e.outbound },
        e.facts[0]?.source,
      );
    if (RETURN_KINDS.has(e.kind)) draft.say('direction', 'explain.dir.returnTrafficPort', { name: e.name });
  }
  const label = portLabelOf(kb, port, proto, entries);
  if (entries.length === 0) draft.advise('explain.advice.unknownPort');
  return draft.finish(tBoth('explain.headline.portQuery', { port: shown, label }), label);
}
