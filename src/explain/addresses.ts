// What the source and destination addresses say: special ranges, broadcasts, spoofing hints, known hosts.
import type { FwEvent } from '../event.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import type { AddressEntry, ScannerEntry } from '../knowledge/schema.js';
import {
  type AddressClass,
  classifyAddress,
  classifyV4,
  isLoopbackInterface,
  leavesInsideByAddress,
} from '../net/address-class.js';
import { ipv4ToInt, ipv4Value, isIPv4 } from '../net/ip.js';
import { BoundedCache } from '../util/bounded-cache.js';
import type { Draft } from './draft.js';

export type { AddressClass };
export { classifyAddress };

/** True for an IPv4 address ending in .255 or .0: a subnet broadcast if the network is a /24 (a guess). */
export function looksLikeSubnetBroadcast(ip: string): boolean {
  if (!isIPv4(ip)) return false;
  const last = ipv4ToInt(ip) % 256;
  return last === 255 || last === 0;
}

/** Classes a packet from outside should never carry as its source. */
const NOT_ROUTABLE_SOURCE: ReadonlySet<AddressClass> = new Set([
  'private',
  'loopback',
  'link-local',
  'cgnat',
  'bogon',
]);

/** Classes that mean the other end is a real Internet host (documentation ranges stand in for them in shared logs). */
const ROUTABLE: ReadonlySet<AddressClass> = new Set(['public', 'documentation']);

/** What one address of an event is, with the knowledge-base entries that cover it. */
export interface AddressProfile {
  cls: AddressClass;
  entries: (AddressEntry | ScannerEntry)[];
  /** Short stable text for cache keys. */
  key: string;
  /** Small number standing for `key` in the severity cache, set on first use. */
  keyId?: number;
}

const PROFILE_LIMIT = 65536;
const profileCaches = new WeakMap<KnowledgeBase, BoundedCache<string, AddressProfile>>();

/** Class and knowledge entries of an address, cached per knowledge base (bounded). */
export function addressProfile(ip: string, kb: KnowledgeBase): AddressProfile {
  let cache = profileCaches.get(kb);
  if (!cache) {
    cache = new BoundedCache(PROFILE_LIMIT);
    profileCaches.set(kb, cache);
  }
  if (isIPv4(ip)) return v4Profile(ip, kb);
  const hit = cache.get(ip);
  if (hit) return hit;
  const cls = classifyAddress(ip);
  const entries = kb.addressEntries(ip);
  const edge = cls !== 'broadcast' && looksLikeSubnetBroadcast(ip) ? '/edge' : '';
  const profile: AddressProfile = {
    cls,
    entries,
    key: `${cls}${edge}:${entries.map((e) => e.id).join('+')}`,
    keyId: undefined,
  };
  cache.set(ip, profile);
  return profile;
}

const v4ProfileCaches = new WeakMap<KnowledgeBase, Map<number, AddressProfile>>();
const V4_CLASS_INDEX = new Map<AddressClass, number>();
// The last knowledge base asked about (nearly always the only one): saves a WeakMap look-up per address.
let lastV4Kb: KnowledgeBase | undefined;
let lastV4Cache: Map<number, AddressProfile> | undefined;

/**
 * IPv4 profiles depend only on (knowledge-base interval, class, .0/.255 edge): a handful of shapes,
 * so they are cached by that small number instead of by address (random sources would thrash a
 * per-address cache).
 */
function v4Profile(ip: string, kb: KnowledgeBase): AddressProfile {
  return v4ProfileOf(ipv4ToInt(ip), kb);
}

/** Profile of an IPv4 address given as its 32-bit number (see v4Profile). */
export function v4ProfileOf(n: number, kb: KnowledgeBase): AddressProfile {
  let cache = kb === lastV4Kb ? lastV4Cache : v4ProfileCaches.get(kb);
  if (!cache) {
    cache = new Map();
    v4ProfileCaches.set(kb, cache);
  }
  lastV4Kb = kb;
  lastV4Cache = cache;
  const interval = kb.v4Interval(n);
  const cls = classifyV4(n);
  let ci = V4_CLASS_INDEX.get(cls);
  if (ci === undefined) {
    ci = V4_CLASS_INDEX.size;
    V4_CLASS_INDEX.set(cls, ci);
  }
  const last = n % 256;
  const edge = cls !== 'broadcast' && (last === 255 || last === 0);
  const key = (interval.index * 16 + ci) * 2 + (edge ? 1 : 0);
  let profile = cache.get(key);
  if (!profile) {
    const entries = interval.entries;
    profile = {
      cls,
      entries,
      key: `${cls}${edge ? '/edge' : ''}:${entries.map((e) => e.id).join('+')}`,
      keyId: undefined,
    };
    cache.set(key, profile);
  }
  return profile;
}

function isScanner(e: AddressEntry | ScannerEntry): e is ScannerEntry {
  return !('kind' in e);
}

/** True when both IPv4 addresses share their first three octets (same /24). */
export function sameSlash24(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = ipv4Value(a);
  const y = ipv4Value(b);
  return x >= 0 && y >= 0 && Math.floor(x / 256) === Math.floor(y / 256);
}

/** Describe one address and its knowledge-base entries. */
function describeAddress(
  draft: Draft,
  ip: string,
  role: 'source' | 'destination',
  p: AddressProfile,
  told: Set<string>,
  outbound: boolean,
): void {
  const vars = { ip };
  for (const e of p.entries) {
    draft.say('addresses', `explain.addr.entry.${role}`, { ip, name: e.name });
    // asSource describes a source arriving from outside; an outbound packet's source is your own host.
    const roleText = isScanner(e)
      ? undefined
      : role === 'source'
        ? outbound
          ? undefined
          : e.asSource
        : e.asDestination;
    const firstSource = e.facts[0]?.source;
    if (roleText) draft.line('addresses', roleText, firstSource);
    // Both ends in the same block (two documentation addresses): tell the facts once.
    if (told.has(e.id)) continue;
    told.add(e.id);
    for (const f of e.facts) draft.line('addresses', { en: f.en, zh: f.zh }, f.source);
  }
  const knownClass = p.entries.some((e) => !isScanner(e) && e.kind === p.cls);
  if (!knownClass && p.cls !== 'public')
    draft.say('addresses', `explain.addr.class.${p.cls}`, vars, classSource(p.cls));
}

/** Source id backing the built-in description of each class. */
function classSource(cls: AddressClass): string {
  switch (cls) {
    case 'private':
      return 'rfc-1918';
    case 'link-local':
      return 'rfc-3927';
    case 'cgnat':
      return 'rfc-6598';
    case 'documentation':
      return 'rfc-5737';
    default:
      return 'rfc-6890';
  }
}

/** Facts about the addresses that the severity and other explainers use. */
export interface AddressVerdict {
  /** Destination is a broadcast/multicast from the local segment: background noise. */
  localBroadcast: boolean;
  /** The source cannot be real for a packet from outside. */
  spoofHint: boolean;
}

/**
 * The event leaves the inside: sent by the firewall itself, or by an inside host passing out (the detectors'
 * rule, `leavesInsideByAddress`). Everything else arrives from outside, as far as the explanation tells it.
 */
export function leavesInside(ev: Pick<FwEvent, 'direction' | 'sourceIp' | 'destinationIp'>): boolean {
  return leavesInsideByAddress(ev.direction, ev.sourceIp ?? '', ev.destinationIp ?? '');
}

/**
 * Explain the addresses of an event and adjust the severity for what they reveal
 * (spoofed sources, broadcast noise, amplifier searches, known hosts, research scanners).
 */
export function explainAddresses(ev: FwEvent, kb: KnowledgeBase, draft: Draft): AddressVerdict {
  const verdict: AddressVerdict = { localBroadcast: false, spoofHint: false };
  const src = ev.sourceIp ? addressProfile(ev.sourceIp, kb) : undefined;
  const dst = ev.destinationIp ? addressProfile(ev.destinationIp, kb) : undefined;
  const told = new Set<string>();
  if (ev.sourceIp && src)
    describeAddress(draft, ev.sourceIp, 'source', src, told, ev.direction === 'outbound');
  if (ev.destinationIp && dst)
    describeAddress(draft, ev.destinationIp, 'destination', dst, told, ev.direction === 'outbound');
  // From outside unless it leaves the inside (the detectors' rule: a private host going out to a public one).
  const arriving = !leavesInside(ev);

  // Broadcasts and multicasts: noise on the local wire, or an amplifier search from outside.
  if (dst && ev.destinationIp) {
    const edge = looksLikeSubnetBroadcast(ev.destinationIp) && dst.cls !== 'broadcast';
    const fromLocal =
      !src ||
      !ROUTABLE.has(src.cls) ||
      sameSlash24(ev.sourceIp, ev.destinationIp) ||
      src.cls === 'unspecified';
    if (dst.cls === 'broadcast' || dst.cls === 'multicast') {
      verdict.localBroadcast = true;
    } else if (edge) {
      draft.say('addresses', 'explain.addr.subnetEdge', { ip: ev.destinationIp }, 'faq');
      if (fromLocal) verdict.localBroadcast = true;
      else if (arriving && ev.transport !== 'tcp')
        draft.adjust(1, 'explain.reason.amplifierSearch', { ip: ev.destinationIp }, 'faq');
    }
  }

  // A source that cannot come from the Internet, arriving at a routable address: forged or leaking.
  if (arriving && src && ev.sourceIp) {
    const onLoopbackIf = isLoopbackInterface(ev.inInterface);
    const loopbackMartian = src.cls === 'loopback' && !onLoopbackIf && ev.inInterface !== undefined;
    const v4 = isIPv4(ev.sourceIp);
    const unroutable = NOT_ROUTABLE_SOURCE.has(src.cls) && (v4 || src.cls === 'loopback');
    if (loopbackMartian || (unroutable && dst !== undefined && ROUTABLE.has(dst.cls) && !onLoopbackIf)) {
      verdict.spoofHint = true;
      const entry = src.entries.find((e) => !isScanner(e) && e.severityDelta > 0) as AddressEntry | undefined;
      draft.say('addresses', 'explain.addr.spoofHint', { ip: ev.sourceIp });
      draft.adjust(
        entry ? entry.severityDelta : 1,
        'explain.reason.spoofed',
        { ip: ev.sourceIp },
        entry?.facts[0]?.source ?? classSource(src.cls),
      );
    }
  }

  // Known hosts and research scanners carry their own weight.
  for (const [p, role] of [
    [src, 'source'],
    [dst, 'destination'],
  ] as const) {
    if (!p) continue;
    const ip = role === 'source' ? ev.sourceIp : ev.destinationIp;
    for (const e of p.entries) {
      if (isScanner(e)) {
        if (role === 'source')
          draft.adjust(-1, 'explain.reason.researchScanner', { name: e.name }, e.facts[0]?.source);
      } else if (e.kind === 'known-host' || e.kind === 'scanner') {
        draft.adjust(
          e.severityDelta,
          'explain.reason.knownHost',
          { ip: ip ?? '', name: e.name },
          e.facts[0]?.source,
        );
      }
    }
  }
  return verdict;
}
