// One detector spec running in one shard: its open groups and single packets, their expiry on event time,
// the bound on live groups, and closing a group into findings.
import { sourcePrefix } from './addresses.js';
import { heldKeys } from './counter.js';
import { ExpiryQueue } from './expiry-queue.js';
import { addConnections } from './finding.js';
import type { FindingLedger } from './finding-ledger.js';
import { assemble, GroupState, observe } from './group.js';
import type {
  Bucket,
  DetectorSpec,
  EmittedFinding,
  EngineContext,
  Finding,
  Packet,
  Tunables,
} from './types.js';

/** Sessions longer than this are closed and reopened (merged by cooldown), so findings appear on endless input. */
export const MAX_SESSION_MS = 24 * 3600_000;

/** How a runner finds a packet's group: by `groupBy`'s text, or by an integer form of it (`groupKey`). */
export enum KeyKind {
  Text = 0,
  Source = 1,
  Target = 2,
  SourceNet = 3,
}

const KEY_KINDS = { source: KeyKind.Source, target: KeyKind.Target, 'source-net': KeyKind.SourceNet };

/** How a spec's groups are found (see `DetectorSpec.groupKey`). */
export function keyKindOf(spec: DetectorSpec): KeyKind {
  return spec.groupKey === undefined ? KeyKind.Text : KEY_KINDS[spec.groupKey];
}

/** The key a packet's group is found by: equal for two packets exactly when `spec.groupBy` is. */
export function mapKeyOf(kind: KeyKind, spec: DetectorSpec, p: Packet): string | number {
  switch (kind) {
    case KeyKind.Source:
      return p.srcKey;
    case KeyKind.Target:
      return p.dstKey;
    case KeyKind.SourceNet:
      return sourceNetKey(p);
    default:
      return spec.groupBy(p);
  }
}

/** A source's /24 (as the top 24 bits of its integer key) or, for any other address, `sourcePrefix`. */
function sourceNetKey(p: Packet): number | string {
  const k = p.srcKey;
  return typeof k === 'number' ? k >> 8 : sourcePrefix(p.src);
}

/** Findings a runner left out over its bound, summed. */
export interface OmittedCounts {
  findings: number;
  events: number;
  /** Absent until a left-out finding had connection records, so a packet log's report is unchanged. */
  connections?: number;
  maxSeverity: number;
}

/** The state of one spec in one shard, and the steps that move it. */
export class SpecRunner {
  readonly windowMs: number;
  readonly cooldownMs: number;
  readonly groups = new Map<string | number, GroupState>();
  /** Keys seen once so far: just the packet, a group is only built on the second one. */
  readonly pending = new Map<string | number, Packet>();
  private readonly keyKind: KeyKind;
  /** One token per live group (re-queued while still active), oldest first. */
  private readonly groupQueue = new ExpiryQueue();
  private readonly pendingQueue = new ExpiryQueue();
  /** This spec's findings in its shard (also in the shard's ledger). */
  findings: Finding[] = [];
  /** Findings left out over `findingCap`. */
  readonly omitted: OmittedCounts = { findings: 0, events: 0, maxSeverity: 0 };
  /**
   * Packets (each with the held first packet to replay before it, or undefined) waiting for the next batch:
   * the first `queued` entries. The array is kept between batches (V8 drops an array's backing store when its
   * length is set to 0, and regrowing it for every batch was a tenth of all bytes a run allocated).
   */
  private readonly queue: (Packet | undefined)[] = [];
  /** Entries of `queue` in use. */
  queued = 0;
  /** Keys its live groups hold in large counters and spec state (the sum of their `held`). */
  held = 0;
  /** Groups closed early to keep `held` within `valueCap`. */
  shed = 0;
  /** Live groups closed early to keep their number within `cap`. */
  evicted = 0;
  /** Groups created so far (their `seq`). */
  private created = 0;
  /**
   * Groups that took a packet since the last look at open findings, so a look (a watcher's, four times a second)
   * reads those instead of every live group. Undefined until the first look: `analyze` never looks.
   */
  private changed: GroupState[] | undefined;

  /**
   * @param cap live groups (and pending singles) this spec may hold in its shard
   * @param findingCap findings this spec may keep in its shard
   * @param valueCap keys its live groups may hold together beyond their small counters (see `heldKeys`)
   */
  constructor(
    readonly spec: DetectorSpec,
    readonly t: Tunables,
    readonly cap: number,
    readonly findingCap: number,
    private readonly ctx: EngineContext,
    private readonly ledger: FindingLedger,
    readonly valueCap = Number.POSITIVE_INFINITY,
  ) {
    this.windowMs = (t['windowSeconds'] ?? 600) * 1000;
    this.cooldownMs = (t['cooldownSeconds'] ?? 3600) * 1000;
    this.keyKind = keyKindOf(spec);
  }

  /** Feed a packet (after the held first packet of its source, when the gate replays one). */
  offer(p: Packet, replay: Packet | undefined, timeless: boolean): void {
    if (timeless && this.spec.needsTime) return;
    if (replay) this.feed(replay);
    this.feed(p);
  }

  /** Queue a packet (and the held first packet to replay before it) for the next batch. */
  enqueue(p: Packet, replay: Packet | undefined): void {
    const q = this.queue;
    const n = this.queued;
    if (n < q.length) {
      q[n] = p;
      q[n + 1] = replay;
    } else q.push(p, replay);
    this.queued = n + 2;
  }

  /** Feed the queued packets in their order (see `DetectorSpec.readsOutbound`). */
  drain(timeless: boolean): void {
    const q = this.queue;
    // `queued` read on every round: a packet queued while the batch runs is fed in this drain too.
    for (let i = 0; i < this.queued; i += 2) this.offer(q[i]!, q[i + 1], timeless);
    // Let go of the packets (their lines and events) without giving up the array.
    q.fill(undefined, 0, this.queued);
    this.queued = 0;
  }

  /** Close every open group (end of input). */
  closeAll(): void {
    for (const b of [...this.groups.values()]) this.close(b);
  }

  /**
   * What the open groups that changed since `lookedAt` last saw them would give if they closed now, when
   * they qualify already. Nothing is closed or merged.
   */
  openFindings(lookedAt: WeakMap<Bucket, number>, timeless: boolean): EmittedFinding[] {
    const out: EmittedFinding[] = [];
    // The first look reads every live group; later ones the groups changed since, in the map's order (of creation).
    let looked: Iterable<GroupState> = this.groups.values();
    if (this.changed === undefined) this.changed = [];
    else {
      const changed = this.changed.sort((x, y) => x.seq - y.seq);
      this.changed = [];
      for (const b of changed) b.listed = false;
      looked = changed.filter((b) => this.groups.get(b.mapKey) === b);
    }
    for (const b of looked) {
      if (lookedAt.get(b) === b.events) continue;
      lookedAt.set(b, b.events);
      if (!this.spec.qualifies(b, this.t, this.ctx)) continue;
      const built = this.spec.build(b, this.t, this.ctx);
      if (!built) continue;
      for (const draft of Array.isArray(built) ? built : [built])
        out.push({
          key: `${this.spec.name}|${b.key}|${draft.variant ?? ''}`,
          finding: assemble(this.spec, b, draft, timeless),
          cooldownMs: this.cooldownMs,
        });
    }
    return out;
  }

  /** Count a finding (or only its packets, for a later episode of one already counted) as left out. */
  countOmitted(f: Finding, isNew = true): void {
    if (isNew) this.omitted.findings++;
    this.omitted.events += f.counts.events;
    addConnections(this.omitted, f.counts.connections);
    this.omitted.maxSeverity = Math.max(this.omitted.maxSeverity, f.severity);
  }

  private feed(p: Packet): void {
    const { groups, pending, windowMs, spec, ctx } = this;
    this.expire(p.time);
    if (!spec.filter(p, ctx, this.t)) return;
    const key = mapKeyOf(this.keyKind, spec, p);
    let b = groups.get(key);
    // A packet a window before the group's first (time went back: a newer log read before an older one) starts
    // another episode, as one a window after its last does.
    if (
      b &&
      (p.time - b.last > windowMs || b.first - p.time > windowMs || p.time - b.first > MAX_SESSION_MS)
    ) {
      this.close(b);
      b = undefined;
    }
    if (!b) {
      let first = pending.get(key);
      if (first !== undefined && Math.abs(p.time - first.time) > windowMs) {
        // Its window passed before the expiry queue got to it (the source gate replays first packets late).
        pending.delete(key);
        first = undefined;
      }
      if (first !== undefined && spec.admit && !spec.admit(first, p)) return;
      if (!spec.singleEvent && first === undefined) {
        // Most keys are one-shot; remembering one packet is far cheaper than a full group.
        pending.set(key, p);
        this.pendingQueue.push(key, p.time);
        if (pending.size > this.cap) this.evict();
        return;
      }
      b = new GroupState(
        this.keyKind === KeyKind.Text ? (key as string) : spec.groupBy(first ?? p),
        key,
        first?.time ?? p.time,
        spec.distinctIsSource === true,
        spec.keyFixes,
        first ?? p,
      );
      if (first) {
        pending.delete(key);
        this.record(b, first);
      }
      b.seq = this.created++;
      groups.set(key, b);
      this.groupQueue.push(key, p.time);
    }
    this.record(b, p);
    if (groups.size > this.cap) this.evict();
    if (this.held > this.valueCap) this.shedValues();
  }

  /** Count a packet into a group, and what the group took into large counters and spec state. */
  private record(b: GroupState, p: Packet): void {
    const before = heldKeys.added;
    observe(b, p, this.spec, this.ctx);
    this.spec.observe?.(b, p, this.ctx);
    const grew = heldKeys.added - before;
    if (grew !== 0) {
      b.held += grew;
      this.held += grew;
    }
    if (this.changed !== undefined && !b.listed) {
      b.listed = true;
      this.changed.push(b);
    }
  }

  private close(b: GroupState): void {
    this.groups.delete(b.mapKey);
    this.held -= b.held;
    if (!this.spec.qualifies(b, this.t, this.ctx)) return;
    const built = this.spec.build(b, this.t, this.ctx);
    if (!built) return;
    for (const draft of Array.isArray(built) ? built : [built]) this.ledger.emit(this, b, draft);
  }

  /** Close groups idle for longer than the window at event time `now`, and forget single packets that got no company. */
  expire(now: number): void {
    const { groups, pending, groupQueue, pendingQueue, windowMs } = this;
    while (groupQueue.headExpired(now, windowMs)) {
      const key = groupQueue.shift()!;
      const b = groups.get(key);
      if (!b) continue;
      if (now - b.last > windowMs) this.close(b);
      else groupQueue.push(key, b.last); // still active: look again one window after its last packet
    }
    while (pendingQueue.headExpired(now, windowMs)) {
      const key = pendingQueue.shift()!;
      const first = pending.get(key);
      if (first && now - first.time > windowMs) pending.delete(key);
    }
  }

  /**
   * Over the value bound: close the oldest groups until the live groups hold no more than `valueCap` keys. A
   * group of thousands of ports or addresses is large; this bounds their sum, where the group bound alone
   * counts them as one each.
   */
  private shedValues(): void {
    this.shed += this.closeOldest(() => this.held > this.valueCap);
  }

  /** Over the bound: close the oldest group (or forget the oldest single packet). */
  private evict(): void {
    this.evicted += this.closeOldest(() => this.groups.size > this.cap);
    while (this.pending.size > this.cap) {
      const key = this.pendingQueue.shift();
      if (key === undefined) break;
      this.pending.delete(key);
    }
  }

  /** Close the oldest live groups (judged as at any close) while `over()` holds; how many were closed. */
  private closeOldest(over: () => boolean): number {
    let n = 0;
    while (over()) {
      const key = this.groupQueue.shift();
      if (key === undefined) break;
      const b = this.groups.get(key);
      if (!b) continue;
      this.close(b);
      n++;
    }
    return n;
  }
}
