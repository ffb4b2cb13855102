// Bounded counting of non-traffic records by kind. A kind is text a log line chose (an unknown FortiGate
// `type=`, a PAN-OS type, a SonicWall `m=`), so a hostile log could otherwise make one table entry per line:
// the first MAX_NON_TRAFFIC_KINDS kinds of an input are counted by name (cut to NON_TRAFFIC_KIND_CHARS), every
// later kind under OTHER_NON_TRAFFIC_KINDS, with how many distinct kinds were folded into it. The folded kinds
// are kept as a distinct counter (their hashes, exact up to FOLDED_KINDS_EXACT, then a sketch) that goes with
// the counts, so the parts of an input merge into the number of distinct kinds, however often each recurs.
import { DistinctCounter } from '../analyze/distinct.js';
import { hash32 } from '../util/hash.js';
import { cutText } from '../util/strings.js';
import type { InputStats } from './pipeline.js';

/** Distinct kinds an input's counts name; the rest are counted together. */
export const MAX_NON_TRAFFIC_KINDS = 256;
/** Longest kind kept (ellipsis included). */
export const NON_TRAFFIC_KIND_CHARS = 80;
/** The kind every kind beyond MAX_NON_TRAFFIC_KINDS is counted under (no format gives it: theirs are words of their own). */
export const OTHER_NON_TRAFFIC_KINDS = 'other kinds';

/**
 * Add `n` to the count of `kind`, text a log chose, as the record's own property: `constructor` is not the
 * inherited Object function (which `counts[kind] ?? 0` read, making the count text), and `__proto__` is a
 * key (a plain assignment would try to set the prototype, and the records were lost).
 */
function addCount(counts: Record<string, number>, kind: string, n: number): void {
  const had = Object.hasOwn(counts, kind) ? counts[kind]! : 0;
  if (kind === '__proto__')
    Object.defineProperty(counts, kind, {
      value: had + n,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  else counts[kind] = had + n;
}

/** Folded kinds counted exactly; past this a HyperLogLog sketch estimates them (within a few per cent). */
export const FOLDED_KINDS_EXACT = 1024;

/** The non-traffic counts of one input as its lines are read. */
export class NonTrafficTally {
  /** Distinct kinds folded into OTHER_NON_TRAFFIC_KINDS (exact up to FOLDED_KINDS_EXACT, then estimated). */
  private folded: DistinctCounter | undefined;
  private named = 0;

  constructor(private readonly stats: InputStats) {
    this.named = Object.keys(stats.nonTraffic).filter((k) => k !== OTHER_NON_TRAFFIC_KINDS).length;
  }

  /** Count one record of `kind` that format `formatId` recognised. */
  add(formatId: string, kind: string): void {
    const stats = this.stats;
    let key = kind.length > NON_TRAFFIC_KIND_CHARS ? cutText(kind, NON_TRAFFIC_KIND_CHARS) : kind;
    const seen = Object.hasOwn(stats.nonTraffic, key);
    if (!seen && (this.named >= MAX_NON_TRAFFIC_KINDS || key === OTHER_NON_TRAFFIC_KINDS)) {
      this.folded ??= new DistinctCounter(FOLDED_KINDS_EXACT);
      // By the name as the table keeps it (cut), as addNonTraffic has it for a kind another part named.
      this.folded.add(hash32(key));
      key = OTHER_NON_TRAFFIC_KINDS;
      if (this.folded.exact) stats.nonTrafficOtherKinds = this.folded.size;
    } else if (!seen) this.named++;
    addCount(stats.nonTraffic, key, 1);
    const byFormat = stats.nonTrafficByFormat ?? {};
    stats.nonTrafficByFormat = byFormat;
    const byKind = byFormat[formatId] ?? {};
    byFormat[formatId] = byKind;
    addCount(byKind, key, 1);
  }

  /** Write the number of folded kinds into the stats once the input is read. */
  finish(): void {
    if (!this.folded) return;
    this.stats.nonTrafficOtherKinds = Math.round(this.folded.size);
    this.stats.nonTrafficFolded = this.folded.toPlain();
  }
}

/**
 * Add one part's non-traffic counts to an input's running total (the store reads an input in parts), with
 * the same bound: a kind the total has no room for is folded. The folded kinds are merged as a distinct
 * counter, so a kind folded in two parts counts once. A kind one part folded and another named stays counted
 * among the folded ones (its records in that part are under OTHER_NON_TRAFFIC_KINDS). An input stored before
 * the folded kinds were kept has only their number: it is kept as a floor (it cannot be merged exactly).
 */
export function addNonTraffic(into: InputStats, part: InputStats): void {
  let named = Object.keys(into.nonTraffic).filter((k) => k !== OTHER_NON_TRAFFIC_KINDS).length;
  const folded = into.nonTrafficFolded
    ? DistinctCounter.fromPlain(into.nonTrafficFolded, FOLDED_KINDS_EXACT)
    : new DistinctCounter(FOLDED_KINDS_EXACT);
  const before = into.nonTrafficFolded ? 0 : (into.nonTrafficOtherKinds ?? 0);
  if (part.nonTrafficFolded)
    folded.absorb(DistinctCounter.fromPlain(part.nonTrafficFolded, FOLDED_KINDS_EXACT));
  for (const [k, v] of Object.entries(part.nonTraffic)) {
    let key = k;
    if (!Object.hasOwn(into.nonTraffic, k) && k !== OTHER_NON_TRAFFIC_KINDS) {
      if (named >= MAX_NON_TRAFFIC_KINDS) {
        key = OTHER_NON_TRAFFIC_KINDS;
        folded.add(hash32(k));
      } else named++;
    }
    addCount(into.nonTraffic, key, v);
  }
  // By format too, each kind where the total now counts it: under its name, or folded. New objects: the
  // total's may be shared with the input as last committed (the store copies only the top level).
  if (part.nonTrafficByFormat) {
    const byFormat = { ...into.nonTrafficByFormat };
    for (const [format, kinds] of Object.entries(part.nonTrafficByFormat)) {
      const byKind = { ...byFormat[format] };
      for (const [k, v] of Object.entries(kinds)) {
        addCount(byKind, Object.hasOwn(into.nonTraffic, k) ? k : OTHER_NON_TRAFFIC_KINDS, v);
      }
      byFormat[format] = byKind;
    }
    into.nonTrafficByFormat = byFormat;
  }
  if (folded.size === 0) return;
  into.nonTrafficFolded = folded.toPlain();
  into.nonTrafficOtherKinds = Math.max(before, Math.round(folded.size));
}
