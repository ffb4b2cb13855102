// Fast severity for the analyze pipeline: one full explanation per packet "shape", then a Map look-up.
import type { FwEvent } from '../event.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import { addressProfile, sameSlash24 } from './addresses.js';
import { explainEvent } from './explain-event.js';
import { tcpFlagsOf } from './flags.js';
import { portRangeOf } from './ports.js';

/** Packet shapes per cache generation (the cache holds at most twice this many). */
export const SEVERITY_CACHE_LIMIT = 50_000;

const caches = new WeakMap<KnowledgeBase, ScoreCache>();

/**
 * Small integer ids for the few distinct strings one key part takes (transports, actions, profile keys ...).
 * Past `limit` ids the part has no room in the packed key: NaN, and the event is scored without the cache.
 */
class Interner {
  private readonly ids = new Map<string, number>();
  constructor(private readonly limit: number) {}
  id(s: string | undefined): number {
    if (s === undefined) return 0;
    let id = this.ids.get(s);
    if (id === undefined) {
      if (this.ids.size + 1 >= this.limit) return Number.NaN;
      id = this.ids.size + 1;
      this.ids.set(s, id);
    }
    return id;
  }
}
const transports = new Interner(256);
const sportIdSets = new Interner(4096);
const directions = new Interner(16);
const actions = new Interner(16);
const profiles = new Interner(16_384);

const FLAG_BITS: Record<string, number> = {
  FIN: 1,
  SYN: 2,
  RST: 4,
  PSH: 8,
  ACK: 16,
  URG: 32,
  ECE: 64,
  CWR: 128,
};
const RANGE_CODE: Record<string, number> = { 'well-known': 0, registered: 1, dynamic: 2 };

/**
 * Everything the severity depends on, packed into two integers below 2^53 (no string per event):
 * transport, destination port (or only its range when the knowledge base knows nothing about it) or
 * ICMP type and code, the source port by its relation to the destination port and its knowledge entries,
 * TCP flags, direction, action, both addresses' classes and entries, same /24, whose packet an ICMP
 * error quotes, interface kind and IP version. NaN when a part has more distinct values than its field holds.
 */
export function severityKeyParts(ev: FwEvent, kb: KnowledgeBase): [number, number] {
  const transport = ev.transport;
  const t = transports.id(transport);
  let portish: number;
  const dport = ev.destinationPort;
  if (dport !== undefined && transport)
    portish = kb.portEntries(dport, transport).length > 0 ? dport : 65_536 + RANGE_CODE[portRangeOf(dport)]!;
  else portish = 70_000 + (ev.icmpType ?? 256) * 258 + (ev.icmpCode ?? 256); // < 2^17
  let sport = 0;
  let sportIds = 0;
  const sp = ev.sourcePort;
  if (sp !== undefined && transport) {
    sport = sp === dport ? 1 : sp === 0 ? 2 : sp < 1024 ? 3 + sp : 1100;
    sportIds = sportIdSets.id(sourcePortIds(kb, sp, transport));
  }
  // 8 + 17 + 11 + 12 bits
  const k1 = ((t * 131_072 + portish) * 2048 + sport) * 4096 + sportIds;
  const flags = tcpFlagsOf(ev);
  let f = 256;
  if (flags) {
    f = 0;
    for (const x of flags) f |= FLAG_BITS[x] ?? 0;
  }
  const src = ev.sourceIp ? profiles.id(addressProfile(ev.sourceIp, kb).key) : 0;
  const dst = ev.destinationIp ? profiles.id(addressProfile(ev.destinationIp, kb).key) : 0;
  const inner = ev.inner ? (ev.inner.sourceIp === ev.destinationIp ? 1 : 2) : 0;
  const iface = ev.inInterface === undefined ? 0 : ev.inInterface === 'lo' ? 1 : 2;
  const s24 = sameSlash24(ev.sourceIp, ev.destinationIp) ? 1 : 0;
  const v6 = ev.sourceIp?.includes(':') ? 1 : 0;
  const small =
    ((((directions.id(ev.direction) * 16 + actions.id(ev.action)) * 3 + inner) * 3 + iface) * 2 + s24) * 2 +
    v6; // < 2^14
  // 9 + 14 + 14 + 14 bits
  const k2 = ((f * 16_384 + small) * 16_384 + src) * 16_384 + dst;
  return [k1, k2];
}

/** The severity shape as text (for tests and debugging): equal for events the severity cannot tell apart. */
export function severityKey(ev: FwEvent, kb: KnowledgeBase): string {
  const [k1, k2] = severityKeyParts(ev, kb);
  return `${k1}:${k2}`;
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

/** Cached scores by the two key parts; cleared whole when it outgrows SEVERITY_CACHE_LIMIT shapes. */
interface ScoreCache {
  byK1: Map<number, Map<number, number>>;
  size: number;
}

/** Severity score (1-5) of an event, computed once per packet shape and then served from a bounded cache. */
export function severityOf(ev: FwEvent, kb: KnowledgeBase): number {
  let cache = caches.get(kb);
  if (!cache) {
    cache = { byK1: new Map(), size: 0 };
    caches.set(kb, cache);
  }
  const [k1, k2] = severityKeyParts(ev, kb);
  if (Number.isNaN(k1 + k2)) return explainEvent(ev, kb).severity.score; // a key part ran out of ids
  let inner = cache.byK1.get(k1);
  const hit = inner?.get(k2);
  if (hit !== undefined) return hit;
  const score = explainEvent(ev, kb).severity.score;
  if (cache.size >= SEVERITY_CACHE_LIMIT) {
    cache.byK1.clear();
    cache.size = 0;
    inner = undefined;
  }
  if (!inner) {
    inner = new Map();
    cache.byK1.set(k1, inner);
  }
  inner.set(k2, score);
  cache.size++;
  return score;
}
