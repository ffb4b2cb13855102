// The one shared detection engine: groups packets per spec key, bounded windows on event time, cooldown merging.
import type { FwEvent } from '../event.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import { shardOf } from '../util/shard.js';
import { keptLine, MAX_KEPT_LINE_CHARS } from '../util/strings.js';
import { CidrSet } from './addresses.js';
import { defaultDetectionConfig, portMatcher, resolveTunables } from './config.js';
import { ALL_SPECS } from './detectors/index.js';
import { addConnections, stronger } from './finding.js';
import { FindingLedger } from './finding-ledger.js';
import { OutboundMemory } from './outbound-memory.js';
import { leavesInside, toPacket } from './packet.js';
import { postProcess } from './postprocess.js';
import { ConnectionMemory, mayBeLoggedCopy, samePacketDecided } from './repeat-records.js';
import { replyKind } from './reply.js';
import { SourceGate } from './source-gate.js';
import { MAX_SESSION_MS, SpecRunner } from './spec-runner.js';
import {
  type Bucket,
  type ClosedEarly,
  DETECTOR_IDS,
  type DetectionConfig,
  type DetectionEngine,
  type DetectorId,
  type DetectorSpec,
  type EmittedFinding,
  type EngineContext,
  type EngineOptions,
  type Finding,
  type OmittedFindings,
  type Packet,
  type ShardFindings,
  type Tunables,
} from './types.js';

/** Default bound on live groups per detector spec; the least recently touched group is closed first. */
export const DEFAULT_MAX_GROUPS_PER_DETECTOR = 10_000;
/**
 * Default bound on the values (ports, addresses, spec state) one detector spec's live groups remember beyond
 * each group's first few (`heldKeys`), shared by the shards like the group bound. A group may remember up to
 * MAX_VALUES_PER_GROUP values per counter (~50,000 in all), so without it the group bound alone allowed
 * gigabytes (10,000 groups of a spoofed sweep, each with thousands of ports). At ~40 bytes a value it is
 * ~8 MB per spec; the busiest spec of the 1 M benchmark log held 48,102 at its peak.
 */
export const DEFAULT_MAX_VALUES_PER_DETECTOR = 200_000;
/**
 * Default bound on findings listed per detector spec over the whole run (shared by the source shards
 * like the group bound): past it the weakest findings are only counted (see OmittedFindings).
 */
export const DEFAULT_MAX_FINDINGS_PER_DETECTOR = 5_000;
/**
 * Packets the batched specs take at a time (EngineOptions.batchPackets). Spec after spec over a batch
 * keeps each spec's tables in the caches: measured on 200,000 benchmark lines, engine CPU 4.5-5.8 s
 * packet by packet against 3.6-3.8 s in batches of 4,096-16,384 (same findings). A batch holds its
 * packets (with their events and lines) until it runs: `analyze` of those lines peaked at 385-393 MB
 * with 1,024, 389 MB with 2,048 and 412-425 MB with 8,192; 4,096 keeps most of the speed for less.
 */
export const DEFAULT_BATCH_PACKETS = 4096;

/** What a batched spec may not ask: the outbound memory already holds its batch's later packets. */
function refuseOutbound(spec: DetectorSpec): never {
  throw new Error(
    `detector spec ${spec.name} reads the outbound memory: declare readsOutbound so it runs packet by packet`,
  );
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
): { findings: Finding[]; omitted: OmittedFindings[]; closedEarly: ClosedEarly[] } {
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
    const counted: OmittedFindings = {
      detector,
      findings: left.length,
      events: left.reduce((n, f) => n + f.counts.events, 0),
      maxSeverity: Math.max(...left.map((f) => f.severity)),
      limit,
    };
    for (const f of left) addConnections(counted, f.counts.connections);
    extra.push(counted);
  }
  return {
    findings: dropped.size === 0 ? findings : findings.filter((f) => !dropped.has(f)),
    omitted: mergeOmitted([...raw.map((s) => s.omitted), extra]),
    closedEarly: mergeClosedEarly(raw.map((s) => s.closedEarly ?? [])),
  };
}

/** Groups closed early, summed per detector, in the registry's order of detectors. */
export function mergeClosedEarly(lists: ClosedEarly[][]): ClosedEarly[] {
  const by = new Map<DetectorId, ClosedEarly>();
  for (const list of lists)
    for (const c of list) {
      const sum = by.get(c.detector);
      if (sum) {
        sum.groups += c.groups;
        sum.values += c.values;
      } else by.set(c.detector, { ...c });
    }
  return DETECTOR_IDS.filter((id) => by.has(id)).map((id) => by.get(id)!);
}

/**
 * A spec as an object with every property of DetectorSpec in one order (absent ones undefined), so every
 * spec the runners hold has one hidden class: the engine's per-packet reads of `spec.filter`, `spec.groupBy`
 * ... stay monomorphic instead of looking up ~26 spec shapes.
 */
export function normalizeSpec(spec: DetectorSpec): DetectorSpec {
  return {
    id: spec.id,
    name: spec.name,
    tunables: spec.tunables,
    filter: spec.filter,
    groupBy: spec.groupBy,
    groupKey: spec.groupKey,
    distinct: spec.distinct,
    distinctIsSource: spec.distinctIsSource,
    keyFixes: spec.keyFixes,
    clusterSeconds: spec.clusterSeconds,
    rateBinSeconds: spec.rateBinSeconds,
    singleEvent: spec.singleEvent,
    partialPackets: spec.partialPackets,
    readsOutbound: spec.readsOutbound,
    keyedBySource: spec.keyedBySource,
    admit: spec.admit,
    needsTime: spec.needsTime,
    observe: spec.observe,
    qualifies: spec.qualifies,
    build: spec.build,
  };
}

/** The enabled specs with their resolved tunables, and every detector's tunables (for `ctx.tunables`). */
function resolveSpecs(config: DetectionConfig): {
  specs: { spec: DetectorSpec; t: Tunables }[];
  tunablesById: Map<DetectorId, Tunables>;
} {
  const tunablesById = new Map<DetectorId, Tunables>();
  const specs: { spec: DetectorSpec; t: Tunables }[] = [];
  for (const spec of ALL_SPECS) {
    const overrides = config.detectors[spec.id];
    const t = resolveTunables(spec.tunables, overrides);
    tunablesById.set(spec.id, { ...tunablesById.get(spec.id), ...t });
    if (overrides?.['enabled'] === false) continue;
    specs.push({ spec: normalizeSpec(spec), t });
  }
  return { specs, tunablesById };
}

/** Detection state of one shard of the sources (see EngineOptions.shardCount). */
interface Shard {
  runners: SpecRunner[];
  gate: SourceGate;
  ledger: FindingLedger;
}

/**
 * Shards of the source addresses every run's detection uses unless told otherwise (`analyze` with any number
 * of threads, `ingest`, `watch`): each shard keeps its own share of the bounds, so where bounds are reached the
 * findings depend on this number, and the same number everywhere gives the same findings everywhere.
 */
export const SOURCE_SHARDS = 8;

/**
 * Build the engine (exposed through `createDetectionEngine` in index.ts): packets in input order, event
 * time kept here, each packet handed to its source's shard (through the source gate) and, on shard 0,
 * to the specs that need every source.
 */
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
  const maxValues = config.maxValuesPerDetector ?? DEFAULT_MAX_VALUES_PER_DETECTOR;
  const { specs, tunablesById } = resolveSpecs(config);
  const shardCount = opts.shardCount ?? SOURCE_SHARDS;
  const ownShards = opts.shards ?? [...Array(shardCount).keys()];

  const outbound = new OutboundMemory();
  // Every thread's engine sees every record in input order, so deciding repeats here, before the records are
  // split among source shards, gives every thread the same answer (and an ASA Teardown, whose first end is not
  // always the initiator, would hash to another shard than its Built message).
  const connections = new ConnectionMemory();
  /** A record held one step: it may be a logging rule's copy of the packet the next record decides. */
  let held: { ev: FwEvent; raw: string; time: number } | undefined;
  let timeless: boolean | undefined;
  let lastTime = 0;
  let ordinal = 0;
  const ctx: EngineContext = {
    kb,
    tunables: (id) => tunablesById.get(id) ?? {},
    outboundSeen: (from, to, port) => outbound.seen(from, to, port, lastTime),
    outboundToSeen: (to, port) => outbound.toSeen(to, port, lastTime),
    anyOutbound: () => outbound.any(),
    isOwn: (ip) => own.has(ip),
    isOwnAddress: (ip) => ownAddresses.has(ip),
    timeless: () => timeless === true,
  };

  const gateMs = Math.max(
    0,
    ...specs
      .filter(({ spec }) => spec.keyedBySource && !spec.singleEvent)
      .map(({ t }) => Math.min((t['windowSeconds'] ?? 600) * 1000, MAX_SESSION_MS)),
  );
  // Per shard: source-keyed specs for the sources hashed to it; shard 0 also runs the specs that group
  // by target, network or kind, which need every source. Bounds are per shard, so a shard behaves the
  // same whichever thread runs it.
  const shards = new Map<number, Shard>();
  for (const index of ownShards) {
    const ledger = new FindingLedger(
      () => timeless === true,
      opts.onEmit,
      opts.retainFindings !== false,
      opts.recentWholeFindings,
    );
    const runners = specs
      .filter(({ spec }) => shardable(spec) || index === 0)
      .map(({ spec, t }) => {
        // Source-keyed specs share the bounds among the shards; the others run on shard 0 alone.
        const share = shardable(spec) ? shardCount : 1;
        return new SpecRunner(
          spec,
          t,
          Math.ceil(maxGroups / share),
          Math.ceil(maxFindings / share),
          spec.readsOutbound
            ? ctx
            : {
                ...ctx,
                outboundSeen: () => refuseOutbound(spec),
                outboundToSeen: () => refuseOutbound(spec),
                anyOutbound: () => refuseOutbound(spec),
              },
          ledger,
          Math.ceil(maxValues / share),
        );
      });
    shards.set(index, { runners, gate: new SourceGate(maxGroups, shardCount, gateMs), ledger });
  }

  /**
   * Without shard 0 (a worker thread owning other shards) no spec here needs a packet whose source is in
   * another thread's shard, except through the outbound memory: such packets are only counted.
   */
  const skipsForeign = !shards.has(0);
  const ownIp = own.size > 0 ? (ip: string) => own.has(ip) : undefined;

  /** Whether any enabled spec reads packets that name only one address. */
  const takesPartial = specs.some(({ spec }) => spec.partialPackets === true);

  /** Every runner in a fixed order (shards ascending, specs in order): the order batches are drained in. */
  const allRunners = [...shards.keys()].sort((a, b) => a - b).flatMap((i) => shards.get(i)!.runners);
  const batchPackets = Math.max(1, opts.batchPackets ?? DEFAULT_BATCH_PACKETS);
  let queued = 0;

  /** Hand a packet to a runner: at once when it reads the outbound memory, else into its batch. */
  const offer = (runner: SpecRunner, p: Packet, replay: Packet | undefined) => {
    if (runner.spec.readsOutbound) runner.offer(p, replay, timeless === true);
    else runner.enqueue(p, replay);
  };

  /** Run the batched specs over the packets queued so far, spec after spec. */
  const flush = () => {
    if (queued === 0) return;
    queued = 0;
    for (const r of allRunners) if (r.queued > 0) r.drain(timeless === true);
  };

  /** Feed one packet to a shard, through its source gate: a source's first packet is held once. */
  const feedShard = (shard: Shard, p: Packet) => {
    const { live, replay } = shard.gate.admit(p);
    for (const runner of shard.runners) {
      if (runner.spec.keyedBySource && !runner.spec.singleEvent) {
        if (live) offer(runner, p, replay);
      } else offer(runner, p, undefined); // single-event source specs, and on shard 0 the all-source specs
    }
  };

  /** Event time of a record (line order for a log without times), kept as the engine's clock. */
  const clock = (ev: FwEvent): number => {
    ordinal++;
    if (timeless === undefined) timeless = ev.timestamp === undefined;
    let time: number;
    if (timeless) time = ordinal;
    else {
      if (ev.timestamp !== undefined) lastTime = ev.timestamp;
      time = lastTime;
    }
    if (timeless) lastTime = time;
    return time;
  };

  /** Feed one record to the detectors (at its event time). */
  const take = (ev: FwEvent, raw: string, time: number) => {
    if (ev.sourceIp !== undefined && ignoredSources.size > 0 && ignoredSources.has(ev.sourceIp)) return;
    if (ignoredPort(ev.destinationPort)) return;
    // A connection's end record after its start is the same connection again, not a new attempt.
    if (ev.connectionPhase !== undefined && !connections.counts(ev, time)) return;
    if (
      skipsForeign &&
      ev.sourceIp !== undefined &&
      ev.destinationIp !== undefined &&
      !shards.has(shardOf(ev.sourceIp, shardCount)) &&
      !leavesInside(ev, ev.sourceIp, ev.destinationIp, ownIp)
    ) {
      // Counted like any packet, so batches close where they do when one thread runs every shard.
      if (++queued >= batchPackets) flush();
      return;
    }
    // A long line is cut before a packet keeps it (held first packets, waiting single packets, evidence).
    const p =
      raw.length > MAX_KEPT_LINE_CHARS
        ? toPacket(ev, keptLine(raw), time, timeless === true, ownIp, takesPartial, true)
        : toPacket(ev, raw, time, timeless === true, ownIp, takesPartial);
    if (!p) return;
    if (p.partial) {
      // Only a source or only a target: for the specs that read such records (the firewall's own alarms).
      const shard = shards.get(shardOf(p.src, shardCount));
      if (shard) {
        for (const runner of shard.runners) if (runner.spec.partialPackets) offer(runner, p, undefined);
        if (++queued >= batchPackets) flush();
      }
      return;
    }
    if (p.outbound) outbound.record(p, time);
    // Decided now, with the outbound memory as it is at this packet, so the specs reading it can run in batches.
    p.reply = replyKind(p, ctx);
    const index = shardOf(p.src, shardCount);
    const shard = shards.get(index);
    if (shard) feedShard(shard, p);
    // Shard 0 also runs the specs that need every source (by target, network, kind).
    const zero = index === 0 ? undefined : shards.get(0);
    if (zero) for (const runner of zero.runners) if (!shardable(runner.spec)) offer(runner, p, undefined);
    if (++queued >= batchPackets) flush();
  };

  /** Feed the held record, if any, then run the batches: before anything reads the detectors' state. */
  const settle = () => {
    if (held !== undefined) {
      const h = held;
      held = undefined;
      take(h.ev, h.raw, h.time);
    }
    flush();
  };

  /** Events of each open group when `openFindings` last looked at it: unchanged groups are not rebuilt. */
  const lookedAt = new WeakMap<Bucket, number>();

  return {
    advance(now: number) {
      if (timeless) return;
      settle();
      for (const sh of shards.values()) for (const r of sh.runners) r.expire(now);
    },
    openFindings() {
      settle();
      const out: EmittedFinding[] = [];
      for (const sh of shards.values())
        for (const r of sh.runners) out.push(...r.openFindings(lookedAt, timeless === true));
      return out;
    },
    push(ev: FwEvent, raw: string) {
      if (held !== undefined) {
        const h = held;
        held = undefined;
        // ufw's `[UFW AUDIT]` then `[UFW ALLOW]` of one packet: the deciding record alone is the packet.
        if (!samePacketDecided(h.ev, ev)) take(h.ev, h.raw, h.time);
      }
      const time = clock(ev);
      if (mayBeLoggedCopy(ev)) held = { ev, raw, time };
      else take(ev, raw, time);
    },
    stateSize: () => {
      settle();
      let n = outbound.size + connections.size;
      for (const sh of shards.values()) {
        n += sh.gate.sizes.held + sh.gate.sizes.live;
        for (const r of sh.runners) n += r.groups.size + r.pending.size + r.held;
      }
      return n;
    },
    findingSizes() {
      settle();
      const sum = { listed: 0, indexed: 0, leftOut: 0, tallied: 0 };
      for (const sh of shards.values()) {
        const s = sh.ledger.sizes();
        sum.listed += s.listed;
        sum.indexed += s.indexed;
        sum.leftOut += s.leftOut;
        sum.tallied += s.tallied;
      }
      return sum;
    },
    closedEarly() {
      let n = 0;
      for (const sh of shards.values()) for (const r of sh.runners) n += r.shed + r.evicted;
      return n;
    },
    stateSizes() {
      settle();
      const out: Record<string, number> = {
        outbound: outbound.size,
        connections: connections.size,
        'gate-held': 0,
        'gate-live': 0,
      };
      for (const sh of shards.values()) {
        out['gate-held']! += sh.gate.sizes.held;
        out['gate-live']! += sh.gate.sizes.live;
        for (const r of sh.runners) {
          out[`${r.spec.name} groups`] = (out[`${r.spec.name} groups`] ?? 0) + r.groups.size;
          out[`${r.spec.name} pending`] = (out[`${r.spec.name} pending`] ?? 0) + r.pending.size;
          out[`${r.spec.name} values`] = (out[`${r.spec.name} values`] ?? 0) + r.held;
        }
      }
      return out;
    },
    finishRaw() {
      settle();
      const out: ShardFindings[] = [];
      for (const index of [...shards.keys()].sort((a, b) => a - b)) {
        const sh = shards.get(index)!;
        for (const r of sh.runners) r.closeAll();
        for (const r of sh.runners) sh.ledger.prune(r, r.findingCap);
        const left = sh.runners
          .filter((r) => r.omitted.findings > 0)
          .map((r) => ({ detector: r.spec.id, ...r.omitted, limit: maxFindings }));
        const early = mergeClosedEarly([
          sh.runners
            .filter((r) => r.evicted + r.shed > 0)
            .map((r) => ({ detector: r.spec.id, groups: r.evicted, values: r.shed })),
        ]);
        out.push({
          shard: index,
          findings: sh.ledger.findings,
          omitted: mergeOmitted([left]),
          ...(early.length > 0 ? { closedEarly: early } : {}),
        });
      }
      return out;
    },
    finish() {
      return finishShards(this.finishRaw(), config).findings;
    },
  };
}

/** Findings left out over every detector. */
export function omittedCount(omitted: readonly OmittedFindings[]): number {
  return omitted.reduce((n, o) => n + o.findings, 0);
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
      addConnections(sum, o.connections);
      sum.maxSeverity = Math.max(sum.maxSeverity, o.maxSeverity);
      sum.limit = Math.max(sum.limit, o.limit);
    }
  }
  return [...by.values()].sort((a, b) => (a.detector < b.detector ? -1 : a.detector > b.detector ? 1 : 0));
}
