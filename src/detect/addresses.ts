// Address helpers for detection: CIDR sets, special-range classes, /24 and /64 prefixes.
import ipaddr from 'ipaddr.js';
import { ipv4ToInt, isIPv4 } from '../net/ip.js';
import { BoundedCache } from '../util/bounded-cache.js';

/** A set of CIDR blocks (IPv4 and IPv6) with a fast membership test. */
export class CidrSet {
  private readonly v4: [number, number][] = [];
  private readonly v6: [ipaddr.IPv6, number][] = [];

  /** Build from CIDR strings or single addresses; throws on the first invalid entry. */
  constructor(cidrs: readonly string[]) {
    for (const c of cidrs) this.add(c);
  }

  private add(cidr: string): void {
    const text = cidr.includes('/') ? cidr : cidr.includes(':') ? `${cidr}/128` : `${cidr}/32`;
    const [addr, bits] = ipaddr.parseCIDR(text);
    if (addr.kind() === 'ipv4') {
      const start = ipv4ToInt(addr.toString());
      const size = 2 ** (32 - bits);
      const from = start - (start % size);
      this.v4.push([from, from + size - 1]);
    } else this.v6.push([addr as ipaddr.IPv6, bits]);
  }

  get size(): number {
    return this.v4.length + this.v6.length;
  }

  /** True when the address lies in one of the blocks. */
  has(ip: string): boolean {
    if (isIPv4(ip)) {
      if (this.v4.length === 0) return false;
      const n = ipv4ToInt(ip);
      for (const [a, b] of this.v4) if (n >= a && n <= b) return true;
      return false;
    }
    if (this.v6.length === 0 || !ip.includes(':')) return false;
    let addr: ipaddr.IPv6;
    try {
      addr = ipaddr.IPv6.parse(ip);
    } catch {
      return false;
    }
    for (const block of this.v6) if (addr.match(block)) return true;
    return false;
  }
}

/** True when the text is a valid address or CIDR block. */
export function isValidCidr(text: string): boolean {
  try {
    if (text.includes('/')) ipaddr.parseCIDR(text);
    else ipaddr.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Class of an address for detection purposes (RFC 6890 special ranges, simplified). */
export type AddressClass =
  | 'public'
  | 'private'
  | 'cgnat'
  | 'loopback'
  | 'link-local'
  | 'this-network'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'documentation';

const V4_CLASSES: [string, AddressClass][] = [
  ['0.0.0.0/8', 'this-network'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'cgnat'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.168.0.0/16', 'private'],
  ['192.0.2.0/24', 'documentation'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['255.255.255.255/32', 'broadcast'],
  ['240.0.0.0/4', 'reserved'],
];
/** [first, last, class] as integers, so one parse of an address answers every range. */
const V4_RANGES = V4_CLASSES.map(([cidr, kind]) => {
  const [base, bits] = cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  const from = ipv4ToInt(base);
  return [from, from + size - 1, kind] as const;
});
const V6_TABLE = (
  [
    ['::/128', 'this-network'],
    ['::1/128', 'loopback'],
    ['fe80::/10', 'link-local'],
    ['fc00::/7', 'private'],
    ['ff00::/8', 'multicast'],
    ['2001:db8::/32', 'documentation'],
  ] as [string, AddressClass][]
).map(([c, k]) => [new CidrSet([c]), k] as const);

const classCache = new Map<string, AddressClass>();
/** Bound on the IPv6 address-class cache (cleared when full). */
export const ADDRESS_CLASS_CACHE_LIMIT = 65536;

/** Class of an address; anything outside the special ranges is `public`. */
export function addressClass(ip: string): AddressClass {
  // IPv4: one parse and a dozen integer compares, cheaper than hashing the text for a cache.
  if (ip.length <= 15 && isIPv4(ip)) {
    const n = ipv4ToInt(ip);
    for (const [from, to, kind] of V4_RANGES) if (n >= from && n <= to) return kind;
    return 'public';
  }
  const hit = classCache.get(ip);
  if (hit) return hit;
  let out: AddressClass = 'public';
  for (const [set, kind] of V6_TABLE)
    if (set.has(ip)) {
      out = kind;
      break;
    }
  if (classCache.size >= ADDRESS_CLASS_CACHE_LIMIT) classCache.clear();
  classCache.set(ip, out);
  return out;
}

/** Public-like: routable on the Internet, documentation ranges included (they stand in for public ones in labs). */
export function isPublicLike(ip: string): boolean {
  const c = addressClass(ip);
  return c === 'public' || c === 'documentation';
}

/** True for broadcast (255.255.255.255 or an IPv4 address ending in .255) and multicast destinations. */
export function isBroadcastOrMulticast(ip: string): boolean {
  const c = addressClass(ip);
  if (c === 'multicast' || c === 'broadcast') return true;
  return isIPv4(ip) && ip.endsWith('.255');
}

/** The /24 (IPv4) or /64 (IPv6) network an address belongs to, as text. */
export function sourcePrefix(ip: string): string {
  const hit = prefixCache.get(ip);
  if (hit !== undefined) return hit;
  let out: string;
  if (isIPv4(ip)) out = `${ip.slice(0, ip.lastIndexOf('.'))}.0/24`;
  else
    try {
      const parts = ipaddr.IPv6.parse(ip).parts.slice(0, 4);
      out = `${ipaddr.fromByteArray([...parts.flatMap((p) => [p >> 8, p & 255]), ...new Array(8).fill(0)]).toString()}/64`;
    } catch {
      out = ip;
    }
  prefixCache.set(ip, out);
  return out;
}

/** Prefix per source address (IPv6 parsing is costly and sources repeat); also hands out one string per prefix. */
const prefixCache = new BoundedCache<string, string>(32_768);
