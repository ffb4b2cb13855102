// Schema of the knowledge base in data/*.yaml: every text in English and Chinese, every fact with a source.
import { z } from 'zod';

/** A text in both languages the tool speaks. */
export const Localized = z.strictObject({
  en: z.string().min(1),
  zh: z.string().min(1),
});
export type Localized = z.infer<typeof Localized>;

/** One fact, in our own words, with the id of the source it comes from (see data/sources.yaml). */
export const Fact = z.strictObject({
  en: z.string().min(1),
  zh: z.string().min(1),
  /** Id of an entry in data/sources.yaml. */
  source: z.string().min(1),
  /** True when the fact comes from a single recollection not yet checked against a second source. */
  unverified: z.boolean().optional(),
});
export type Fact = z.infer<typeof Fact>;

/** A bibliography entry. */
export const Source = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  url: z.string().optional(),
  note: z.string().optional(),
});
export type Source = z.infer<typeof Source>;

/** A single port or an inclusive range written "33434-33600". */
export const PortSpec = z.union([z.number().int().min(0).max(65535), z.string().regex(/^\d{1,5}-\d{1,5}$/)]);
export type PortSpec = z.infer<typeof PortSpec>;

export const Proto = z.enum(['tcp', 'udp', 'sctp']);
export type Proto = z.infer<typeof Proto>;

/** What kind of thing lives on a port; drives wording and detectors. */
export const PortKind = z.enum([
  'service',
  'trojan',
  'backdoor',
  'proxy',
  'rpc',
  'return-traffic',
  'adware',
  'broadcast-noise',
  'game',
  'chat',
  'p2p',
  'traceroute',
  'scan-artifact',
  'amplifier',
  'iot-botnet',
  'worm',
  'brute-force',
  'exposed-service',
  'ics-ot',
  'remote-access',
  'voip-fraud',
  'printer',
  'streaming',
  /** None of the above: a port with a story but no role of its own (old client ports, a vanished product). */
  'other',
]);
export type PortKind = z.infer<typeof PortKind>;

export const Severity = z.number().int().min(1).max(5);

/** Knowledge about a destination port (or port range). A port may have several entries. */
export const PortEntry = z.strictObject({
  /** Stable id, kebab-case, unique across the file set (`sub7`, `back-orifice`). */
  id: z.string().regex(/^[a-z0-9-]+$/),
  ports: z.array(PortSpec).min(1),
  proto: z.array(Proto).min(1),
  name: Localized,
  kind: PortKind,
  /** Base severity of an unsolicited inbound hit, 1 (noise) to 5 (act now). */
  severity: Severity,
  /** Which way traffic on this port usually goes when it shows in a log. */
  direction: z.enum(['inbound', 'outbound', 'either']),
  facts: z.array(Fact).min(1),
  /** What an OUTBOUND hit means (your machine is the one calling out), when that differs. */
  outbound: Localized.optional(),
  advice: Localized,
  /** Malware or tool names tied to the port (Sub-7, Back Orifice, Mirai ...). */
  malware: z.array(z.string()).optional(),
  /** `seed` for items of the seed document, `faq` for the FAQ fact sheet, `modern` for newer ports. */
  tags: z.array(z.string()).optional(),
});
export type PortEntry = z.infer<typeof PortEntry>;

/** What a source port says about the sender. */
export const SourcePortEntry = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  ports: z.array(PortSpec).min(1),
  proto: z.array(Proto).min(1),
  name: Localized,
  facts: z.array(Fact).min(1),
  /** How this source port moves the severity (-2 .. +2), with the reason being the facts. */
  severityDelta: z.number().int().min(-2).max(2),
  /** `reply` = traffic answering a client of yours; `evasion` = sender picked it to slip past filters; `scanner` = tool signature; `nat` / `ephemeral` / `reserved` / `game`. */
  meaning: z.enum(['reply', 'evasion', 'scanner', 'nat', 'ephemeral', 'reserved', 'game', 'other']),
  tags: z.array(z.string()).optional(),
});
export type SourcePortEntry = z.infer<typeof SourcePortEntry>;

/** ICMP / ICMPv6 type (and optionally code). */
export const IcmpEntry = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  family: z.enum(['icmp', 'icmpv6']),
  type: z.number().int().min(0).max(255),
  /** Absent: the entry covers every code of the type. */
  code: z.number().int().min(0).max(255).optional(),
  /** The only codes the RFC defines for the type (echo: 0): another one is a hand-made packet. */
  codes: z.array(z.number().int().min(0).max(255)).min(1).optional(),
  name: Localized,
  /** `error` messages quote the packet that caused them; `query`/`reply` are ping-like pairs. */
  role: z.enum(['error', 'query', 'reply', 'info', 'neighbor']),
  severity: Severity,
  facts: z.array(Fact).min(1),
  advice: Localized.optional(),
  tags: z.array(z.string()).optional(),
});
export type IcmpEntry = z.infer<typeof IcmpEntry>;

/** A special address range. */
export const AddressEntry = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  /** CIDR blocks (IPv4 or IPv6) or single addresses. */
  cidrs: z.array(z.string()).min(1),
  name: Localized,
  kind: z.enum([
    'unspecified',
    'broadcast',
    'multicast',
    'private',
    'loopback',
    'link-local',
    'documentation',
    'bogon',
    'cgnat',
    'known-host',
    'scanner',
  ]),
  /** What it means as a SOURCE arriving from outside, and as a DESTINATION. */
  asSource: Localized.optional(),
  asDestination: Localized.optional(),
  facts: z.array(Fact).min(1),
  severityDelta: z.number().int().min(-2).max(2),
  tags: z.array(z.string()).optional(),
});
export type AddressEntry = z.infer<typeof AddressEntry>;

/** A TCP flag combination. `flags` lists exactly the flags set (empty list = NULL scan). */
export const TcpFlagEntry = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  flags: z.array(z.enum(['SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG', 'ECE', 'CWR'])),
  name: Localized,
  /** Scan technique name as nmap calls it, when the combination is a scan. */
  technique: Localized.optional(),
  /** `normal` opening/closing packets, `stealth` scans, `backscatter` replies to someone else, `invalid` impossible combos. */
  role: z.enum(['open', 'reply', 'close', 'data', 'stealth', 'backscatter', 'invalid']),
  severityDelta: z.number().int().min(-2).max(2),
  facts: z.array(Fact).min(1),
});
export type TcpFlagEntry = z.infer<typeof TcpFlagEntry>;

/** Common initial TTL values and the systems that use them (for hop count and OS guesses). */
export const TtlEntry = z.strictObject({
  initial: z.number().int().min(1).max(255),
  systems: Localized,
  facts: z.array(Fact).min(1),
});
export type TtlEntry = z.infer<typeof TtlEntry>;

/** A multi-packet pattern the detectors look for (traceroute, smurf, sscan ...). */
export const SignatureEntry = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: Localized,
  summary: Localized,
  facts: z.array(Fact).min(1),
  advice: Localized,
  severity: Severity,
  tags: z.array(z.string()).optional(),
});
export type SignatureEntry = z.infer<typeof SignatureEntry>;

/** A benign research / search-engine scanner, recognised by address block, AS number, organisation or PTR name. */
export const ScannerEntry = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  /** The label shown next to a matching address. */
  name: Localized,
  cidrs: z.array(z.string()).optional(),
  /** Autonomous systems run by the scanner operator alone (not shared hosting). */
  asns: z.array(z.number().int().min(1).max(4294967295)).optional(),
  /** Case-insensitive parts of the organisation name the ASN data gives the operator's networks. */
  organizations: z.array(z.string().min(3)).optional(),
  ptrSuffixes: z.array(z.string()).optional(),
  /** Id (data/sources.yaml) of the source of the entry's addresses, ASNs and names. */
  source: z.string().min(1),
  /** Day the entry was last checked against its source (YYYY-MM-DD). */
  checked: z.string().regex(/^20\d\d-\d\d-\d\d$/),
  facts: z.array(Fact).min(1),
});
export type ScannerEntry = z.infer<typeof ScannerEntry>;

/** The whole knowledge base after loading data/*.yaml. */
export const KnowledgeData = z.strictObject({
  sources: z.array(Source),
  ports: z.array(PortEntry),
  sourcePorts: z.array(SourcePortEntry),
  icmp: z.array(IcmpEntry),
  addresses: z.array(AddressEntry),
  tcpFlags: z.array(TcpFlagEntry),
  ttl: z.array(TtlEntry),
  signatures: z.array(SignatureEntry),
  scanners: z.array(ScannerEntry),
});
export type KnowledgeData = z.infer<typeof KnowledgeData>;

/**
 * Which data file holds which section. Several files may feed one section
 * (ports come from ports-faq.yaml and ports-modern.yaml).
 */
export const SECTION_FILES: Record<keyof KnowledgeData, string[]> = {
  sources: ['sources.yaml'],
  ports: ['ports-faq.yaml', 'ports-modern.yaml'],
  sourcePorts: ['source-ports.yaml'],
  icmp: ['icmp.yaml'],
  addresses: ['addresses.yaml'],
  tcpFlags: ['tcp-flags.yaml'],
  ttl: ['ttl.yaml'],
  signatures: ['signatures.yaml', 'signatures-modern.yaml'],
  scanners: ['scanners.yaml'],
};
