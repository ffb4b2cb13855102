// Merging the episodes of one behaviour: which episode's explanation the merged finding shows.
import { describe, expect, it } from 'vitest';
import { MergeTally, mergeFinding, mergeIntoTally } from './finding.js';
import type { Finding } from './types.js';

/** A finding of one episode: `events` packets at `severity`, explained by its name. */
function episode(name: string, severity: Finding['severity'], events: number, at: number): Finding {
  return {
    detector: 'outbound-beacon',
    title: { en: 'beacon', zh: 'beacon' },
    explanation: { en: name, zh: name },
    severity,
    confidence: 0.8,
    firstSeen: at,
    lastSeen: at + 1000,
    sources: ['10.0.0.23'],
    targets: ['198.51.100.40'],
    ports: [17027],
    counts: { events },
    evidence: [],
    advice: { en: '', zh: '' },
  };
}

describe('mergeFinding', () => {
  it('shows the most severe episode, and among those the one with the most events', () => {
    // The sample's adware beacon: a day of retries (144 packets), then one burst to five servers (30).
    const merged = episode('retries', 4, 144, 0);
    mergeFinding(merged, episode('burst', 4, 30, 10_000));
    expect(merged.explanation.en).toBe('retries');
    expect(merged.counts).toMatchObject({ events: 174, episodes: 2 });
    // A larger episode of the same severity takes over, measured against the episode shown (144), not the sum.
    mergeFinding(merged, episode('bigger', 4, 150, 20_000));
    expect(merged.explanation.en).toBe('bigger');
    mergeFinding(merged, episode('smaller', 4, 149, 30_000));
    expect(merged.explanation.en).toBe('bigger');
    // A more severe episode takes over whatever its size; then only a larger one of that severity.
    mergeFinding(merged, episode('worse', 5, 2, 40_000));
    expect(merged).toMatchObject({ severity: 5, explanation: { en: 'worse' } });
    mergeFinding(merged, episode('milder', 4, 1000, 50_000));
    expect(merged.explanation.en).toBe('worse');
    mergeFinding(merged, episode('worse, longer', 5, 3, 60_000));
    expect(merged.explanation.en).toBe('worse, longer');
    expect(merged.counts.episodes).toBe(7);
  });

  it('adds a later episode to a tally of the earlier finding as it adds it to the whole finding', () => {
    const names: [string, Finding['severity'], number][] = [
      ['burst', 4, 30],
      ['bigger', 4, 150],
      ['smaller', 4, 149],
      ['worse', 5, 2],
      ['milder', 4, 1000],
    ];
    const merged = episode('retries', 4, 144, 0);
    names.forEach(([name, severity, events], i) => {
      const tally = new MergeTally(merged);
      const later = episode(name, severity, events, (i + 1) * 10_000);
      const told = mergeIntoTally(tally, later);
      mergeFinding(merged, episode(name, severity, events, (i + 1) * 10_000));
      const sums = (f: Finding) => [f.counts, f.firstSeen, f.lastSeen, f.severity, f.confidence];
      expect(sums(told)).toEqual(sums(merged));
      // The earlier episodes' texts were let go: the later one's stand.
      expect(told.explanation.en).toBe(name);
    });
  });

  it('keeps in a tally the events of the episode shown, so a later larger episode still takes over', () => {
    const merged = episode('retries', 4, 144, 0);
    mergeFinding(merged, episode('bigger', 4, 150, 10_000));
    const told = mergeIntoTally(new MergeTally(merged), episode('smaller', 4, 149, 20_000));
    expect(told.counts.events).toBe(443);
    // 151 beats the 150 of the episode shown, not the 443 of all.
    mergeFinding(told, episode('larger still', 4, 151, 30_000));
    expect(told.explanation.en).toBe('larger still');
  });
});
