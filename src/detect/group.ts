// One group of packets under a detector key: its counters, how a packet is recorded, and how a closed
// group and its draft become a finding.
import { AddressCounter, type AddressCounts, Counter, FixedAddressCounter } from './counter.js';
import { topKeys } from './finding.js';
import { recordSort } from './packet.js';
import type {
  Bucket,
  DetectorSpec,
  EngineContext,
  Evidence,
  Finding,
  FindingDraft,
  Packet,
  TcpShape,
  TtlSet,
} from './types.js';

/** Bound on distinct values, sources, targets and ports remembered per group (more are only counted). */
export const MAX_VALUES_PER_GROUP = 8192;
/** Raw lines kept as evidence per group: the first few plus the last one. */
export const EVIDENCE_HEAD = 3;

/** Per-key counters; `extra` is created on first use since most specs never need it. */
export class GroupState implements Bucket {
  first: number;
  last: number;
  events = 0;
  connectionRecords = 0;
  unopenedConnections = 0;
  /** The spec's distinct values; the `sources` counter itself for specs with `distinctIsSource`. */
  distinct: Counter<string> | AddressCounts;
  distinctOverflow = 0;
  sources: AddressCounts;
  targets: AddressCounts;
  ports = new Counter<number>();
  transports = new Counter<string>();
  techniques = new Counter<string>();
  ascendingSteps = 0;
  lastPort?: number;
  attempts = 0;
  lastAttemptAt = Number.NEGATIVE_INFINITY;
  gapCount = 0;
  gapMean = 0;
  gapM2 = 0;
  binStart: number;
  binCount = 0;
  peakBin = 0;
  evidenceHead: Evidence[] = [];
  tailText: string | undefined = undefined;
  tailFile: string | undefined = undefined;
  tailLine: number | undefined = undefined;
  tcp: TcpShape | undefined = undefined;
  ttls: TtlSet | undefined = undefined;
  state: unknown = undefined;
  /** Keys this group holds in large counters and its spec's own state (see `heldKeys`), for the value bound. */
  held = 0;
  /** Order of creation in its runner (its place in the runner's map of groups). */
  seq = 0;
  /** In its runner's list of groups changed since the last look at open findings. */
  listed = false;
  private extraMap: Map<string, number> | undefined;

  /**
   * @param fixes what the group key fixes (`DetectorSpec.keyFixes`), and `from`, the group's first packet,
   *   the address(es) it fixes them to
   */
  constructor(
    readonly key: string,
    /** The key the runner finds this group by (`key`, or its integer form: `DetectorSpec.groupKey`). */
    readonly mapKey: string | number,
    time: number,
    distinctIsSource = false,
    fixes?: 'source' | 'pair',
    from?: Packet,
  ) {
    this.first = time;
    this.last = time;
    this.binStart = time;
    this.sources =
      fixes && from ? new FixedAddressCounter(from.srcKey, from.src, this) : new AddressCounter();
    this.targets =
      fixes === 'pair' && from ? new FixedAddressCounter(from.dstKey, from.dst, this) : new AddressCounter();
    this.distinct = distinctIsSource ? this.sources : new Counter<string>();
  }

  get extra(): Map<string, number> {
    this.extraMap ??= new Map();
    return this.extraMap;
  }
}

/** A line as evidence, with where it was read. */
function evidence(text: string, file: string | undefined, line: number | undefined): Evidence {
  const e: Evidence = { text };
  if (file !== undefined) e.file = file;
  if (line !== undefined) e.line = line;
  return e;
}

/** A packet's line as evidence, with where it was read. */
export function evidenceOf(p: Packet): Evidence {
  return evidence(p.raw, p.ev.file, p.ev.line);
}

/** Record one packet into a group's counters. */
export function observe(b: GroupState, p: Packet, spec: DetectorSpec, ctx: EngineContext): void {
  b.events++;
  const sort = recordSort(p.ev);
  if (sort !== 'packet') b.connectionRecords++;
  if (sort === 'unopened') b.unopenedConnections++;
  b.last = Math.max(b.last, p.time);
  if (spec.distinctIsSource) {
    // `distinct` is the `sources` counter itself: one update counts both.
    if (!b.sources.add(p.srcKey, MAX_VALUES_PER_GROUP)) b.distinctOverflow++;
  } else {
    const d = spec.distinct?.(p, ctx);
    // Not the sources counter here (`distinctIsSource` is the other branch): a Counter of the spec's values.
    if (d !== undefined && !(b.distinct as Counter<string>).add(d, MAX_VALUES_PER_GROUP))
      b.distinctOverflow++;
    // A source (and a pair's target) the group key fixes is counted through the group's events.
    if (spec.keyFixes === undefined) b.sources.add(p.srcKey, MAX_VALUES_PER_GROUP);
  }
  if (spec.keyFixes !== 'pair') b.targets.add(p.dstKey, MAX_VALUES_PER_GROUP);
  if (p.dport !== undefined) {
    b.ports.add(p.dport, MAX_VALUES_PER_GROUP);
    if (b.lastPort !== undefined && p.dport === b.lastPort + 1) b.ascendingSteps++;
    b.lastPort = p.dport;
  }
  b.transports.add(p.proto, MAX_VALUES_PER_GROUP);
  if (p.technique) b.techniques.add(p.technique, MAX_VALUES_PER_GROUP);
  const clusterMs = (spec.clusterSeconds ?? 0) * 1000;
  const sinceAttempt = p.time - b.lastAttemptAt;
  if (sinceAttempt > clusterMs || sinceAttempt < -clusterMs) {
    // Gaps are measured forward only: a packet well before the last attempt (time went back) starts anew.
    if (b.attempts > 0 && sinceAttempt > 0) {
      // Welford update of the gap between attempt starts.
      const gap = p.time - b.lastAttemptAt;
      b.gapCount++;
      const delta = gap - b.gapMean;
      b.gapMean += delta / b.gapCount;
      b.gapM2 += delta * (gap - b.gapMean);
    }
    b.attempts++;
    b.lastAttemptAt = p.time;
  }
  const binMs = (spec.rateBinSeconds ?? 1) * 1000;
  // A packet more than a bin before the bin's start (time went back) opens a bin of its own: counted into the
  // bin it left, a newer log read before an older one made one "second" of everything older.
  const inBin = p.time - b.binStart;
  if (inBin >= binMs || inBin < -binMs) {
    b.binStart = p.time;
    b.binCount = 0;
  }
  b.binCount++;
  if (b.binCount > b.peakBin) b.peakBin = b.binCount;
  if (b.evidenceHead.length < EVIDENCE_HEAD) b.evidenceHead.push(evidenceOf(p));
  else {
    b.tailText = p.raw;
    b.tailFile = p.ev.file;
    b.tailLine = p.ev.line;
  }
}

/** Turn a closed group and its draft into a finding with sorted, capped lists. */
export function assemble(spec: DetectorSpec, b: Bucket, draft: FindingDraft, timeless: boolean): Finding {
  const ports = draft.ports ?? [...b.ports.keys()].sort((x, y) => x - y);
  const finding: Finding = {
    detector: spec.id,
    title: draft.title,
    explanation: draft.explanation,
    severity: draft.severity,
    confidence: Math.round(Math.min(1, Math.max(0, draft.confidence)) * 100) / 100,
    sources: draft.sources?.slice(0, 100) ?? topKeys(b.sources),
    targets: draft.targets?.slice(0, 100) ?? topKeys(b.targets),
    ports: ports.slice(0, 200),
    counts: {
      events: b.events,
      distinctPorts: b.ports.size,
      distinctTargets: b.targets.size,
      distinctSources: draft.sources?.length ?? b.sources.size,
    },
    evidence:
      b.tailText === undefined
        ? [...b.evidenceHead]
        : [...b.evidenceHead, evidence(b.tailText, b.tailFile, b.tailLine)],
    advice: draft.advice,
    timeBasis: timeless ? 'line-order' : 'event',
  };
  // Only a session log's findings carry it: a packet log's report stays as it was.
  if (b.connectionRecords > 0) finding.counts.connections = b.connectionRecords;
  if (!timeless) {
    finding.firstSeen = b.first;
    finding.lastSeen = b.last;
  }
  const transport = topKeys(b.transports, 1)[0];
  if (transport) finding.transport = transport;
  if (draft.technique) finding.technique = draft.technique;
  return finding;
}
