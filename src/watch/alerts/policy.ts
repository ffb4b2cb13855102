// Which findings become alerts: minimum severity, trusted sources, dedup per detector and sources, token buckets per source and detector.
import { createHash } from 'node:crypto';
import type { Finding } from '../../detect/types.js';
import { detach } from '../../util/strings.js';
import type { PolicyOptions } from './types.js';

/** Default dedup window: the same detector and sources alert at most once per 15 min unless severity rises. */
export const DEDUP_MS = 15 * 60_000;
/** Default burst of alerts one source address may cause before its bucket limits it. */
export const PER_SOURCE_BURST = 5;
/** Default refill of a source's bucket: one alert per 10 min (6 an hour after the burst). */
export const PER_SOURCE_REFILL_MS = 10 * 60_000;
/** Default burst of alerts one detector may raise before its bucket limits it. */
export const PER_DETECTOR_BURST = 20;
/** Default refill of a detector's bucket: one alert per minute (60 an hour after the burst). */
export const PER_DETECTOR_REFILL_MS = 60_000;
/** Most keys remembered per table (dedup, buckets); the least recently used are forgotten beyond it. */
export const POLICY_MAX_KEYS = 20_000;
/**
 * Longest key kept as text, in characters: a longer one (a distributed scan's hundreds of sources, a source
 * that is not an address) is kept as the detector and a hash of the rest, so an entry is at most about
 * 200 bytes and a table at most POLICY_MAX_KEYS of them (about 4 MB) whatever the findings hold.
 */
export const POLICY_MAX_KEY_CHARS = 100;

/** Why a finding was not alerted: also the stats key `suppressed.<reason>`. */
export type SuppressReason = 'min_severity' | 'trusted' | 'dedup' | 'rate_source' | 'rate_detector';

/** A token bucket: `tokens` left at time `at`. */
interface Bucket {
  tokens: number;
  at: number;
}

/** State that survives a restart (written to policy.json in the state dir). */
export interface PolicyState {
  dedup: [string, { at: number; severity: number }][];
  sources: [string, Bucket][];
  detectors: [string, Bucket][];
}

/** The dedup key of a finding: its detector and its sorted sources (hashed when long). */
export function dedupKey(f: Finding): string {
  return boundedKey(`${f.detector}|${[...f.sources].sort().join(',')}`);
}

/**
 * A table key of bounded size, copied flat: text up to POLICY_MAX_KEY_CHARS as it is, a longer one as its
 * first part up to `|` and a hash. Never a slice of a longer string, so a kept key never keeps its log line.
 */
export function boundedKey(key: string): string {
  if (key.length <= POLICY_MAX_KEY_CHARS) return detach(key);
  const bar = key.indexOf('|');
  const head = bar >= 0 && bar < 64 ? key.slice(0, bar + 1) : '';
  return `${head}#${createHash('sha256').update(key).digest('base64url').slice(0, 22)}`;
}

/** Decides per finding: alert it, or suppress it for one reason (counted by the alerter). */
export class AlertPolicy {
  private readonly dedup = new Map<string, { at: number; severity: number }>();
  private readonly sources = new Map<string, Bucket>();
  private readonly detectors = new Map<string, Bucket>();
  private readonly o: Required<PolicyOptions>;

  constructor(
    private readonly minSeverity: number,
    opts: PolicyOptions = {},
    state?: PolicyState,
  ) {
    this.o = {
      dedupMs: opts.dedupMs ?? DEDUP_MS,
      perSourceBurst: opts.perSourceBurst ?? PER_SOURCE_BURST,
      perSourceRefillMs: opts.perSourceRefillMs ?? PER_SOURCE_REFILL_MS,
      perDetectorBurst: opts.perDetectorBurst ?? PER_DETECTOR_BURST,
      perDetectorRefillMs: opts.perDetectorRefillMs ?? PER_DETECTOR_REFILL_MS,
      includeTrusted: opts.includeTrusted ?? false,
    };
    if (state) {
      // Keys saved by an older version may be long: bounded as new ones are (the same hash for the same key).
      for (const [k, v] of state.dedup ?? []) touch(this.dedup, boundedKey(k), v);
      for (const [k, v] of state.sources ?? []) touch(this.sources, boundedKey(k), v);
      for (const [k, v] of state.detectors ?? []) touch(this.detectors, boundedKey(k), v);
    }
  }

  /**
   * Check a finding at time `now`; returns undefined when it is to be alerted (and takes its tokens and
   * dedup slot), or the reason it is not. Checks run cheapest first; a suppressed finding takes no tokens.
   */
  decide(f: Finding, now: number): SuppressReason | undefined {
    if (f.severity < this.minSeverity) return 'min_severity';
    if (f.suppressed === 'trusted' && !this.o.includeTrusted) return 'trusted';
    const key = dedupKey(f);
    const last = this.dedup.get(key);
    if (last && now - last.at < this.o.dedupMs && f.severity <= last.severity) return 'dedup';
    const detector = this.refill(
      this.detectors,
      f.detector,
      now,
      this.o.perDetectorBurst,
      this.o.perDetectorRefillMs,
    );
    if (detector.tokens < 1) return 'rate_detector';
    // A finding with several sources (a distributed scan) is news while any of them still has a token; it
    // takes one from each source that has one. A finding with no source at all is limited per detector only.
    const buckets = f.sources.map((s) =>
      this.refill(this.sources, boundedKey(s), now, this.o.perSourceBurst, this.o.perSourceRefillMs),
    );
    if (buckets.length > 0 && buckets.every((b) => b.tokens < 1)) return 'rate_source';
    detector.tokens -= 1;
    for (const b of buckets) if (b.tokens >= 1) b.tokens -= 1;
    touch(this.dedup, key, { at: now, severity: f.severity });
    return undefined;
  }

  /** The state to persist (bounded by POLICY_MAX_KEYS per table). */
  state(): PolicyState {
    return { dedup: [...this.dedup], sources: [...this.sources], detectors: [...this.detectors] };
  }

  private refill(
    table: Map<string, Bucket>,
    key: string,
    now: number,
    burst: number,
    refillMs: number,
  ): Bucket {
    let b = table.get(key);
    if (!b) b = { tokens: burst, at: now };
    else if (refillMs > 0 && now > b.at) {
      const whole = Math.floor((now - b.at) / refillMs);
      b.tokens = Math.min(burst, b.tokens + whole);
      // Keep the remainder of a partly refilled token (tokens are whole, time moves on in steps of refillMs).
      b.at = b.tokens >= burst ? now : b.at + whole * refillMs;
    }
    touch(table, key, b);
    return b;
  }
}

/** Put a key last (most recently used) and forget the oldest beyond POLICY_MAX_KEYS. */
function touch<V>(table: Map<string, V>, key: string, value: V): void {
  table.delete(key);
  table.set(key, value);
  if (table.size > POLICY_MAX_KEYS) table.delete(table.keys().next().value!);
}
