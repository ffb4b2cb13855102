// The findings of one shard: a new episode of a finding seen within its cooldown is merged into it, and
// each spec keeps at most its bound of the strongest findings (the rest are counted as left out).
import { BoundedCache } from '../util/bounded-cache.js';
import { mergeFinding, stronger } from './finding.js';
import { assemble } from './group.js';
import type { SpecRunner } from './spec-runner.js';
import type { Bucket, EmittedFinding, Finding, FindingDraft } from './types.js';

/** Bound on findings remembered for cooldown merging. */
export const MAX_MERGE_INDEX = 20_000;

/** One shard's findings in the order they were decided. */
export class FindingLedger {
  findings: Finding[] = [];
  /** Findings by spec and key, for cooldown merging. */
  private readonly mergeIndex = new BoundedCache<string, Finding>(MAX_MERGE_INDEX / 2);
  /** Findings left out over a spec's bound (a weak set: forgotten once nothing else refers to them). */
  private readonly left = new WeakSet<Finding>();

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
      if (this.left.has(previous)) runner.countOmitted(finding, false);
      else {
        mergeFinding(previous, finding);
        this.onEmit?.({ key, finding: previous, cooldownMs: runner.cooldownMs });
      }
      return;
    }
    this.mergeIndex.set(key, finding);
    this.onEmit?.({ key, finding, cooldownMs: runner.cooldownMs });
    if (!this.retain) return;
    this.findings.push(finding);
    runner.findings.push(finding);
    // Prune in batches (at twice the bound) so keeping the strongest costs a sort per `findingCap` findings.
    if (runner.findings.length >= 2 * runner.findingCap) this.prune(runner, runner.findingCap);
  }

  /** Keep a spec's `keep` strongest findings; count the rest as left out. */
  prune(runner: SpecRunner, keep: number): void {
    if (runner.findings.length <= keep) return;
    const ranked = runner.findings.map((f, i) => ({ f, i })).sort((a, b) => stronger(a.f, b.f) || a.i - b.i);
    for (const { f } of ranked.slice(keep)) {
      this.left.add(f);
      runner.countOmitted(f);
    }
    runner.findings = runner.findings.filter((f) => !this.left.has(f));
    this.findings = this.findings.filter((f) => !this.left.has(f));
  }
}
