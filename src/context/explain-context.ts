// `fwlens explain <line>` with context: who is behind each address (owner, approximate country, research
// scanner, your lists, special ranges) in the addresses section, and the far end's severity step.
import type { FwEvent } from '../event.js';
import type { Explanation, Section } from '../explain/types.js';
import { type MessageKey, t, tBoth } from '../i18n.js';
import type { Localized } from '../knowledge/schema.js';
import { applyContextToExplanation, type ContextEnricher } from './enrich.js';
import { remoteAddress } from './remote.js';

/**
 * Lines about one address's context, in both languages. A scanner matched by address block is left out unless
 * `scannerByBlock` (an explanation says it in the knowledge base's own address lines; `query ip` has none).
 */
export function contextLines(ip: string, enricher: ContextEnricher, scannerByBlock = false): Localized[] {
  const ctx = enricher.of(ip);
  const lines: Localized[] = [];
  if (ctx.range) {
    const label = {
      en: t(`context.class.${ctx.range}` as MessageKey, 'en'),
      zh: t(`context.class.${ctx.range}` as MessageKey, 'zh'),
    };
    lines.push(tBoth('context.explain.special', { ip, label }));
  } else if (ctx.as) {
    const country = ctx.country ? tBoth('context.explain.country', { cc: ctx.country }) : { en: '', zh: '' };
    lines.push(tBoth('context.explain.owner', { ip, asn: ctx.as.number, org: ctx.as.organization, country }));
  } else {
    if (enricher.data.asn)
      lines.push(tBoth('context.explain.noOwner', { ip, date: enricher.data.asn.dataDate }));
    if (ctx.country) lines.push(tBoth('context.explain.countryOnly', { ip, cc: ctx.country }));
  }
  // A scanner matched by address block is already told by the knowledge base's own address lines.
  if (ctx.scanner && (scannerByBlock || ctx.scanner.by !== 'cidr'))
    lines.push(tBoth('context.explain.scanner', { ip, name: ctx.scanner.name }));
  if (ctx.name) lines.push(tBoth('context.explain.name', { ip, name: ctx.name }));
  return lines;
}

/** The explanation with context lines for both addresses and the far end's severity step. */
export function explainWithContext(x: Explanation, ev: FwEvent, enricher: ContextEnricher): Explanation {
  const lines = [ev.sourceIp, ev.destinationIp]
    .filter((ip): ip is string => ip !== undefined)
    .flatMap((ip) => contextLines(ip, enricher));
  const sections: Section[] = x.sections.map((s) => ({ ...s, lines: [...s.lines] }));
  let addresses = sections.find((s) => s.topic === 'addresses');
  if (!addresses && lines.length > 0) {
    addresses = { topic: 'addresses', title: tBoth('explain.topic.addresses'), lines: [] };
    // Keep the usual order: addresses come after the port sections.
    const after = sections.findIndex((s) => ['tcp-flags', 'icmp', 'inner-packet', 'ttl'].includes(s.topic));
    sections.splice(after < 0 ? sections.length : after, 0, addresses);
  }
  addresses?.lines.push(...lines);
  return applyContextToExplanation({ ...x, sections }, remoteAddress(ev), enricher);
}
