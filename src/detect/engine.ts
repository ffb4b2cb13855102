// The one shared detection engine: groups packets per spec key, bounded windows on event time, cooldown merging.
import type { FwEvent } from '../event.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import { BoundedCache } from '../util/bounded-cache.js';
import { shardOf } from '../util/shard.js';
import { CidrSet } from './addresses.js';
import { defaultDetectionConfig, portMatcher, resolveTunables } from './config.js';
import { Counter } from './counter.js';
import { ALL_SPECS } from './detectors/index.js';
import { ExpiryQueue } from './expiry-queue.js';
import { mergeFinding, stronger, topKeys } from './finding.js';
import { toPacket } from './packet.js';
import { postProcess } from './postprocess.js';
import type {
  Bucket,
  DetectionConfig,
  DetectionEngine,
  DetectorId,
  DetectorSpec,
  EmittedFinding,
  EngineContext,
  EngineOptions,
  Evidence,
  Finding,
  FindingDraft,
  OmittedFindings,
  Packet,
  ShardFindings,
  TcpShape,
  Tunables,
} from './types.js';

/** Default bound on live groups per detector spec; the least recently touched group is closed first. */
export const DEFAULT_MAX_GROUPS_PER_DETECTOR = 10_000;
/**
 * Default bound on findings listed per detector spec over the whole run (shared by the source shards
 * like the group bound): past it the weakest findings are only counted (see OmittedFindings).
 */
export const DEFAULT_MAX_FINDINGS_PER_DETECTOR = 5_000;
/** Bound on distinct values, sources, targets and ports remembered per group (more are only counted). */
export const MAX_VALUES_PER_GROUP = 8192;
/** Raw lines kept as evidence per group: the first few plus the last one. */
export const EVIDENCE_HEAD = 3;
/** Bound on remembered outbound flows (for backscatter and return traffic). */
export const MAX_OUTBOUND_FLOWS = 50_000;
/** Bound on findings remembered for cooldown merging. */
export const MAX_MERGE_INDEX = 20_000;
/** How long an outbound flow is remembered, in ms of event time. */
export const OUTBOUND_MEMORY_MS = 3600_000;
/**
 * The source gate holds a first packet (about 1 KB with its event and line) for up to two generations of
 * this many sources, as a multiple of the per-detector group bound (10,000 -> 5,000), shared by the
 * shards: a source whose second packet comes after 5,000-10,000 other new sources starts afresh.
 */
export const GATE_HELD_FACTOR = 0.5;
/** Sources seen twice are remembered (a number each) for two generations of this multiple of the bound. */
export const GATE_LIVE_FACTOR = 3;
/** Sessions longer than this are closed and reopened (merged by cooldown), so findings appear on endless input. */
export const MAX_SESSION_MS = 24 * 3600_000;

interface SpecState {
  spec: DetectorSpec;
  t: Tunables;
  windowMs: number;
  cooldownMs: number;
  groups: Map<string, Bucket>;
  /** Keys seen once so far: just the packet, a group is only built on the second one. */
  pending: Map<string, Packet>;
  /** One token per live group (re-queued while still active), oldest first. */
  groupQueue: ExpiryQueue;
  pendingQueue: ExpiryQueue;
  /** Live groups (and pending singles) this spec may hold in its shard. */
  cap: number;
  /** This spec's findings in its shard (also in the shard's list), and how many it may keep. */
  findings: Finding[];
  findingCap: number;
  /** Findings left out over `findingCap`. */
  omitted: { findings: number; events: number; maxSeverity: number };
}

/** Per-key counters; `extra` is created on first use since most specs never need it. */
class GroupState implements Bucket {
  first: number;
  last: number;
  events = 0;
  /** The spec's distinct values; the `sources` counter itself for specs with `distinctIsSource`. */
  distinct: Counter<string>;
  distinctOverflow = 0;
  sources = new Counter<string>();
  targets = new Counter<string>();
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
  tail?: Packet;
  tcp: TcpShape | undefined = undefined;
  private extraMap: Map<string, number> | undefined;

  constructor(
    readonly key: string,
    time: number,
    distinctIsSource = false,
  ) {
    this.first = time;
    this.last = time;
    this.binStart = time;
    this.distinct = distinctIsSource ? this.sources : new Counter<string>();
  }

  get extra(): Map<string, number> {
    this.extraMap ??= new Map();
    return this.extraMap;
  }
}

function evidenceOf(p: Packet): Evidence {
  const e: Evidence = { text: p.raw };
  if (p.ev.file !== undefined) e.file = p.ev.file;
  if (p.ev.line !== undefined) e.line = p.ev.line;
  return e;
}

/** Record one packet into a group's counters. */
function observe(b: Bucket, p: Packet, spec: DetectorSpec, ctx: EngineContext): void {
  b.events++;
  b.last = Math.max(b.last, p.time);
  if (spec.distinctIsSource) {
    // `distinct` is the `sources` counter itself: one update counts both.
    if (!b.sources.add(p.src, MAX_VALUES_PER_GROUP)) b.distinctOverflow++;
  } else {
    const d = spec.distinct?.(p, ctx);
    if (d !== undefined && !b.distinct.add(d, MAX_VALUES_PER_GROUP)) b.distinctOverflow++;
    b.sources.add(p.src, MAX_VALUES_PER_GROUP);
  }
  b.targets.add(p.dst, MAX_VALUES_PER_GROUP);
  if (p.dport !== undefined) {
    b.ports.add(p.dport, MAX_VALUES_PER_GROUP);
    if (b.lastPort !== undefined && p.dport === b.lastPort + 1) b.ascendingSteps++;
    b.lastPort = p.dport;
  }
  b.transports.add(p.proto, MAX_VALUES_PER_GROUP);
  if (p.technique) b.techniques.add(p.technique, MAX_VALUES_PER_GROUP);
  const clusterMs = (spec.clusterSeconds ?? 0) * 1000;
  if (p.time - b.lastAttemptAt > clusterMs) {
    if (b.attempts > 0) {
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
  if (p.time - b.binStart >= binMs) {
    b.binStart = p.time;
    b.binCount = 0;
  }
  b.binCount++;
  if (b.binCount > b.peakBin) b.peakBin = b.binCount;
  if (b.evidenceHead.length < EVIDENCE_HEAD) b.evidenceHead.push(evidenceOf(p));
  else b.tail = p;
}

/** Detection state of one shard of the sources (see EngineOptions.shardCount). */
interface ShardState {
  states: SpecState[];
  /** Source gate: first packet of sources seen once (null once replayed) ... */
  firstOf: BoundedCache<string, Packet | null>;
  /** ... and last packet time of sources seen twice or more. */
  confirmed: BoundedCache<string, number>;
  /** Findings by spec and key, for cooldown merging. */
  mergeIndex: BoundedCache<string, Finding>;
  findings: Finding[];
}

/** True for specs whose groups depend only on the source: they can run on a shard of the sources. */
export function shardable(spec: DetectorSpec): boolean {
  return spec.keyedBySource === true;
}

/** Sort, merge episodes and drop findings explained by others: the last step, over all shards together. */
export function finishFindings(
  raw: Finding[],
  config: DetectionConfig = defaultDetectionConfig(),
): Finding[] {
  return postProcess(raw, {
    trusted: new CidrSet(config.trustedNetworks),
    trustedAction: config.trustedAction,
  });
}

/**
 * The final step over every shard's findings: `finishFindings`, then at most `maxFindingsPerDetector`
 * per detector (several specs may share one detector id), the rest added to the shards' omitted counts.
 */
export function finishShards(
  raw: ShardFindings[],
  config: DetectionConfig = defaultDetectionConfig(),
): { findings: Finding[]; omitted: OmittedFindings[] } {
  const findings = finishFindings(
    raw.flatMap((s) => s.findings),
    config,
  );
  const limit = config.maxFindingsPerDetector ?? DEFAULT_MAX_FINDINGS_PER_DETECTOR;
  const byDetector = new Map<DetectorId, Finding[]>();
  for (const f of findings) {
    const list = byDetector.get(f.detector);
    if (list) list.push(f);
    else byDetector.set(f.detector, [f]);
  }
  const extra: OmittedFindings[] = [];
  const dropped = new Set<Finding>();
  for (const [detector, list] of byDetector) {
    if (list.length <= limit) continue;
    const left = [...list].sort(stronger).slice(limit);
    for (const f of left) dropped.add(f);
    extra.push({
      detector,
      findings: left.length,
      events: left.reduce((n, f) => n + f.counts.events, 0),
      maxSeverity: Math.max(...left.map((f) => f.severity)),
      limit,
    });
  }
  return {
    findings: dropped.size === 0 ? findings : findings.filter((f) => !dropped.has(f)),
    omitted: mergeOmitted([...raw.map((s) => s.omitted), extra]),
  };
}

/** Build the engine. Exposed through `createDetectionEngine` in index.ts. */
export function buildEngine(
  kb: KnowledgeBase,
  config: DetectionConfig = defaultDetectionConfig(),
  opts: EngineOptions = {},
): DetectionEngine {
  const own = new CidrSet([...config.ownAddresses, ...config.ownNetworks]);
  const ownAddresses = new CidrSet(config.ownAddresses);
  const ignoredSources = new CidrSet(config.ignore.sources);
  const ignoredPort = portMatcher(config.ignore.ports);
  const maxGroups = config.maxGroupsPerDetector ?? DEFAULT_MAX_GROUPS_PER_DETECTOR;
  const maxFindings = config.maxFindingsPerDetector ?? DEFAULT_MAX_FINDINGS_PER_DETECTOR;
  const tunablesById = new Map<DetectorId, Tunables>();
  const specs: { spec: DetectorSpec; t: Tunables }[] = [];
  for (const spec of ALL_SPECS) {
    const overrides = config.detectors[spec.id];
    const t = resolveTunables(spec.tunables, overrides);
    tunablesById.set(spec.id, { ...tunablesById.get(spec.id), ...t });
    if (overrides?.['enabled'] === false) continue;
    specs.push({ spec, t });
  }
  const shardCount = opts.shardCount ?? 1;
  const ownShards = opts.shards ?? [...Array(shardCount).keys()];
  const newSpecState = ({ spec, t }: { spec: DetectorSpec; t: Tunables }): SpecState => ({
    // Source-keyed specs share the bound among the shards; the others run on shard 0 alone.
    cap: shardable(spec) ? Math.ceil(maxGroups / shardCount) : maxGroups,
    findingCap: shardable(spec) ? Math.ceil(maxFindings / shardCount) : maxFindings,
    findings: [],
    omitted: { findings: 0, events: 0, maxSeverity: 0 },
    spec,
    t,
    windowMs: (t['windowSeconds'] ?? 600) * 1000,
    cooldownMs: (t['cooldownSeconds'] ?? 3600) * 1000,
    groups: new Map(),
    pending: new Map(),
    groupQueue: new ExpiryQueue(),
    pendingQueue: new ExpiryQueue(),
  });
  // Per shard: source-keyed specs for the sources hashed to it; shard 0 also runs the specs that group
  // by target, network or kind, which need every source. Bounds are per shard, so a shard behaves the
  // same whichever thread runs it.
  const heldGeneration = Math.ceil((maxGroups * GATE_HELD_FACTOR) / shardCount);
  const liveGeneration = Math.ceil((maxGroups * GATE_LIVE_FACTOR) / shardCount);
  const shards = new Map<number, ShardState>();
  for (const index of ownShards) {
    shards.set(index, {
      states: specs.filter(({ spec }) => shardable(spec) || index === 0).map(newSpecState),
      firstOf: new BoundedCache<string, Packet | null>(heldGeneration),
      confirmed: new BoundedCache<string, number>(liveGeneration),
      mergeIndex: new BoundedCache<string, Finding>(MAX_MERGE_INDEX / 2),
      findings: [],
    });
  }
  const gateMs = Math.max(
    0,
    ...specs
      .filter(({ spec }) => spec.keyedBySource && !spec.singleEvent)
      .map(({ t }) => Math.min((t['windowSeconds'] ?? 600) * 1000, MAX_SESSION_MS)),
  );

  // Two-generation caches, not FIFO Maps: `map.delete(map.keys().next().value)` turns quadratic in V8.
  const outbound = new BoundedCache<string, number>(MAX_OUTBOUND_FLOWS / 2);
  let sawOutbound = false;
  let timeless: boolean | undefined;
  let lastTime = 0;
  let ordinal = 0;

  const remember = (key: string, time: number) => outbound.set(key, time);

  const ctx: EngineContext = {
    kb,
    tunables: (id) => tunablesById.get(id) ?? {},
    outboundSeen(from, to, port) {
      const t = outbound.get(port === undefined ? `${from}|${to}` : `${from}|${to}|${port}`);
      return t !== undefined && lastTime - t <= OUTBOUND_MEMORY_MS ? t : undefined;
    },
    outboundToSeen(to, port) {
      const t = outbound.get(`*|${to}|${port}`);
      return t !== undefined && lastTime - t <= OUTBOUND_MEMORY_MS ? t : undefined;
    },
    anyOutbound: () => sawOutbound,
    isOwn: (ip) => own.has(ip),
    isOwnAddress: (ip) => ownAddresses.has(ip),
    timeless: () => timeless === true,
  };

  /** Findings left out over a spec's bound (a weak set: forgotten once nothing else refers to them). */
  const omitted = new WeakSet<Finding>();

  /** Keep a spec's `keep` strongest findings in its shard; count the rest as omitted. */
  const prune = (shard: ShardState, state: SpecState, keep: number) => {
    if (state.findings.length <= keep) return;
    const ranked = state.findings.map((f, i) => ({ f, i })).sort((a, b) => stronger(a.f, b.f) || a.i - b.i);
    for (const { f } of ranked.slice(keep)) {
      omitted.add(f);
      countOmitted(state, f);
    }
    state.findings = state.findings.filter((f) => !omitted.has(f));
    shard.findings = shard.findings.filter((f) => !omitted.has(f));
  };

  const emit = (shard: ShardState, state: SpecState, b: Bucket, draft: FindingDraft) => {
    const finding = assemble(state.spec, b, draft, timeless === true);
    const key = `${state.spec.name}|${b.key}|${draft.variant ?? ''}`;
    const previous = shard.mergeIndex.get(key);
    if (previous && (finding.firstSeen ?? 0) - (previous.lastSeen ?? 0) <= state.cooldownMs) {
      // A later episode of a finding left out is left out too (its packets still counted).
      if (omitted.has(previous)) countOmitted(state, finding, false);
      else {
        mergeFinding(previous, finding);
        opts.onEmit?.({ key, finding: previous, cooldownMs: state.cooldownMs });
      }
      return;
    }
    shard.mergeIndex.set(key, finding);
    opts.onEmit?.({ key, finding, cooldownMs: state.cooldownMs });
    // A watcher takes findings through onEmit and never asks for the final list.
    if (opts.retainFindings === false) return;
    shard.findings.push(finding);
    state.findings.push(finding);
    // Prune in batches (at twice the bound) so keeping the strongest costs a sort per `findingCap` findings.
    if (state.findings.length >= 2 * state.findingCap) prune(shard, state, state.findingCap);
  };

  const close = (shard: ShardState, state: SpecState, b: Bucket) => {
    state.groups.delete(b.key);
    if (!state.spec.qualifies(b, state.t, ctx)) return;
    const built = state.spec.build(b, state.t, ctx);
    if (!built) return;
    for (const draft of Array.isArray(built) ? built : [built]) emit(shard, state, b, draft);
  };

  /** Close groups idle for longer than the window, and forget single packets that got no company. */
  const expire = (shard: ShardState, state: SpecState, now: number) => {
    const { groups, pending, groupQueue, pendingQueue, windowMs } = state;
    for (let t = groupQueue.peekTime(); t !== undefined && now - t > windowMs; t = groupQueue.peekTime()) {
      const key = groupQueue.shift()!;
      const b = groups.get(key);
      if (!b) continue;
      if (now - b.last > windowMs) close(shard, state, b);
      else groupQueue.push(key, b.last); // still active: look again one window after its last packet
    }
    for (
      let t = pendingQueue.peekTime();
      t !== undefined && now - t > windowMs;
      t = pendingQueue.peekTime()
    ) {
      const key = pendingQueue.shift()!;
      const first = pending.get(key);
      if (first && now - first.time > windowMs) pending.delete(key);
    }
  };

  /** Over the bound: close the oldest group (or forget the oldest single packet). */
  const evict = (shard: ShardState, state: SpecState) => {
    while (state.groups.size > state.cap) {
      const key = state.groupQueue.shift();
      if (key === undefined) break;
      const b = state.groups.get(key);
      if (b) close(shard, state, b);
    }
    while (state.pending.size > state.cap) {
      const key = state.pendingQueue.shift();
      if (key === undefined) break;
      state.pending.delete(key);
    }
  };

  const feed = (shard: ShardState, state: SpecState, p: Packet) => {
    const { groups, pending, windowMs, spec } = state;
    expire(shard, state, p.time);
    if (!spec.filter(p, ctx, state.t)) return;
    const key = spec.groupBy(p);
    let b = groups.get(key);
    if (b && (p.time - b.last > windowMs || p.time - b.first > MAX_SESSION_MS)) {
      close(shard, state, b);
      b = undefined;
    }
    if (!b) {
      let first = pending.get(key);
      if (first !== undefined && p.time - first.time > windowMs) {
        // Its window passed before the expiry queue got to it (the source gate replays first packets late).
        pending.delete(key);
        first = undefined;
      }
      if (first !== undefined && spec.admit && !spec.admit(first, p)) return;
      if (!spec.singleEvent && first === undefined) {
        // Most keys are one-shot; remembering one packet is far cheaper than a full group.
        pending.set(key, p);
        state.pendingQueue.push(key, p.time);
        if (pending.size > state.cap) evict(shard, state);
        return;
      }
      b = new GroupState(key, first?.time ?? p.time, spec.distinctIsSource === true);
      if (first) {
        pending.delete(key);
        observe(b, first, spec, ctx);
        spec.observe?.(b, first, ctx);
      }
      groups.set(key, b);
      state.groupQueue.push(key, p.time);
    }
    observe(b, p, spec, ctx);
    spec.observe?.(b, p, ctx);
    if (groups.size > state.cap) evict(shard, state);
  };

  const feedOne = (shard: ShardState, state: SpecState, p: Packet, replay?: Packet) => {
    if (timeless && state.spec.needsTime) return;
    if (replay) feed(shard, state, replay);
    feed(shard, state, p);
  };

  /** Feed one packet to a shard, through its source gate: a source's first packet is held once. */
  const feedShard = (shard: ShardState, p: Packet) => {
    let sourceLive = true;
    let replay: Packet | undefined;
    const confirmedAt = shard.confirmed.get(p.src);
    if (confirmedAt !== undefined && p.time - confirmedAt <= gateMs) shard.confirmed.set(p.src, p.time);
    else {
      const held = shard.firstOf.get(p.src);
      if (held !== undefined && held !== null && p.time - held.time <= gateMs) {
        shard.firstOf.set(p.src, null);
        shard.confirmed.set(p.src, p.time);
        replay = held;
      } else {
        shard.firstOf.set(p.src, p);
        sourceLive = false;
      }
    }
    for (const state of shard.states) {
      if (state.spec.keyedBySource && !state.spec.singleEvent) {
        if (sourceLive) feedOne(shard, state, p, replay);
      } else feedOne(shard, state, p); // single-event source specs, and on shard 0 the all-source specs
    }
  };

  /** Events of each open group when `openFindings` last looked at it: unchanged groups are not rebuilt. */
  const lookedAt = new WeakMap<Bucket, number>();

  return {
    advance(now: number) {
      if (timeless) return;
      for (const sh of shards.values()) for (const state of sh.states) expire(sh, state, now);
    },
    openFindings() {
      const out: EmittedFinding[] = [];
      for (const sh of shards.values())
        for (const state of sh.states)
          for (const b of state.groups.values()) {
            if (lookedAt.get(b) === b.events) continue;
            lookedAt.set(b, b.events);
            if (!state.spec.qualifies(b, state.t, ctx)) continue;
            const built = state.spec.build(b, state.t, ctx);
            if (!built) continue;
            for (const draft of Array.isArray(built) ? built : [built])
              out.push({
                key: `${state.spec.name}|${b.key}|${draft.variant ?? ''}`,
                finding: assemble(state.spec, b, draft, timeless === true),
                cooldownMs: state.cooldownMs,
              });
          }
      return out;
    },
    push(ev: FwEvent, raw: string) {
      ordinal++;
      if (timeless === undefined) timeless = ev.timestamp === undefined;
      let time: number;
      if (timeless) time = ordinal;
      else {
        if (ev.timestamp !== undefined) lastTime = ev.timestamp;
        time = lastTime;
      }
      if (timeless) lastTime = time;
      if (ev.sourceIp !== undefined && ignoredSources.size > 0 && ignoredSources.has(ev.sourceIp)) return;
      if (ignoredPort(ev.destinationPort)) return;
      const p = toPacket(ev, raw, time, timeless, own.size > 0 ? (ip) => own.has(ip) : undefined);
      if (!p) return;
      if (p.outbound) {
        sawOutbound = true;
        remember(`${p.src}|${p.dst}`, time);
        if (p.dport !== undefined) {
          remember(`${p.src}|${p.dst}|${p.dport}`, time);
          remember(`*|${p.dst}|${p.dport}`, time);
        }
      }
      const index = shardOf(p.src, shardCount);
      const shard = shards.get(index);
      if (shard) feedShard(shard, p);
      // Shard 0 also runs the specs that need every source (by target, network, kind).
      const zero = index === 0 ? undefined : shards.get(0);
      if (zero) for (const state of zero.states) if (!shardable(state.spec)) feedOne(zero, state, p);
    },
    stateSize: () => {
      let n = outbound.size;
      for (const sh of shards.values()) {
        n += sh.firstOf.size + sh.confirmed.size;
        for (const s of sh.states) n += s.groups.size + s.pending.size;
      }
      return n;
    },
    stateSizes() {
      const out: Record<string, number> = { outbound: outbound.size, 'gate-held': 0, 'gate-live': 0 };
      for (const sh of shards.values()) {
        out['gate-held']! += sh.firstOf.size;
        out['gate-live']! += sh.confirmed.size;
        for (const s of sh.states) {
          out[`${s.spec.name} groups`] = (out[`${s.spec.name} groups`] ?? 0) + s.groups.size;
          out[`${s.spec.name} pending`] = (out[`${s.spec.name} pending`] ?? 0) + s.pending.size;
        }
      }
      return out;
    },
    finishRaw() {
      const out: ShardFindings[] = [];
      for (const index of [...shards.keys()].sort((a, b) => a - b)) {
        const sh = shards.get(index)!;
        for (const state of sh.states) for (const b of [...state.groups.values()]) close(sh, state, b);
        for (const state of sh.states) prune(sh, state, state.findingCap);
        const left = sh.states
          .filter((s) => s.omitted.findings > 0)
          .map((s) => ({ detector: s.spec.id, ...s.omitted, limit: maxFindings }));
        out.push({ shard: index, findings: sh.findings, omitted: mergeOmitted([left]) });
      }
      return out;
    },
    finish() {
      return finishShards(this.finishRaw(), config).findings;
    },
  };
}

/** Count a finding (or only its packets, for a later episode of one already counted) as left out. */
function countOmitted(state: SpecState, f: Finding, isNew = true): void {
  if (isNew) state.omitted.findings++;
  state.omitted.events += f.counts.events;
  state.omitted.maxSeverity = Math.max(state.omitted.maxSeverity, f.severity);
}

/** Sum left-out findings per detector (over specs, shards or threads), in detector order. */
export function mergeOmitted(lists: OmittedFindings[][]): OmittedFindings[] {
  const by = new Map<string, OmittedFindings>();
  for (const o of lists.flat()) {
    const sum = by.get(o.detector);
    if (!sum) by.set(o.detector, { ...o });
    else {
      sum.findings += o.findings;
      sum.events += o.events;
      sum.maxSeverity = Math.max(sum.maxSeverity, o.maxSeverity);
      sum.limit = Math.max(sum.limit, o.limit);
    }
  }
  return [...by.values()].sort((a, b) => (a.detector < b.detector ? -1 : a.detector > b.detector ? 1 : 0));
}

/** Turn a closed group and its draft into a finding with sorted, capped lists. */
function assemble(spec: DetectorSpec, b: Bucket, draft: FindingDraft, timeless: boolean): Finding {
  const ports = draft.ports ?? [...b.ports.keys()].sort((x, y) => x - y);
  const finding: Finding = {
    detector: spec.id,
    title: draft.title,
    explanation: draft.explanation,
    severity: draft.severity,
    confidence: Math.round(Math.min(1, Math.max(0, draft.confidence)) * 100) / 100,
    sources: draft.sources?.slice(0, 100) ?? topKeys(b.sources),
    targets: topKeys(b.targets),
    ports: ports.slice(0, 200),
    counts: {
      events: b.events,
      distinctPorts: b.ports.size,
      distinctTargets: b.targets.size,
      distinctSources: draft.sources?.length ?? b.sources.size,
    },
    evidence: b.tail ? [...b.evidenceHead, evidenceOf(b.tail)] : [...b.evidenceHead],
    advice: draft.advice,
    timeBasis: timeless ? 'line-order' : 'event',
  };
  if (!timeless) {
    finding.firstSeen = b.first;
    finding.lastSeen = b.last;
  }
  const transport = topKeys(b.transports, 1)[0];
  if (transport) finding.transport = transport;
  if (draft.technique) finding.technique = draft.technique;
  return finding;
}
