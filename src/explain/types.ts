// The shape of an explanation: what fwlens says about one packet or one port, in both languages.
import type { Localized } from '../knowledge/schema.js';

export type { Localized };

/** Which part of the story a section tells. */
export type Topic =
  | 'packet'
  | 'destination-port'
  | 'source-port'
  | 'addresses'
  | 'tcp-flags'
  | 'icmp'
  | 'inner-packet'
  | 'ttl'
  | 'direction';

/** Order sections are shown in, whatever order the explainers filled them. */
export const TOPIC_ORDER: readonly Topic[] = [
  'packet',
  'direction',
  'destination-port',
  'source-port',
  'addresses',
  'tcp-flags',
  'icmp',
  'inner-packet',
  'ttl',
];

/**
 * One step of the severity sum. The first reason is the starting point (its delta is the base
 * value, counted from 0); every later reason raises or lowers it. score = clamp(sum of deltas, 1, 5).
 */
export interface SeverityReason {
  delta: number;
  text: Localized;
  /** Source id (data/sources.yaml) of the fact behind the reason. */
  source?: string;
}

export interface Section {
  topic: Topic;
  title: Localized;
  lines: Localized[];
}

/** Everything fwlens can say about one packet or one port. */
export interface Explanation {
  headline: Localized;
  severity: { score: 1 | 2 | 3 | 4 | 5; reasons: SeverityReason[] };
  sections: Section[];
  advice: Localized[];
  /** What the destination port (or the queried port) is known as. */
  portLabel?: Localized;
  /** Ids of the sources (data/sources.yaml) the explanation draws on, in first-use order. */
  citations: string[];
  /** Title of each cited source, so a renderer needs no knowledge base. */
  sourceTitles: Record<string, string>;
}

/** Severity score type. */
export type Score = 1 | 2 | 3 | 4 | 5;

/** Clamp any number into the 1-5 severity scale. */
export function clampSeverity(n: number): Score {
  return Math.min(5, Math.max(1, Math.round(n))) as Score;
}
