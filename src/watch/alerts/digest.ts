// The periodic digest: alerts of a period counted per detector, severity and source, kept on disk until sent.
import type { Finding } from '../../detect/types.js';
import { boundedKey } from './policy.js';
import type { DigestSummary } from './types.js';

/** Sources listed in a digest (the most frequent); the rest only count. */
export const DIGEST_TOP_SOURCES = 10;
/** Distinct sources remembered per period (memory bound on hostile input); beyond it they are counted only. */
export const DIGEST_MAX_SOURCES = 10_000;

/** Counts of one digest period; plain JSON so it can be saved as it is. */
export interface DigestState {
  from: number;
  total: number;
  byDetector: Record<string, number>;
  bySeverity: Record<string, number>;
  sources: Record<string, number>;
  maxSeverity: number;
}

/** An empty period starting at `from`. */
export function emptyDigest(from: number): DigestState {
  return { from, total: 0, byDetector: {}, bySeverity: {}, sources: {}, maxSeverity: 0 };
}

/** Count one alerted finding into the period. */
export function addToDigest(d: DigestState, f: Finding): void {
  d.total++;
  d.byDetector[f.detector] = (d.byDetector[f.detector] ?? 0) + 1;
  d.bySeverity[f.severity] = (d.bySeverity[f.severity] ?? 0) + 1;
  d.maxSeverity = Math.max(d.maxSeverity, f.severity);
  for (const source of f.sources) {
    // A flat copy of bounded length: an entry is small, the table at most DIGEST_MAX_SOURCES of them.
    const s = boundedKey(source);
    if (Object.hasOwn(d.sources, s)) d.sources[s]!++;
    else if (sourceCount(d) < DIGEST_MAX_SOURCES) {
      d.sources[s] = 1;
      counted.set(d, sourceCount(d) + 1);
    }
  }
}

/** Distinct sources of a period, counted once per period object (not by listing its keys per alert). */
const counted = new WeakMap<DigestState, number>();
function sourceCount(d: DigestState): number {
  let n = counted.get(d);
  if (n === undefined) {
    n = Object.keys(d.sources).length;
    counted.set(d, n);
  }
  return n;
}

/** The summary sent when the period ends at `to`. */
export function summarizeDigest(d: DigestState, to: number): DigestSummary {
  const topSources = Object.entries(d.sources)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, DIGEST_TOP_SOURCES)
    .map(([ip, alerts]) => ({ ip, alerts }));
  return {
    from: d.from,
    to,
    total: d.total,
    byDetector: { ...d.byDetector },
    bySeverity: { ...d.bySeverity },
    topSources,
    maxSeverity: d.maxSeverity,
  };
}
