// Fast severity for the analyze pipeline: one full explanation per packet "shape", then a Map look-up.
import type { FwEvent } from '../event.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import { BoundedCache } from '../util/bounded-cache.js';
import { addressProfile, sameSlash24 } from './addresses.js';
import { explainEvent } from './explain-event.js';
import { tcpFlagsOf } from './flags.js';
import { portRangeOf } from './ports.js';

/** Packet shapes per cache generation (the cache holds at most twice this many). */
export const SEVERITY_CACHE_LIMIT = 50_000;

const caches = new WeakMap<KnowledgeBase, BoundedCache<string, number>>();

/**
 * Everything the severity depends on, as one string: transport, ports (the source port only
 * by its relation to the destination port and its knowledge entries), flags, direction,
 * action, address classes, ICMP type/code and whose packet an ICMP error quotes.
 */
export function severityKey(ev: FwEvent, kb: KnowledgeBase): string {
  const src = ev.sourceIp ? addressProfile(ev.sourceIp, kb).key : '-';
  const dst = ev.destinationIp ? addressProfile(ev.destinationIp, kb).key : '-';
  const sport = ev.sourcePort;
  let sportKey = '-';
  if (sport !== undefined && ev.transport) {
    const rel =
      sport === ev.destinationPort ? 'same' : sport === 0 ? 'zero' : sport < 1024 ? `s${sport}` : 'hi';
    sportKey = `${rel}:${sourcePortIds(kb, sport, ev.transport)}`;
  }
  const inner = ev.inner ? (ev.inner.sourceIp === ev.destinationIp ? 'mine' : 'other') : '-';
  const iface = ev.inInterface === undefined ? 'noif' : ev.inInterface === 'lo' ? 'lo' : 'if';
  const s24 = sameSlash24(ev.sourceIp, ev.destinationIp) ? 's24' : '';
  const v = ev.sourceIp?.includes(':') ? 'v6' : 'v4';
  // A port the knowledge base knows nothing about scores by its range alone; collapsing those ports
  // keeps random high ports from turning every packet into a cache miss.
  const dport = ev.destinationPort;
  const dportKey =
    dport === undefined || !ev.transport
      ? '-'
      : kb.portEntries(dport, ev.transport).length > 0
        ? String(dport)
        : `r:${portRangeOf(dport)}`;
  return `${ev.transport}|${dportKey}|${sportKey}|${tcpFlagsOf(ev)?.join(',')}|${ev.direction}|${ev.action}|${src}|${dst}|${s24}|${ev.icmpType}|${ev.icmpCode}|${inner}|${iface}|${v}`;
}

const sportIdCaches = new WeakMap<KnowledgeBase, Map<number, string>>();
const TRANSPORT_CODE: Record<string, number> = { tcp: 0, udp: 1, sctp: 2 };

/** Ids of the source-port entries for a port, cached (the set of ports is at most 65536 per protocol). */
function sourcePortIds(kb: KnowledgeBase, port: number, transport: string): string {
  let cache = sportIdCaches.get(kb);
  if (!cache) {
    cache = new Map();
    sportIdCaches.set(kb, cache);
  }
  const code = TRANSPORT_CODE[transport];
  if (code === undefined) return '';
  const k = port * 4 + code;
  let ids = cache.get(k);
  if (ids === undefined) {
    ids = kb
      .sourcePortEntries(port, transport)
      .map((e) => e.id)
      .join('+');
    cache.set(k, ids);
  }
  return ids;
}

/** Severity score (1-5) of an event, computed once per packet shape and then served from a bounded cache. */
export function severityOf(ev: FwEvent, kb: KnowledgeBase): number {
  let cache = caches.get(kb);
  if (!cache) {
    cache = new BoundedCache(SEVERITY_CACHE_LIMIT);
    caches.set(kb, cache);
  }
  const key = severityKey(ev, kb);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const score = explainEvent(ev, kb).severity.score;
  cache.set(key, score);
  return score;
}
