// The findings of one shard: a new episode of a finding seen within its cooldown is merged into it, and
// each spec keeps at most its bound of the strongest findings (the rest are counted as left out).
//
// The merge index remembers up to MAX_MERGE_INDEX keys per shard, far more than the findings a shard may keep
// (`findingCap` per spec). A finding left out over the bound is replaced in it by a small LeftOut record, so a
// later episode is still counted with the omitted ones (not resurrected as new) while the finding itself, its
// texts in two languages and its evidence (~3 KB), is let go: forged sources, one finding per packet, held
// 160,000 findings alive over 8 shards and ran `analyze` out of heap.
//
// When only `onEmit` takes the findings (`fwlens watch`) nothing is listed or left out, and the merge index
// alone held up to its 20,000 keys per shard as whole findings: 130,000 after 300,000 forged packets, 428 MB
// of live heap. There it keeps whole only the RECENT_WHOLE_FINDINGS findings of its shard emitted or merged
// into last, and a MergeTally of the others: what a later episode's counts are added to.
import { BoundedCache } from '../util/bounded-cache.js';
import { MergeTally, mergeFinding, mergeIntoTally, stronger } from './finding.js';
import { assemble } from './group.js';
import type { SpecRunner } from './spec-runner.js';
import type { Bucket, EmittedFinding, Finding, FindingDraft } from './types.js';

/** Bound on findings remembered for cooldown merging. */
export const MAX_MERGE_INDEX = 20_000;

/**
 * Findings a shard's merge index holds whole when the ledger does not retain findings (`fwlens watch`): the
 * ones emitted or merged into last. A later episode of one of them is merged into it as `analyze` would; a
 * later episode of an older one is merged into its MergeTally (see `mergeIntoTally`): the watcher is told
 * the later finding carrying the counts, times, severity and confidence of every episode, with the later
 * episode's texts, lists and evidence. At ~3 KB a finding, 8 shards hold ~12 MB whole, and up to
 * MAX_MERGE_INDEX tallies each, ~160 bytes a tally beside the ~230 of its key in the index (measured).
 */
export const RECENT_WHOLE_FINDINGS = 512;

/** What the merge index keeps of a finding left out over its spec's bound: when its last episode ended. */
class LeftOut {
  constructor(readonly lastSeen: number | undefined) {}
}

/** Findings a ledger holds (for tests and memory checks). */
export interface FindingSizes {
  /** Findings kept for `finish` (at most twice each spec's `findingCap` between prunes). */
  listed: number;
  /** Findings the merge index refers to (each also listed while the ledger retains findings). */
  indexed: number;
  /** Findings left out that the merge index remembers only as a LeftOut record. */
  leftOut: number;
  /** Findings no longer among the recent ones that the merge index remembers only as a MergeTally (watch). */
  tallied: number;
}

/** One shard's findings in the order they were decided. */
export class FindingLedger {
  findings: Finding[] = [];
  /** Findings by spec and key, for cooldown merging. */
  private readonly mergeIndex = new BoundedCache<string, Finding | LeftOut | MergeTally>(MAX_MERGE_INDEX / 2);
  /** The merge key of each finding kept, to find its entry when it is left out or tallied. */
  private readonly keyOf = new WeakMap<Finding, string>();
  /**
   * Without retaining: the findings emitted or merged into last, a ring of `recentWhole` slots (a finding
   * told again takes a new slot), and the slot each took last. A finding whose last slot is taken over
   * becomes a tally in the merge index.
   */
  private readonly recent: (Finding | undefined)[] = [];
  private readonly slotOf = new WeakMap<Finding, number>();
  private told = 0;

  /**
   * @param timeless true when the input has no times (findings then carry line order, not times)
   * @param onEmit told of every new finding and every merge into an earlier one (see EngineOptions)
   * @param retain false when only `onEmit` takes the findings (nothing kept for `finish`)
   */
  constructor(
    private readonly timeless: () => boolean,
    private readonly onEmit?: (emitted: EmittedFinding) => void,
    private readonly retain = true,
    private readonly recentWhole = RECENT_WHOLE_FINDINGS,
  ) {}

  /** Record a closed group's draft: a new finding, or a later episode merged into its earlier one. */
  emit(runner: SpecRunner, b: Bucket, draft: FindingDraft): void {
    const finding = assemble(runner.spec, b, draft, this.timeless());
    const key = `${runner.spec.name}|${b.key}|${draft.variant ?? ''}`;
    const previous = this.mergeIndex.get(key);
    if (previous && (finding.firstSeen ?? 0) - (previous.lastSeen ?? 0) <= runner.cooldownMs) {
      // A later episode of a finding left out is left out too (its packets still counted).
      if (previous instanceof LeftOut) runner.countOmitted(finding, false);
      else if (previous instanceof MergeTally) {
        // Only a ledger that does not retain findings tallies them.
        const merged = mergeIntoTally(previous, finding);
        this.mergeIndex.replace(key, previous, merged);
        this.onEmit?.({ key, finding: merged, cooldownMs: runner.cooldownMs });
        this.keepRecent(key, merged);
      } else {
        mergeFinding(previous, finding);
        this.onEmit?.({ key, finding: previous, cooldownMs: runner.cooldownMs });
        if (!this.retain) this.keepRecent(key, previous);
      }
      return;
    }
    this.mergeIndex.set(key, finding);
    this.onEmit?.({ key, finding, cooldownMs: runner.cooldownMs });
    if (!this.retain) {
      this.keepRecent(key, finding);
      return;
    }
    this.keyOf.set(finding, key);
    this.findings.push(finding);
    runner.findings.push(finding);
    // Prune in batches (at twice the bound) so keeping the strongest costs a sort per `findingCap` findings.
    if (runner.findings.length >= 2 * runner.findingCap) this.prune(runner, runner.findingCap);
  }

  /** Keep a spec's `keep` strongest findings; count the rest as left out. */
  prune(runner: SpecRunner, keep: number): void {
    if (runner.findings.length <= keep) return;
    const ranked = runner.findings.map((f, i) => ({ f, i })).sort((a, b) => stronger(a.f, b.f) || a.i - b.i);
    const left = new Set<Finding>();
    for (const { f } of ranked.slice(keep)) {
      left.add(f);
      runner.countOmitted(f);
      // Its entry (when a later finding of its key has not taken it) keeps only what merging needs.
      const key = this.keyOf.get(f);
      if (key !== undefined) this.mergeIndex.replace(key, f, new LeftOut(f.lastSeen));
    }
    runner.findings = runner.findings.filter((f) => !left.has(f));
    this.findings = this.findings.filter((f) => !left.has(f));
  }

  /**
   * A finding (not retained) was just emitted or merged into: it takes the ring's next slot, and the finding
   * whose last slot that was becomes a tally in the merge index (when the index still refers to it).
   */
  private keepRecent(key: string, finding: Finding): void {
    const slot = this.told++ % this.recentWhole;
    const out = this.recent[slot];
    if (out !== undefined && out !== finding && this.slotOf.get(out) === slot) {
      const outKey = this.keyOf.get(out)!;
      this.mergeIndex.replace(outKey, out, new MergeTally(out));
    }
    this.recent[slot] = finding;
    this.slotOf.set(finding, slot);
    this.keyOf.set(finding, key);
  }

  /** Findings held now: listed, referred to by the merge index, and remembered only as left out or tallied. */
  sizes(): FindingSizes {
    const indexed = new Set<Finding>();
    const leftOut = new Set<LeftOut>();
    const tallied = new Set<MergeTally>();
    for (const v of this.mergeIndex.values()) {
      if (v instanceof LeftOut) leftOut.add(v);
      else if (v instanceof MergeTally) tallied.add(v);
      else indexed.add(v);
    }
    return {
      listed: this.findings.length,
      indexed: indexed.size,
      leftOut: leftOut.size,
      tallied: tallied.size,
    };
  }
}
