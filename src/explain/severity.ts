// Fast severity for analyze: a score-only run of the explainers once per packet "shape", then a Map look-up.
import type { FwEvent } from '../event.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import { isLoopbackInterface } from '../net/address-class.js';
import { ipv4Value } from '../net/ip.js';
import { wordTable } from '../util/word-table.js';
import { type AddressProfile, addressProfile, v4ProfileOf } from './addresses.js';
import { scoreSum } from './explain-event.js';
import { tcpFlagsOf } from './flags.js';
import { portRangeOf } from './ports.js';
import { clampSeverity, type Score } from './types.js';

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
/**
 * Transport ids: the known names and every `proto-N` get theirs up front, so a log naming many odd transports
 * (a hostile PROTO= per line) cannot take the room of tcp or udp. A name past the table is keyed as
 * ODD_TRANSPORT with its text beside the key (`oddTransport`), so its score is still cached exactly.
 */
const transports = new Interner(1024);
const ODD_TRANSPORT = 1023;
for (const name of ['tcp', 'udp', 'sctp', 'udplite', 'icmp', 'ipv6-icmp', 'igmp', 'gre', 'esp', 'ah'])
  transports.id(name);
for (let n = 0; n < 256; n++) transports.id(`proto-${n}`);
/** Longest odd transport name whose events are cached (by their text); a longer one is scored uncached. */
const ODD_TRANSPORT_CHARS = 64;
const sportIdSets = new Interner(4096);
const directions = new Interner(16);
const actions = new Interner(16);
const profiles = new Interner(16_384);

const FLAG_BITS: Record<string, number> = wordTable({
  FIN: 1,
  SYN: 2,
  RST: 4,
  PSH: 8,
  ACK: 16,
  URG: 32,
  ECE: 64,
  CWR: 128,
});
const RANGE_CODE: Record<string, number> = wordTable({ 'well-known': 0, registered: 1, dynamic: 2 });

/**
 * Everything the severity depends on, packed into two integers below 2^53 (no string per event):
 * transport, destination port (or only its range when the knowledge base knows nothing about it) or
 * ICMP type and code, the source port by its relation to the destination port and its knowledge entries,
 * TCP flags, direction, action, both addresses' classes and entries, same /24, whose packet an ICMP
 * error quotes, interface kind and IP version. NaN when a part has more distinct values than its field holds.
 */
export function severityKeyParts(ev: FwEvent, kb: KnowledgeBase): [number, number] {
  const k1 = keyParts(ev, kb);
  return [k1, secondPart];
}

/** Second key part of the last `keyParts` call (saves an array per event on the hot path). */
let secondPart = 0;
/** The transport of the last `keyParts` call when it had no id of its own (ODD_TRANSPORT), else undefined. */
let oddTransport: string | undefined;

/** Computes both key parts: returns the first, leaves the second in `secondPart`. */
function keyParts(ev: FwEvent, kb: KnowledgeBase): number {
  const transport = ev.transport;
  let t = transports.id(transport);
  oddTransport = undefined;
  if (Number.isNaN(t) && transport!.length <= ODD_TRANSPORT_CHARS) {
    t = ODD_TRANSPORT;
    oddTransport = transport;
  }
  let portish: number;
  const dport = ev.destinationPort;
  // The explainers read ports for tcp, udp and sctp only: any other event is keyed by its ICMP type and code,
  // also when a (hostile) line gave it ports as well.
  if (dport !== undefined && transport !== undefined && transportCode(transport) !== undefined)
    portish = knownPort(kb, dport, transport) ? dport : 65_536 + RANGE_CODE[portRangeOf(dport)]!;
  else portish = 70_000 + (ev.icmpType ?? 256) * 258 + (ev.icmpCode ?? 256); // < 2^17
  let sport = 0;
  let sportIds = 0;
  const sp = ev.sourcePort;
  if (sp !== undefined && transport) {
    sport = sp === dport ? 1 : sp === 0 ? 2 : sp < 1024 ? 3 + sp : 1100;
    sportIds = sourcePortIds(kb, sp, transport);
  }
  // 10 + 17 + 11 + 12 bits
  const k1 = ((t * 131_072 + portish) * 2048 + sport) * 4096 + sportIds;
  const flags = tcpFlagsOf(ev);
  let f = 256;
  if (flags) {
    f = 0;
    for (const x of flags) f |= FLAG_BITS[x] ?? 0;
  }
  // Each address is read once: its IPv4 number (or -1) serves the profile and the same-/24 test.
  const sip = ev.sourceIp;
  const dip = ev.destinationIp;
  const s4 = sip ? ipv4Value(sip) : -1;
  const d4 = dip ? ipv4Value(dip) : -1;
  const src = sip ? profileId(s4 >= 0 ? v4ProfileOf(s4, kb) : addressProfile(sip, kb)) : 0;
  const dst = dip ? profileId(d4 >= 0 ? v4ProfileOf(d4, kb) : addressProfile(dip, kb)) : 0;
  const inner = ev.inner ? (ev.inner.sourceIp === ev.destinationIp ? 1 : 2) : 0;
  const iface = ev.inInterface === undefined ? 0 : isLoopbackInterface(ev.inInterface) ? 1 : 2;
  const s24 = s4 >= 0 && d4 >= 0 && Math.floor(s4 / 256) === Math.floor(d4 / 256) ? 1 : 0;
  const v6 = ev.sourceIp?.includes(':') ? 1 : 0;
  const small =
    ((((directions.id(ev.direction) * 16 + actions.id(ev.action)) * 3 + inner) * 3 + iface) * 2 + s24) * 2 +
    v6; // < 2^14
  // 9 + 14 + 14 + 14 bits
  secondPart = ((f * 16_384 + small) * 16_384 + src) * 16_384 + dst;
  return k1;
}

/** The severity shape as text (for tests and debugging): equal for events the severity cannot tell apart. */
export function severityKey(ev: FwEvent, kb: KnowledgeBase): string {
  const [k1, k2] = severityKeyParts(ev, kb);
  return oddTransport === undefined ? `${k1}:${k2}` : `${k1}:${k2}:${oddTransport}`;
}

/** Small id of an address profile's key, remembered on the profile (IPv4 profiles are shared objects). */
function profileId(p: AddressProfile): number {
  let id = p.keyId;
  if (id === undefined) {
    id = profiles.id(p.key);
    // NaN (out of ids) is not remembered: a later call tries again and the event skips the cache.
    if (!Number.isNaN(id)) p.keyId = id;
  }
  return id;
}

/** Index of a transport with port facts (tcp, udp, sctp), else undefined. */
function transportCode(transport: string): number | undefined {
  return transport === 'tcp' ? 0 : transport === 'udp' ? 1 : transport === 'sctp' ? 2 : undefined;
}
const TRANSPORT_NAMES = ['tcp', 'udp', 'sctp'] as const;

/**
 * Per knowledge base and transport code: port facts as flat tables indexed by port, filled whole at first use
 * with one knowledge look-up per run of ports that share their entries (a log of random source ports would
 * otherwise look up most of the 65,536 ports once each).
 */
interface PortTables {
  /** 1 when the destination port has entries, else 0. */
  known: Uint8Array[];
  /** Small id of the set of source-port entries. */
  sourceIds: Float64Array[];
}
const portTables = new WeakMap<KnowledgeBase, PortTables>();
let lastKb: KnowledgeBase | undefined;
let lastTables: PortTables | undefined;

function buildTables(kb: KnowledgeBase, code: number): { known: Uint8Array; sourceIds: Float64Array } {
  const proto = TRANSPORT_NAMES[code]!;
  const known = new Uint8Array(65_536);
  for (const [from, to] of kb.portRuns(proto))
    if (kb.portEntries(from, proto).length > 0) known.fill(1, from, to);
  const sourceIds = new Float64Array(65_536);
  for (const [from, to] of kb.sourcePortRuns(proto)) {
    const id = sportIdSets.id(
      kb
        .sourcePortEntries(from, proto)
        .map((e) => e.id)
        .join('+'),
    );
    sourceIds.fill(id, from, to);
  }
  return { known, sourceIds };
}

function portTablesOf(kb: KnowledgeBase, code: number): PortTables {
  let t = kb === lastKb ? lastTables! : portTables.get(kb);
  if (!t) {
    t = { known: [], sourceIds: [] };
    portTables.set(kb, t);
  }
  lastKb = kb;
  lastTables = t;
  if (t.known[code] === undefined) {
    const built = buildTables(kb, code);
    t.known[code] = built.known;
    t.sourceIds[code] = built.sourceIds;
  }
  return t;
}

/** True when the knowledge base has entries for the destination port. */
function knownPort(kb: KnowledgeBase, port: number, transport: string): boolean {
  const code = transportCode(transport);
  if (code === undefined || port < 0 || port > 65_535 || !Number.isInteger(port))
    return kb.portEntries(port, transport).length > 0;
  return portTablesOf(kb, code).known[code]![port] === 1;
}

/** Small id of the set of source-port entries for a port (NaN: out of ids, the event skips the cache). */
function sourcePortIds(kb: KnowledgeBase, port: number, transport: string): number {
  const code = transportCode(transport);
  if (code === undefined || port < 0 || port > 65_535 || !Number.isInteger(port)) return sportIdSets.id('');
  return portTablesOf(kb, code).sourceIds[code]![port]!;
}

/** Cached scores by the two key parts; cleared whole when it outgrows SEVERITY_CACHE_LIMIT shapes. */
interface ScoreCache {
  byK1: Map<number, Map<number, number>>;
  /** Shapes of events whose transport is ODD_TRANSPORT, by `k1:k2:transport`. */
  odd: Map<string, number>;
  size: number;
}

let lastScoreKb: KnowledgeBase | undefined;
let lastScores: ScoreCache | undefined;

/** Severity score (1-5) of an event, computed once per packet shape and then served from a bounded cache. */
export function severityOf(ev: FwEvent, kb: KnowledgeBase): Score {
  return clampSeverity(severitySumOf(ev, kb));
}

/**
 * The unclamped sum of an event's severity steps (`severityOf` is it clamped to 1-5), cached per packet shape.
 * A context step that brings a score down to info, or one step down, must start from this sum, as
 * `applyContextToExplanation` does from the explanation's reasons.
 */
export function severitySumOf(ev: FwEvent, kb: KnowledgeBase): number {
  let cache = kb === lastScoreKb ? lastScores : caches.get(kb);
  if (!cache) {
    cache = { byK1: new Map(), odd: new Map(), size: 0 };
    caches.set(kb, cache);
  }
  lastScoreKb = kb;
  lastScores = cache;
  const k1 = keyParts(ev, kb);
  const k2 = secondPart;
  if (Number.isNaN(k1 + k2)) return scoreSum(ev, kb); // a key part ran out of ids
  if (oddTransport !== undefined) return oddScore(cache, `${k1}:${k2}:${oddTransport}`, ev, kb);
  let inner = cache.byK1.get(k1);
  const hit = inner?.get(k2);
  if (hit !== undefined) return hit;
  const score = scoreSum(ev, kb);
  if (cache.size >= SEVERITY_CACHE_LIMIT) {
    clearScores(cache);
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

function clearScores(cache: ScoreCache): void {
  cache.byK1.clear();
  cache.odd.clear();
  cache.size = 0;
}

/** `severityOf` for an event of a transport without an id: cached by its text, in the same bound. */
function oddScore(cache: ScoreCache, key: string, ev: FwEvent, kb: KnowledgeBase): number {
  const hit = cache.odd.get(key);
  if (hit !== undefined) return hit;
  const score = scoreSum(ev, kb);
  if (cache.size >= SEVERITY_CACHE_LIMIT) clearScores(cache);
  cache.odd.set(key, score);
  cache.size++;
  return score;
}
