// The one shared detection engine: groups packets per spec key, bounded windows on event time, cooldown merging.
import type { FwEvent } from '../event.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import { BoundedCache } from '../util/bounded-cache.js';
import { CidrSet } from './addresses.js';
import { defaultDetectionConfig, portMatcher, resolveTunables } from './config.js';
import { Counter } from './counter.js';
import { ALL_SPECS } from './detectors/index.js';
import { ExpiryQueue } from './expiry-queue.js';
import { mergeFinding, topKeys } from './finding.js';
import { toPacket } from './packet.js';
import { postProcess } from './postprocess.js';
import type {
  Bucket,
  DetectionConfig,
  DetectionEngine,
  DetectorId,
  DetectorSpec,
  EngineContext,
  Evidence,
  Finding,
  FindingDraft,
  Packet,
  Tunables,
} from './types.js';

/** Default bound on live groups per detector spec; the least recently touched group is closed first. */
export const DEFAULT_MAX_GROUPS_PER_DETECTOR = 20_000;
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
}

/** Per-key counters; `extra` is created on first use since most specs never need it. */
class GroupState implements Bucket {
  first: number;
  last: number;
  events = 0;
  distinct = new Counter<string>();
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
  private extraMap: Map<string, number> | undefined;

  constructor(
    readonly key: string,
    time: number,
  ) {
    this.first = time;
    this.last = time;
    this.binStart = time;
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
function observe(b: Bucket, p: Packet, spec: DetectorSpec): void {
  b.events++;
  b.last = Math.max(b.last, p.time);
  const d = spec.distinct?.(p);
  if (d !== undefined && !b.distinct.add(d, MAX_VALUES_PER_GROUP)) b.distinctOverflow++;
  b.sources.add(p.src, MAX_VALUES_PER_GROUP);
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

/** Build the engine. Exposed through `createDetectionEngine` in index.ts. */
export function buildEngine(
  kb: KnowledgeBase,
  config: DetectionConfig = defaultDetectionConfig(),
): DetectionEngine {
  const own = new CidrSet([...config.ownAddresses, ...config.ownNetworks]);
  const ownAddresses = new CidrSet(config.ownAddresses);
  const trusted = new CidrSet(config.trustedNetworks);
  const ignoredSources = new CidrSet(config.ignore.sources);
  const ignoredPort = portMatcher(config.ignore.ports);
  const maxGroups = config.maxGroupsPerDetector ?? DEFAULT_MAX_GROUPS_PER_DETECTOR;
  const tunablesById = new Map<DetectorId, Tunables>();
  const states: SpecState[] = [];
  for (const spec of ALL_SPECS) {
    const overrides = config.detectors[spec.id];
    const t = resolveTunables(spec.tunables, overrides);
    tunablesById.set(spec.id, { ...tunablesById.get(spec.id), ...t });
    if (overrides?.['enabled'] === false) continue;
    states.push({
      spec,
      t,
      windowMs: (t['windowSeconds'] ?? 600) * 1000,
      cooldownMs: (t['cooldownSeconds'] ?? 3600) * 1000,
      groups: new Map(),
      pending: new Map(),
      groupQueue: new ExpiryQueue(),
      pendingQueue: new ExpiryQueue(),
    });
  }

  // Two-generation caches, not FIFO Maps: `map.delete(map.keys().next().value)` turns quadratic in V8.
  const outbound = new BoundedCache<string, number>(MAX_OUTBOUND_FLOWS / 2);
  let sawOutbound = false;
  let timeless: boolean | undefined;
  let lastTime = 0;
  let ordinal = 0;
  const findings: Finding[] = [];
  const mergeIndex = new BoundedCache<string, Finding>(MAX_MERGE_INDEX / 2);

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

  const emit = (state: SpecState, b: Bucket, draft: FindingDraft) => {
    const finding = assemble(state.spec, b, draft, timeless === true);
    const key = `${state.spec.name}|${b.key}|${draft.variant ?? ''}`;
    const previous = mergeIndex.get(key);
    if (previous && (finding.firstSeen ?? 0) - (previous.lastSeen ?? 0) <= state.cooldownMs) {
      mergeFinding(previous, finding);
      return;
    }
    findings.push(finding);
    mergeIndex.set(key, finding);
  };

  const close = (state: SpecState, b: Bucket) => {
    state.groups.delete(b.key);
    if (!state.spec.qualifies(b, state.t, ctx)) return;
    const built = state.spec.build(b, state.t, ctx);
    if (!built) return;
    for (const draft of Array.isArray(built) ? built : [built]) emit(state, b, draft);
  };

  /** Close groups idle for longer than the window, and forget single packets that got no company. */
  const expire = (state: SpecState, now: number) => {
    const { groups, pending, groupQueue, pendingQueue, windowMs } = state;
    for (let t = groupQueue.peekTime(); t !== undefined && now - t > windowMs; t = groupQueue.peekTime()) {
      const key = groupQueue.shift()!;
      const b = groups.get(key);
      if (!b) continue;
      if (now - b.last > windowMs) close(state, b);
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
  const evict = (state: SpecState) => {
    while (state.groups.size > maxGroups) {
      const key = state.groupQueue.shift();
      if (key === undefined) break;
      const b = state.groups.get(key);
      if (b) close(state, b);
    }
    while (state.pending.size > maxGroups) {
      const key = state.pendingQueue.shift();
      if (key === undefined) break;
      state.pending.delete(key);
    }
  };

  const feed = (state: SpecState, p: Packet) => {
    const { groups, pending, windowMs, spec } = state;
    expire(state, p.time);
    if (!spec.filter(p, ctx, state.t)) return;
    const key = spec.groupBy(p);
    let b = groups.get(key);
    if (b && (p.time - b.last > windowMs || p.time - b.first > MAX_SESSION_MS)) {
      close(state, b);
      b = undefined;
    }
    if (!b) {
      const first = pending.get(key);
      if (!spec.singleEvent && first === undefined) {
        // Most keys are one-shot; remembering one packet is far cheaper than a full group.
        pending.set(key, p);
        state.pendingQueue.push(key, p.time);
        if (pending.size > maxGroups) evict(state);
        return;
      }
      b = new GroupState(key, first?.time ?? p.time);
      if (first) {
        pending.delete(key);
        observe(b, first, spec);
        spec.observe?.(b, first, ctx);
      }
      groups.set(key, b);
      state.groupQueue.push(key, p.time);
    }
    observe(b, p, spec);
    spec.observe?.(b, p, ctx);
    if (groups.size > maxGroups) evict(state);
  };

  return {
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
      for (const state of states) {
        if (timeless && state.spec.needsTime) continue;
        feed(state, p);
      }
    },
    stateSize: () => states.reduce((n, s) => n + s.groups.size + s.pending.size, 0) + outbound.size,
    finish() {
      for (const state of states) for (const b of [...state.groups.values()]) close(state, b);
      return postProcess(findings, { trusted, trustedAction: config.trustedAction });
    },
  };
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
