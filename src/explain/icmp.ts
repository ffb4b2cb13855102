// ICMP type/code from the knowledge base and, for ICMP errors, what the quoted inner packet reveals.
import type { FwEvent, InnerPacket } from '../event.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import type { IcmpEntry, Localized } from '../knowledge/schema.js';
import type { Draft } from './draft.js';

/** ICMP family of a transport name, undefined for non-ICMP traffic. */
export function icmpFamily(transport: string | undefined): 'icmp' | 'icmpv6' | undefined {
  if (transport === 'icmp') return 'icmp';
  if (transport === 'ipv6-icmp' || transport === 'icmpv6') return 'icmpv6';
  return undefined;
}

/** Error message types (they quote the packet that caused them), per RFC 792 and RFC 4443. */
const ERROR_TYPES: Record<'icmp' | 'icmpv6', ReadonlySet<number>> = {
  icmp: new Set([3, 4, 5, 11, 12]),
  icmpv6: new Set([1, 2, 3, 4]),
};

/** What the ICMP explainer found. */
export interface IcmpVerdict {
  entry?: IcmpEntry;
  name: Localized;
  /** The packet is an ICMP error quoting a packet the receiving side never sent. */
  notOurs: boolean;
}

/** Describe a quoted packet in words: protocol, ports and far end. */
function packetWords(inner: InnerPacket, draft: Draft): Localized {
  const proto = (inner.transport ?? '?').toUpperCase();
  const dst = inner.destinationIp ?? '?';
  if (inner.sourcePort !== undefined && inner.destinationPort !== undefined)
    return draft.text('explain.inner.withPorts', {
      proto,
      sport: inner.sourcePort,
      dst,
      dport: inner.destinationPort,
    });
  return draft.text('explain.inner.noPorts', { proto, dst });
}

/** Explain an ICMP event (no-op for other transports). */
export function explainIcmp(ev: FwEvent, kb: KnowledgeBase, draft: Draft): IcmpVerdict | undefined {
  const family = icmpFamily(ev.transport);
  if (!family || ev.icmpType === undefined) return undefined;
  const type = ev.icmpType;
  const code = ev.icmpCode;
  const entries = kb.icmpEntries(family, type, code);
  const entry = entries[0];
  const label = family === 'icmp' ? 'ICMP' : 'ICMPv6';
  const name = entry?.name ?? draft.text('explain.icmp.unnamed', { label, type });
  draft.say('icmp', 'explain.icmp.typeCode', { label, type, code: code ?? '-', name });
  for (const e of entries) {
    if (e !== entry) draft.say('icmp', 'explain.icmp.alsoType', { name: e.name });
    for (const f of e.facts) draft.line('icmp', { en: f.en, zh: f.zh }, f.source);
    if (e.advice) draft.advise(e.advice);
  }
  if (!entry)
    draft.say('icmp', 'explain.icmp.unknown', { label, type }, family === 'icmp' ? 'rfc-792' : 'rfc-4443');
  // A code the RFC does not define for the type (an echo request of code 2): made by hand, as scanners and
  // covert-channel tools do; no stack sends it.
  const defined = entries.find((e) => e.codes)?.codes;
  if (code !== undefined && defined && !defined.includes(code)) {
    const rfc = family === 'icmp' ? 'rfc-792' : 'rfc-4443';
    draft.say('icmp', 'explain.icmp.badCode', { label, type, code, codes: defined.join(', ') }, rfc);
    draft.adjust(1, 'explain.reason.icmpBadCode', { label, type, code }, rfc);
  }

  const isError = entry ? entry.role === 'error' : ERROR_TYPES[family].has(type);
  let notOurs = false;
  if (isError && ev.inner) notOurs = explainInner(ev, ev.inner, draft);
  else if (isError) draft.say('inner-packet', 'explain.inner.missing');
  return { ...(entry ? { entry } : {}), name, notOurs };
}

/** Read the quoted packet of an ICMP error; returns true when it was never sent by the receiving side. */
function explainInner(ev: FwEvent, inner: InnerPacket, draft: Draft): boolean {
  const packet = packetWords(inner, draft);
  const reporter = ev.sourceIp ?? '?';
  if (ev.direction === 'outbound') {
    draft.say('inner-packet', 'explain.inner.weReport', {
      host: ev.sourceIp ?? '?',
      from: inner.sourceIp ?? '?',
      packet,
    });
    return false;
  }
  if (ev.direction === 'forward' || ev.direction === 'unknown') {
    draft.say('inner-packet', 'explain.inner.passing', { from: inner.sourceIp ?? '?', packet, reporter });
    return false;
  }
  const host = ev.destinationIp ?? '?';
  if (inner.sourceIp !== undefined && inner.sourceIp === ev.destinationIp) {
    draft.say('inner-packet', 'explain.inner.yours', { host, packet });
    draft.say(
      'inner-packet',
      inner.destinationIp === reporter ? 'explain.inner.fromTarget' : 'explain.inner.fromRouter',
      { reporter },
    );
    return false;
  }
  draft.say('inner-packet', 'explain.inner.notYours', { host, from: inner.sourceIp ?? '?', packet }, 'faq');
  draft.adjust(-1, 'explain.reason.decoyBackscatter', undefined, 'faq');
  return true;
}
