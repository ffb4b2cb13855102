// Fast severity for the analyze pipeline: one full explanation per packet "shape", then a Map look-up.
import type { FwEvent } from '../event.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import { addressProfile, sameSlash24 } from './addresses.js';
import { explainEvent } from './explain-event.js';

/** Most packet shapes remembered per knowledge base; the oldest is dropped past this. */
export const SEVERITY_CACHE_LIMIT = 50_000;

const caches = new WeakMap<KnowledgeBase, Map<string, number>>();

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
    const ids = ['tcp', 'udp', 'sctp'].includes(ev.transport)
      ? kb
          .sourcePortEntries(sport, ev.transport)
          .map((e) => e.id)
          .join('+')
      : '';
    const rel =
      sport === ev.destinationPort ? 'same' : sport === 0 ? 'zero' : sport < 1024 ? `s${sport}` : 'hi';
    sportKey = `${rel}:${ids}`;
  }
  const inner = ev.inner ? `${ev.inner.sourceIp === ev.destinationIp ? 'mine' : 'other'}` : '-';
  return [
    ev.transport,
    ev.destinationPort,
    sportKey,
    ev.tcpFlags?.join(','),
    ev.direction,
    ev.action,
    src,
    dst,
    sameSlash24(ev.sourceIp, ev.destinationIp) ? 's24' : '',
    ev.icmpType,
    ev.icmpCode,
    inner,
    ev.inInterface === undefined ? 'noif' : ev.inInterface === 'lo' ? 'lo' : 'if',
    ev.sourceIp?.includes(':') ? 'v6' : 'v4',
  ].join('|');
}

/** Severity score (1-5) of an event, computed once per packet shape and then served from a bounded cache. */
export function severityOf(ev: FwEvent, kb: KnowledgeBase): number {
  let cache = caches.get(kb);
  if (!cache) {
    cache = new Map();
    caches.set(kb, cache);
  }
  const key = severityKey(ev, kb);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const score = explainEvent(ev, kb).severity.score;
  if (cache.size >= SEVERITY_CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, score);
  return score;
}
