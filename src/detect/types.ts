// Types of the detection engine: findings (the public contract), detector specs and their per-key state.
import type { FwEvent } from '../event.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import type { Localized } from '../knowledge/schema.js';
import type { AddressCounts, Counter, Counts } from './counter.js';
import type { ReplyKind } from './reply.js';

export type { Localized };

/** Every detector the engine knows, one id per kind of finding. */
export const DETECTOR_IDS = [
  'vertical-scan',
  'horizontal-sweep',
  'ping-sweep',
  'slow-scan',
  'distributed-scan',
  'traceroute',
  'scanner-fingerprint',
  'trojan-probe',
  'inherited-retry',
  'return-traffic',
  'outbound-beacon',
  'lan-noise',
  'backscatter',
  'flood',
  'spoofing',
  'repeated-attempts',
  'firewall-alarm',
] as const;

/** Id of a detector (and of the findings it emits). */
export type DetectorId = (typeof DETECTOR_IDS)[number];

/** One raw log line backing a finding, so a person can check it against the log. */
export interface Evidence {
  file?: string;
  line?: number;
  text: string;
}

/** What the engine concluded from many lines: who, what, since when, how bad, what to do. */
export interface Finding {
  detector: DetectorId;
  title: Localized;
  explanation: Localized;
  /** 1 (noise) to 5 (act now). */
  severity: 1 | 2 | 3 | 4 | 5;
  /** 0..1: how sure the detector is. */
  confidence: number;
  /** Epoch ms of the first and last event (event time); absent when the log carries no time. */
  firstSeen?: number;
  lastSeen?: number;
  sources: string[];
  targets: string[];
  ports: number[];
  transport?: string;
  /** syn, connect, fin, null, xmas, ack, maimon, udp, ip-protocol, icmp-echo, smurf, sscan ... */
  technique?: string;
  counts: {
    events: number;
    distinctPorts?: number;
    distinctTargets?: number;
    distinctSources?: number;
    /** Separate bursts of the same behaviour folded into this finding (absent = one). */
    episodes?: number;
    /**
     * Of `events`, the records that were a session log's connections (FwEvent.connectionPhase set); absent when
     * none were (a packet log's). Lets the text of merged episodes say connections rather than packets.
     */
    connections?: number;
  };
  /** A few representative raw lines with file and line number. */
  evidence: Evidence[];
  advice: Localized;
  /** Set when the finding concerns a trusted source and the config asks to mark rather than drop. */
  suppressed?: 'trusted';
  /**
   * Severity steps from the context of the sources (allow/deny lists, known research scanners), already
   * counted in `severity`: each with its delta and reason.
   */
  adjustments?: { delta: number; text: Localized; source?: string }[];
  /** `line-order` when the log had no timestamps and windows were measured in lines. */
  timeBasis?: 'event' | 'line-order';
}

/**
 * Findings of one detector left out of the report because it made more than the configured bound
 * (`maxFindingsPerDetector`): the weakest are counted here instead of listed.
 */
export interface OmittedFindings {
  detector: DetectorId;
  /** How many findings were left out. */
  findings: number;
  /** Records those findings covered: packets, or a session log's connections. */
  events: number;
  /** Of `events`, a session log's connection records (Finding.counts.connections); absent when none were. */
  connections?: number;
  /** Highest severity among them. */
  maxSeverity: number;
  /** The bound that applied (per detector spec, over the whole run). */
  limit: number;
}

/**
 * Groups of one detector judged before their time because a memory bound was reached: their findings stand,
 * but a scan spanning such a close may show as several findings, or its part too small to qualify alone.
 */
export interface ClosedEarly {
  detector: DetectorId;
  /** Closed as the oldest over the live group bound (`maxGroupsPerDetector`). */
  groups: number;
  /** Closed as the oldest over the value bound (`maxValuesPerDetector`). */
  values: number;
}

/** A named, documented number a user may override per detector in the config file. */
export interface Tunable {
  /** Default value. */
  default: number;
  /** What it controls, in one sentence (shown in docs and config errors). */
  doc: string;
}

/** Resolved tunable values of one detector spec. */
export type Tunables = Record<string, number>;

/**
 * The fields of an event the detectors read, copied out of it (see `packetEvent`): a packet waiting in a
 * detection batch then holds these few values instead of the whole event (46 fields for a netfilter line),
 * so less survives each young-generation collection.
 */
export type PacketEvent = Pick<
  FwEvent,
  | 'action'
  | 'connectionPhase'
  | 'direction'
  | 'ipVersion'
  | 'length'
  | 'ttl'
  | 'ipId'
  | 'dontFragment'
  | 'tcpWindow'
  | 'tcpSeq'
  | 'icmpType'
  | 'icmpCode'
  | 'icmpSeq'
  | 'inInterface'
  | 'inner'
  | 'prefix'
  | 'alarmName'
  | 'file'
  | 'line'
>;

/** One parsed event plus what the engine derives from it once, shared by every detector. */
export interface Packet {
  ev: PacketEvent;
  raw: string;
  /** Event time in ms, or the line ordinal when the log has no time. */
  time: number;
  timeless: boolean;
  src: string;
  dst: string;
  /** `src` as a Map key (`exactIpKey`: a canonical IPv4 address as an integer): equal exactly when `src` is. */
  srcKey: number | string;
  /** `dst` as a Map key, like `srcKey`. */
  dstKey: number | string;
  /**
   * `src>dst`, made on first use (see `pairKey` in packet.ts) and then shared, so every per-pair detector
   * hashes the same string (V8 caches a string's hash); most packets never reach a per-pair group.
   */
  pair: string | undefined;
  /** tcp, udp, sctp, icmp, ipv6-icmp, proto-N ... */
  proto: string;
  sport?: number;
  dport?: number;
  /** Came from outside towards us (or through us from outside). */
  inbound: boolean;
  /** Left one of our hosts towards the outside. */
  outbound: boolean;
  /** Scan technique this single packet would belong to (syn, fin, xmas, udp, icmp-echo ...). */
  technique?: string;
  /** Looks like a reply to a connection someone else opened (ACK from a service port, DNS answer ...). */
  replyLike: boolean;
  /** Category when the packet is broadcast / multicast / LAN chatter (netbios, dhcp, ssdp ...). */
  lanNoise?: string;
  /**
   * The reply to one of our own clients this packet is (DNS answer, late TCP ...), decided by the engine when
   * the packet is pushed, with the outbound memory as of that moment (see reply.ts).
   */
  reply: ReplyKind | undefined;
  /** TCP flag words joined with spaces in a fixed order, '' for none; undefined for non-TCP. */
  flags?: string;
  /** `tcp/80`, `proto/47` or the protocol alone: the port key port-counting detectors use (interned). */
  portKey: string;
  /** `dst|portKey`, made on first use (see `targetKey` in packet.ts). */
  targetKey?: string;
  /** The event named only one of its addresses (the other is `''`): only `partialPackets` specs see it. */
  partial: boolean;
}

/** Counters the engine keeps for one group (key) of one detector, all bounded. */
export interface Bucket {
  key: string;
  first: number;
  last: number;
  events: number;
  /** Events that were a session log's connection records (FwEvent.connectionPhase set), for the wording. */
  connectionRecords: number;
  /**
   * Of those, the connections nobody says were opened (packet.ts recordSort): refused by the firewall (a denied
   * session's record: PAN-OS TRAFFIC drop ...) or only seen by a sensor (a Zeek conn record).
   */
  unopenedConnections: number;
  /** Distinct values of the spec's distinct key, with hit counts (capped). */
  distinct: Counts<string>;
  /** Distinct values seen after the cap was reached (counted, not stored). */
  distinctOverflow: number;
  sources: AddressCounts;
  targets: AddressCounts;
  ports: Counter<number>;
  transports: Counter<string>;
  techniques: Counter<string>;
  /** Destination ports that were exactly one above the previous packet's port. */
  ascendingSteps: number;
  lastPort?: number;
  /** Attempt clusters (packets closer than the spec's cluster gap count as one attempt). */
  attempts: number;
  lastAttemptAt: number;
  /** Welford running statistics over the gaps between attempts. */
  gapCount: number;
  gapMean: number;
  gapM2: number;
  /** Peak packets in one rate bin, and the bin being filled. */
  binStart: number;
  binCount: number;
  peakBin: number;
  evidenceHead: Evidence[];
  /**
   * The latest packet's line, file and line number (made evidence only when a finding is built). Kept as
   * these three, not the packet: a group's last packet would otherwise outlive its batch.
   */
  tailText: string | undefined;
  tailFile: string | undefined;
  tailLine: number | undefined;
  /** Free counters a spec fills in its `observe` hook. */
  extra: Map<string, number>;
  /** A spec's own state for the group (made by its `observe` hook on first use, dropped with the group). */
  state: unknown;
  /** Arrival TTLs seen (see observeTtl), made on the first packet with a TTL by the specs that read them. */
  ttls: TtlSet | undefined;
  /** SYN bookkeeping of scan groups (connect() vs raw SYN), made on the first SYN. */
  tcp: TcpShape | undefined;
}

/** A group's arrival TTLs: which of the 256 values were seen, the lowest and the highest. */
export interface TtlSet {
  bits: Uint32Array;
  min: number;
  max: number;
}

/** How a group's SYNs looked: counts for naming the scan technique (see observeTcpShape). */
export interface TcpShape {
  syn: number;
  /** SYNs with kernel-sized options (and DF on IPv4). */
  stackSyn: number;
  /** SYNs whose source port was remembered (at most SPORT_SAMPLE). */
  synSampled: number;
  /** Sampled SYNs repeating a remembered source port to the same port. */
  retransmit: number;
  /** Distinct source ports among the sampled SYNs. */
  sports: number;
  /** ACK or RST packets continuing a sampled SYN's source-port pair. */
  followUp: number;
  /**
   * The sampled source ports (at most SPORT_SAMPLE, distinct) and the destination port of each, side by
   * side: a few small numbers, scanned instead of hashed (lighter than a Map per group).
   */
  sampledSports: number[];
  sampledPorts: number[];
}

/** Cross-detector state and settings the engine hands to every spec. */
export interface EngineContext {
  kb: KnowledgeBase;
  /** Tunables of any detector (for the few that share a threshold, like the slow-scan rate). */
  tunables(id: DetectorId): Tunables;
  /** Time of the last outbound packet from `from` to `to` (optionally to that port), if remembered. */
  outboundSeen(from: string, to: string, port?: number): number | undefined;
  /** Time of the last outbound packet from any of our hosts to `to`:`port` (NAT hides which one got the reply). */
  outboundToSeen(to: string, port: number): number | undefined;
  /** True once any outbound packet was seen (so "no outbound traffic" means something). */
  anyOutbound(): boolean;
  /** True when the address belongs to the configured own addresses or networks. */
  isOwn(ip: string): boolean;
  /** True when the address is one of the configured own single addresses. */
  isOwnAddress(ip: string): boolean;
  /** True when the log carries no time at all and windows fall back to line order. */
  timeless(): boolean;
}

/** What a detector returns when a group crosses its threshold; the engine adds ids, evidence and times. */
export interface FindingDraft {
  title: Localized;
  explanation: Localized;
  advice: Localized;
  severity: 1 | 2 | 3 | 4 | 5;
  confidence: number;
  technique?: string;
  /** Ports to report (defaults to the group's ports). */
  ports?: number[];
  /** Sources to report (defaults to the group's sources), e.g. only the members of a coordinated scan. */
  sources?: string[];
  /** Targets to report (defaults to the group's targets). */
  targets?: string[];
  /** Extra key so one group can emit several findings (e.g. several fingerprints). */
  variant?: string;
}

/** A detector as a small declarative spec run by the shared engine. */
export interface DetectorSpec {
  id: DetectorId;
  /** Unique name of the spec (several specs may share one detector id). */
  name: string;
  /** Named tunables with defaults; every spec has `windowSeconds` and `cooldownSeconds`. */
  tunables: Record<string, Tunable>;
  /** Which packets this spec looks at. */
  filter(p: Packet, ctx: EngineContext, t: Tunables): boolean;
  /** Group key; packets with the same key share one bucket. */
  groupBy(p: Packet): string;
  /**
   * What `groupBy` is, when it is one of these (`groupBy` then names the group, made once per group): the
   * runner keys its groups by the packet's integer form of it instead of a text made or hashed per packet.
   * `source` = `p.src`, `target` = `p.dst`, `source-net` = `sourcePrefix(p.src)`. Checked on real packets
   * (`key-fixes.test.ts`).
   */
  groupKey?: 'source' | 'target' | 'source-net';
  /** Value counted as distinct within a group (port, target, protocol ...). */
  distinct?(p: Packet, ctx: EngineContext): string | undefined;
  /**
   * The distinct value is the source address: the group's `distinct` counter is then its `sources`
   * counter itself (one table and one update per packet instead of two identical ones). Set instead of `distinct`.
   */
  distinctIsSource?: boolean;
  /**
   * What every packet of a group shares because the group key is made from it: `source` (the key names the
   * source address: src, src+port ...) or `pair` (source and destination: src>dst, src>dst+port ...). The
   * group then does not count them per packet: its `sources` (and for a pair its `targets`) hold the one
   * address of its first packet with the group's event count (a contract test checks the key does fix them).
   */
  keyFixes?: 'source' | 'pair';
  /** Packets closer than this many seconds count as one attempt (retransmissions); default 0. */
  clusterSeconds?: number;
  /** Width of the rate bin in seconds for the peak-rate counter; default 1. */
  rateBinSeconds?: number;
  /**
   * True when one packet can make a finding. Otherwise a key's first packet is only remembered and a
   * group is built on the second (thresholds below 2 then act as 2), which keeps one-shot noise cheap.
   */
  singleEvent?: boolean;
  /**
   * Also take packets that name only a source or only a target (the other address `''`): the firewall's own
   * alarm records often do (a SYN flood screen names the victim alone). Every other spec sees only packets
   * with both addresses.
   */
  partialPackets?: boolean;
  /**
   * Reads the outbound memory (`ctx.outboundSeen`, `outboundToSeen`, `anyOutbound`) in any hook. Such a spec
   * runs packet by packet, as outbound packets are recorded; every other spec runs over a whole batch of
   * packets at a time (spec after spec, each keeping its state hot), where the outbound memory would
   * already hold the batch's later packets: its context refuses those calls.
   */
  readsOutbound?: boolean;
  /**
   * True when the group key is made from the source address (src, src+dst, src+port ...). Such specs run
   * on a shard of the sources. When the spec is also not single-event, no group can form before a
   * source's second packet: the engine holds each source's first packet once for all such specs and feeds
   * them only from the second packet on (most sources in a firewall log are one-shot).
   */
  keyedBySource?: boolean;
  /**
   * Whether a second packet for a key held as a single packet may start its group. Returning false keeps
   * the held first packet and drops this one for this spec (a /24 with one active address cannot be a
   * distributed scan: the group starts when a second address shows up). Default: always.
   */
  admit?(first: Packet, p: Packet): boolean;
  /** Needs real time (interval or rate based): skipped when the log has no timestamps. */
  needsTime?: boolean;
  /** Extra per-packet counting into `bucket.extra`. */
  observe?(b: Bucket, p: Packet, ctx: EngineContext): void;
  /** Threshold test when the group's window closes. */
  qualifies(b: Bucket, t: Tunables, ctx: EngineContext): boolean;
  /** Words for the finding (may return several, or none after a closer look). */
  build(b: Bucket, t: Tunables, ctx: EngineContext): FindingDraft | FindingDraft[] | undefined;
}

/** User settings read from the YAML config file (see docs/detection-config.md). */
export interface DetectionConfig {
  /** CIDRs whose findings are marked `suppressed: 'trusted'` (or dropped). */
  trustedNetworks: string[];
  /** What to do with findings about trusted sources. */
  trustedAction: 'mark' | 'drop';
  /** Own single addresses (arriving from outside as a source = spoofing). */
  ownAddresses: string[];
  /** Own networks: decide inside vs outside when the log's interfaces do not. */
  ownNetworks: string[];
  /** Events to drop before detection. */
  ignore: { ports: (number | string)[]; sources: string[] };
  /** Per detector: `enabled: false` or tunable overrides. */
  detectors: Partial<Record<DetectorId, Record<string, number | boolean>>>;
  /** Trusted partners (addresses, CIDRs, `AS64500`): their findings never rise above info. */
  allowList?: string[];
  /** Known bad actors: findings with a listed source rise by one, with the reason shown. */
  denyList?: string[];
  /** Findings of known research scanners: lowered by one (`label`), info (`noise`) or raised (`block`). */
  researchScanners?: 'label' | 'noise' | 'block';
  /** Upper bound on live groups per detector spec (least recently used are closed first). */
  maxGroupsPerDetector?: number;
  /** Upper bound on findings listed per detector spec; the weakest beyond it are only counted. */
  maxFindingsPerDetector?: number;
  /** Upper bound on values (ports, addresses) remembered by one detector spec's live groups beyond their first few. */
  maxValuesPerDetector?: number;
}

/** One shard's findings before the final sort and merge, and what it left out over the bound. */
export interface ShardFindings {
  shard: number;
  findings: Finding[];
  omitted: OmittedFindings[];
  /** Per detector, groups closed before their time at a memory bound (absent or empty when none were). */
  closedEarly?: ClosedEarly[];
}

/**
 * How one engine takes part in a sharded run. Sources are hashed into `shardCount` shards; each shard
 * keeps its own bounded state for the source-keyed specs, shard 0 also runs the specs that need every
 * source. An engine runs the shards listed in `shards` (default: all). Every engine still reads every
 * event (time, outbound memory), so a shard gives the same findings whichever thread runs it.
 */
export interface EngineOptions {
  shardCount?: number;
  shards?: number[];
  /**
   * Called whenever a closed group becomes a finding or merges into an earlier episode (then with that
   * earlier, now updated finding): how `fwlens watch` learns of findings before `finish`.
   */
  onEmit?(emitted: EmittedFinding): void;
  /**
   * Packets fed to the batched specs at a time (see `DetectorSpec.readsOutbound`); default
   * DEFAULT_BATCH_PACKETS. Findings, `advance`, `openFindings` and the state sizes see every packet pushed
   * before them whatever the batch.
   */
  batchPackets?: number;
  /**
   * Keep every finding for `finish` (default true). A watcher, which takes findings through `onEmit`,
   * sets false so an endless input does not pile up findings nobody will list.
   */
  retainFindings?: boolean;
  /**
   * Findings each shard holds whole for merging later episodes into when findings are not retained; default
   * RECENT_WHOLE_FINDINGS (src/detect/finding-ledger.ts, which says what happens to the others).
   */
  recentWholeFindings?: number;
}

/** A finding as the engine made it, with the identity a live watcher tracks it by. */
export interface EmittedFinding {
  /** Spec name, group key and variant: the same key the engine merges episodes by. */
  key: string;
  finding: Finding;
  /** The spec's cooldown: a later finding with the same key within it is the same episode. */
  cooldownMs: number;
}

/** Public face of one detection run. */
export interface DetectionEngine {
  /** Feed one parsed event (in input order) with its raw line. */
  push(ev: FwEvent, raw: string): void;
  /** Close every open window and return all findings, severity desc then first seen. */
  finish(): Finding[];
  /**
   * Close every open window and return each owned shard's findings before the final sort and merge
   * (`finishFindings` over all shards, in shard order, gives what `finish` gives), with the findings
   * each shard left out over `maxFindingsPerDetector`.
   */
  finishRaw(): ShardFindings[];
  /** Live state entries over all detectors: groups, pending packets, values held (for tests and memory checks). */
  stateSize(): number;
  /**
   * Findings held over all shards (for tests and memory checks): kept for `finish` (`listed`), referred to by
   * the cooldown-merge index (`indexed`), and left out over the findings bound but remembered by their merge
   * key only (`leftOut`, a few bytes each), so their later episodes are counted as omitted; without retaining
   * findings, those the merge index keeps only as a tally of counts and times (`tallied`, see MergeTally).
   */
  findingSizes(): { listed: number; indexed: number; leftOut: number; tallied: number };
  /** Groups closed before their time at a memory bound (`maxGroupsPerDetector`, `maxValuesPerDetector`), so far. */
  closedEarly(): number;
  /**
   * Close the groups idle past their window at event time `now` (ms), as the next packet would: a
   * watcher calls it when the input is quiet. Their findings go to `onEmit`. A no-op on timeless logs.
   */
  advance(now: number): void;
  /**
   * Findings that open groups would give if they closed now, for groups that changed since the last
   * call and qualify already (a scan crossing its threshold). Nothing is closed or merged.
   */
  openFindings(): EmittedFinding[];
  /**
   * Live state entries by spec (groups, pending single packets, values held beyond the small counters) and
   * gate, for memory profiles.
   */
  stateSizes(): Record<string, number>;
}
