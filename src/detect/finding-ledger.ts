// The findings of one shard: a new episode of a finding seen within its cooldown is merged into it, and
// each spec keeps at most its bound of the strongest findings (the rest are counted as left out).
//
// The merge index remembers up to MAX_MERGE_INDEX keys per shard, far more than the findings a shard may keep
// (`findingCap` per spec). A finding left out over the bound is replaced in it by a small LeftOut record, so a
// later episode is still counted with the omitted ones (not resurrected as new) while the finding itself, its
// texts in two languages and its evidence (~3 KB), is let go: forged sources, one finding per packet, held
// 160,000 findings alive over 8 shards and ran `analyze` out of heap.
import { BoundedCache } from '../util/bounded-cache.js';
import { mergeFinding, stronger } from './finding.js';
import { assemble } from './group.js';
import type { SpecRunner } from './spec-runner.js';
import type { Bucket, EmittedFinding, Finding, FindingDraft } from './types.js';

/** Bound on findings remembered for cooldown merging. */
export const MAX_MERGE_INDEX = 20_000;

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
}

/** One shard's findings in the order they were decided. */
export class FindingLedger {
  findings: Finding[] = [];
  /** Findings by spec and key, for cooldown merging. */
  private readonly mergeIndex = new BoundedCache<string, Finding | LeftOut>(MAX_MERGE_INDEX / 2);
  /** The merge key of each finding kept, to find its entry when it is left out. */
  private readonly keyOf = new WeakMap<Finding, string>();

  /**
   * @param timeless true when the input has no times (findings then carry line order, not times)
   * @param onEmit told of every new finding and every merge into an earlier one (see EngineOptions)
   * @param retain false when only `onEmit` takes the findings (nothing kept for `finish`)
   */
  constructor(
    private readonly timeless: () => boolean,
    private readonly onEmit?: (emitted: EmittedFinding) => void,
    private readonly retain = true,
  ) {}

  /** Record a closed group's draft: a new finding, or a later episode merged into its earlier one. */
  emit(runner: SpecRunner, b: Bucket, draft: FindingDraft): void {
    const finding = assemble(runner.spec, b, draft, this.timeless());
    const key = `${runner.spec.name}|${b.key}|${draft.variant ?? ''}`;
    const previous = this.mergeIndex.get(key);
    if (previous && (finding.firstSeen ?? 0) - (previous.lastSeen ?? 0) <= runner.cooldownMs) {
      // A later episode of a finding left out is left out too (its packets still counted).
      if (previous instanceof LeftOut) runner.countOmitted(finding, false);
      else {
        mergeFinding(previous, finding);
        this.onEmit?.({ key, finding: previous, cooldownMs: runner.cooldownMs });
      }
      return;
    }
    this.mergeIndex.set(key, finding);
    this.onEmit?.({ key, finding, cooldownMs: runner.cooldownMs });
    if (!this.retain) return;
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

  /** Findings held now: listed, referred to by the merge index, and remembered only as left out. */
  sizes(): FindingSizes {
    const indexed = new Set<Finding>();
    const leftOut = new Set<LeftOut>();
    for (const v of this.mergeIndex.values()) {
      if (v instanceof LeftOut) leftOut.add(v);
      else indexed.add(v);
    }
    return { listed: this.findings.length, indexed: indexed.size, leftOut: leftOut.size };
  }
}
