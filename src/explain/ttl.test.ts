// The hop table the detectors read per packet answers exactly as the guess the explanation words.
import { describe, expect, it } from 'vitest';
import { knowledgeBase } from '../knowledge/index.js';
import { guessInitialTtl, hopsFromTtl, initialTtls } from './ttl.js';

describe('hops from the arriving TTL', () => {
  const kb = knowledgeBase();

  it('gives what guessInitialTtl gives for every TTL, and for values outside the table', () => {
    const initials = initialTtls(kb);
    expect(initials.length).toBeGreaterThan(2);
    for (const ttl of [...Array(256).keys(), -1, 256, 300, 12.5])
      expect([ttl, hopsFromTtl(ttl, kb)]).toEqual([ttl, guessInitialTtl(ttl, initials)?.hops]);
    // Spot checks against data/ttl.yaml's common initial values.
    expect(hopsFromTtl(64, kb)).toBe(0);
    expect(hopsFromTtl(118, kb)).toBe(10);
    expect(hopsFromTtl(255, kb)).toBe(0);
  });

  it('keeps the TTL table sorted and shared', () => {
    const a = kb.ttlTable();
    expect(kb.ttlTable()).toBe(a);
    expect(a.map((e) => e.initial)).toEqual([...a.map((e) => e.initial)].sort((x, y) => x - y));
  });
});
