// The one address classifier: which special range (RFC 6890 and friends) an IPv4 or IPv6 address falls in.
// Explanation, severity and detection all ask this module, so an address has one class everywhere.
import { detach } from '../util/strings.js';
import { ipv4ToInt, ipv4Value, ipv6Groups } from './ip.js';

/** Structural class of an address, decided from the RFC ranges alone (no knowledge base). */
export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'broadcast'
  | 'multicast'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cgnat'
  | 'documentation'
  | 'bogon';

/** IPv4 blocks as [first, last, class], checked in order (the first match wins). */
const V4_BLOCKS: [number, number, AddressClass][] = (
  [
    ['0.0.0.0', 32, 'unspecified'],
    ['255.255.255.255', 32, 'broadcast'],
    // "This network" (RFC 1122): never a real source or destination on the wire.
    ['0.0.0.0', 8, 'bogon'],
    ['10.0.0.0', 8, 'private'],
    ['100.64.0.0', 10, 'cgnat'],
    ['127.0.0.0', 8, 'loopback'],
    ['169.254.0.0', 16, 'link-local'],
    ['172.16.0.0', 12, 'private'],
    // IETF protocol assignments (RFC 6890).
    ['192.0.0.0', 24, 'bogon'],
    ['192.0.2.0', 24, 'documentation'],
    ['192.168.0.0', 16, 'private'],
    // Benchmarking (RFC 2544): lab networks only.
    ['198.18.0.0', 15, 'bogon'],
    ['198.51.100.0', 24, 'documentation'],
    ['203.0.113.0', 24, 'documentation'],
    ['224.0.0.0', 4, 'multicast'],
    // Former class E (RFC 1112), reserved.
    ['240.0.0.0', 4, 'bogon'],
  ] as [string, number, AddressClass][]
).map(([ip, bits, cls]) => {
  const from = ipv4ToInt(ip);
  return [from, from + 2 ** (32 - bits) - 1, cls];
});

/** Every address where an IPv4 block starts or ends + 1, ascending: between two of them the class is the same. */
const V4_EDGES: number[] = [...new Set(V4_BLOCKS.flatMap(([from, to]) => [from, to + 1]))].sort(
  (a, b) => a - b,
);

/** The last address of the run from `n` on over which classifyV4 gives the same answer as for `n`. */
export function v4ClassRunEnd(n: number): number {
  for (const edge of V4_EDGES) if (edge > n) return edge - 1;
  return 0xffffffff;
}

/** Class of an IPv4 address given as its unsigned 32-bit number, by the blocks in order. */
export function classifyV4ByBlocks(n: number): AddressClass {
  for (const [from, to, cls] of V4_BLOCKS) if (n >= from && n <= to) return cls;
  return 'public';
}

/**
 * The class of every address with this first octet, where they all share one (most octets: public), else
 * undefined: a packet's address is classified with one look-up instead of a walk over the blocks.
 */
const CLASS_BY_FIRST_OCTET: (AddressClass | undefined)[] = Array.from({ length: 256 }, (_, o) => {
  const from = o * 2 ** 24;
  return v4ClassRunEnd(from) >= from + 2 ** 24 - 1 ? classifyV4ByBlocks(from) : undefined;
});

/** Class of an IPv4 address given as its unsigned 32-bit number. */
export function classifyV4(n: number): AddressClass {
  return CLASS_BY_FIRST_OCTET[n >>> 24] ?? classifyV4ByBlocks(n);
}

const v6Cache = new Map<string, AddressClass>();
/** Bound on the IPv6 class cache (cleared whole when full: hostile logs may carry millions of addresses). */
export const ADDRESS_CLASS_CACHE_LIMIT = 65_536;

function classifyV6(groups: number[]): AddressClass {
  const g = groups;
  if (g.every((x) => x === 0)) return 'unspecified';
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return 'loopback';
  // An IPv4 address inside IPv6 (IPv4-mapped ::ffff:a.b.c.d, NAT64's well-known 64:ff9b::a.b.c.d, RFC 6052, and
  // its local-use 64:ff9b:1::/48, RFC 8215, read in the usual /96 layout, the IPv4 address last): judge the IPv4 one.
  const mapped = g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff;
  const nat64 = g[0] === 0x64 && g[1] === 0xff9b && (g.slice(2, 6).every((x) => x === 0) || g[2] === 0x0001);
  if (mapped || nat64) return classifyV4(g[6]! * 65536 + g[7]!);
  const first = g[0]!;
  if ((first & 0xffc0) === 0xfe80) return 'link-local';
  if ((first & 0xfe00) === 0xfc00) return 'private';
  if ((first & 0xff00) === 0xff00) return 'multicast';
  // Documentation: 2001:db8::/32 (RFC 3849) and 3fff::/20 (RFC 9637).
  if (first === 0x2001 && g[1] === 0x0db8) return 'documentation';
  if (first === 0x3fff && g[1]! < 0x1000) return 'documentation';
  // Benchmarking 2001:2::/48 (RFC 5180), lab networks only like 198.18.0.0/15; the rest of 2001:2::/32 is unassigned
  // IETF protocol space (2001::/23, RFC 2928), so the whole /32 is reserved and the rule stays one of the first 32 bits.
  if (first === 0x2001 && g[1] === 0x0002) return 'bogon';
  // Global unicast is 2000::/3; everything else is unassigned or special.
  if ((first & 0xe000) === 0x2000) return 'public';
  return 'bogon';
}

/**
 * The IPv6 addresses `classifyAddress` calls public, besides IPv4 inside IPv6 (::ffff:0:0/96, 64:ff9b::/96 and
 * 64:ff9b:1::/48, judged by their IPv4 address): global unicast 2000::/3 without benchmarking's 2001:2::/32 and
 * documentation's 2001:db8::/32 and 3fff::/20, as runs of their first 32 bits (first and last, inclusive). An
 * address is in one exactly when its first 32 bits are.
 */
export const PUBLIC_V6_TOP32: readonly (readonly [number, number])[] = [
  [0x20000000, 0x20010001],
  [0x20010003, 0x20010db7],
  [0x20010db9, 0x3ffeffff],
  [0x3fff1000, 0x3fffffff],
];

/** Class of an IPv4 or IPv6 address (canonical or expanded text); 'bogon' for anything unparsable. */
export function classifyAddress(ip: string): AddressClass {
  if (ip.length <= 15) {
    const v4 = ipv4Value(ip);
    if (v4 >= 0) return classifyV4(v4);
  }
  const hit = v6Cache.get(ip);
  if (hit !== undefined) return hit;
  const groups = ipv6Groups(ip);
  const cls = groups ? classifyV6(groups) : 'bogon';
  if (v6Cache.size >= ADDRESS_CLASS_CACHE_LIMIT) v6Cache.clear();
  v6Cache.set(detach(ip), cls); // a flat copy: the text may be a slice of its whole log line
  return cls;
}

/** Routable on the Internet: public, and the documentation ranges that stand in for public ones in shared logs and labs. */
export function isPublicLike(ip: string): boolean {
  const c = classifyAddress(ip);
  return c === 'public' || c === 'documentation';
}

/**
 * True for a packet that leaves the inside, when no own networks are configured: the firewall said so
 * (`outbound`), or it did not say from which side the packet came (a router's `forward`, a session log's
 * `unknown`) and it goes from an address the Internet cannot reach to one it can: an inside host going out,
 * not a forged source coming in. The detectors' packets (with own networks when configured) and the
 * explanation's "arriving from outside" both ask this one rule.
 */
export function leavesInsideByAddress(direction: string, src: string, dst: string): boolean {
  if (direction === 'outbound') return true;
  if (direction === 'forward' || direction === 'unknown') return !isPublicLike(src) && isPublicLike(dst);
  return false;
}

/**
 * Whether an interface name is the loopback one (Linux `lo`, the BSDs' `lo0`, further `lo1` ...): what arrives
 * there was sent by the machine to itself, so a loopback or LAND-shaped source on it is no forgery.
 */
export function isLoopbackInterface(name: string | undefined): boolean {
  return name !== undefined && /^lo\d*$/.test(name);
}
