// Detection over time for `fwlens watch`: announce a finding once when it qualifies, then only real updates.
import type { FwEvent } from '../event.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import { hash32 } from '../util/hash.js';
import { defaultDetectionConfig, resolveTunables } from './config.js';
import { ALL_SPECS } from './detectors/index.js';
import { finishFindings } from './engine.js';
import { snapshotFinding } from './finding.js';
import { createDetectionEngine } from './index.js';
import { MAX_SESSION_MS } from './spec-runner.js';
import type { DetectionConfig, DetectionEngine, EmittedFinding, Finding } from './types.js';

/** An announcement a watcher hands to its alerter. */
export interface Announcement {
  kind: 'new' | 'update';
  finding: Finding;
  /** Stable id of the episode (spec, group key, first seen): a sink may deduplicate by it. */
  id: string;
}

/** What a watcher remembers of one announced episode (persisted with the positions). */
export interface AnnouncedEpisode {
  key: string;
  /** Epoch ms (event time) the episode began and was last seen. */
  firstSeen: number;
  lastSeen: number;
  events: number;
  severity: number;
  cooldownMs: number;
}

/**
 * An update is announced when the severity rises or the events grew by this factor since the last
 * announcement (so a scan is not re-announced for every packet).
 */
export const UPDATE_GROWTH_FACTOR = 2;

/**
 * Bound on remembered announced episodes under the default group bound; the ones announced or updated
 * longest ago are forgotten first. A config with another `maxGroupsPerDetector` remembers twice that many.
 */
export const MAX_ANNOUNCED = 20_000;

/** The longest detection window (ms) under a config: how far back a restart must re-read. */
export function longestWindowMs(config: DetectionConfig = defaultDetectionConfig()): number {
  let longest = 0;
  for (const spec of ALL_SPECS) {
    const t = resolveTunables(spec.tunables, config.detectors[spec.id]);
    longest = Math.max(longest, (t['windowSeconds'] ?? 600) * 1000);
  }
  return Math.min(longest, MAX_SESSION_MS);
}

/**
 * The shared engine plus the memory of what was announced. `push` events in order; `poll` returns
 * announcements for findings that qualify now (open groups) or closed since the last poll; `advance`
 * moves event time on when the input is quiet. While `quiet` is set (a restart re-reading lines it
 * already handled), polls only refresh the memory and announce nothing.
 */
export class LiveDetector {
  readonly engine: DetectionEngine;
  private readonly closed: EmittedFinding[] = [];
  private readonly announced = new Map<string, AnnouncedEpisode>();
  private readonly config: DetectionConfig;
  private readonly maxAnnounced: number;
  /** Set while re-reading already handled lines after a restart. */
  quiet = false;
  /** Grows whenever the announced episodes change (the watcher writes its checkpoint only then). */
  revision = 0;

  constructor(kb: KnowledgeBase, config: DetectionConfig = defaultDetectionConfig()) {
    this.config = config;
    this.maxAnnounced =
      config.maxGroupsPerDetector === undefined
        ? MAX_ANNOUNCED
        : Math.max(1000, 2 * config.maxGroupsPerDetector);
    this.engine = createDetectionEngine({
      kb,
      config,
      onEmit: (e) => this.closed.push(e),
      retainFindings: false,
    });
  }

  /** Feed one parsed event (with `file`/`line` set) and its raw line. */
  push(ev: FwEvent, raw: string): void {
    this.engine.push(ev, raw);
  }

  /** Close groups idle past their window at event time `now` (ms). */
  advance(now: number): void {
    this.engine.advance?.(now);
  }

  /** New and updated findings since the last poll, in the order they were decided. */
  poll(): Announcement[] {
    const out: Announcement[] = [];
    // Open findings first: asking for them runs the engine's pending batch, which may close groups too.
    const open = this.engine.openFindings?.() ?? [];
    const seen = [...this.closed.splice(0), ...open];
    for (const e of seen) {
      const a = this.consider(e);
      if (a && !this.quiet) out.push(a);
    }
    return out;
  }

  private consider(e: EmittedFinding): Announcement | undefined {
    // Trust marks (or drops) as the report applies them, on a snapshot: the engine may still merge later
    // episodes into its finding, and what was announced must not change with it. For one finding,
    // finishFindings only sets the finding's own fields (`suppressed`, an episodes sentence as `explanation`),
    // so the snapshot also keeps the engine's finding as it was.
    const [finding] = finishFindings([snapshotFinding(e.finding)], this.config);
    if (!finding) return undefined;
    const first = finding.firstSeen ?? 0;
    const last = finding.lastSeen ?? first;
    const before = this.announced.get(e.key);
    if (before && first - before.lastSeen <= e.cooldownMs && last + e.cooldownMs >= before.firstSeen) {
      // The same episode (or a later one the engine merges into it): an update at most.
      const grew = finding.counts.events >= before.events * UPDATE_GROWTH_FACTOR;
      const worse = finding.severity > before.severity;
      if (last > before.lastSeen) {
        before.lastSeen = last;
        this.revision++;
      }
      if (!grew && !worse) return undefined;
      this.revision++;
      before.events = Math.max(before.events, finding.counts.events);
      before.severity = Math.max(before.severity, finding.severity);
      // Most recently announced last: the bound forgets from the front.
      this.announced.delete(e.key);
      this.announced.set(e.key, before);
      return { kind: 'update', finding, id: episodeId(before) };
    }
    const episode: AnnouncedEpisode = {
      key: e.key,
      firstSeen: first,
      lastSeen: last,
      events: finding.counts.events,
      severity: finding.severity,
      cooldownMs: e.cooldownMs,
    };
    this.announced.delete(e.key);
    this.announced.set(e.key, episode);
    this.revision++;
    this.bound();
    return { kind: 'new', finding, id: episodeId(episode) };
  }

  /** Forget the episodes announced longest ago (the map's first entries) over the bound: O(1) per episode, no sort. */
  private bound(): void {
    while (this.announced.size > this.maxAnnounced)
      this.announced.delete(this.announced.keys().next().value!);
  }

  /** The announced episodes to persist. */
  episodes(): AnnouncedEpisode[] {
    return [...this.announced.values()];
  }

  /** Restore persisted episodes (before any event is pushed). */
  restore(episodes: readonly AnnouncedEpisode[]): void {
    for (const ep of episodes) this.announced.set(ep.key, { ...ep });
    this.revision++;
  }
}

/** Stable id of an announced episode. */
export function episodeId(ep: Pick<AnnouncedEpisode, 'key' | 'firstSeen'>): string {
  return `${hash32(ep.key).toString(16).padStart(8, '0')}-${ep.firstSeen.toString(36)}`;
}
