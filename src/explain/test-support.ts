// Shared helpers for the explainer tests: parse a realistic line, check invariants, flatten text.
import { expect } from 'vitest';
import type { FwEvent } from '../event.js';
import { parseOneLine } from '../ingest/parse-line.js';
import { clampSeverity, type Explanation, type Topic } from './types.js';

/** Parse a log line that must be a traffic event. */
export function eventOf(line: string): FwEvent {
  const r = parseOneLine(line);
  if (r === null || 'error' in r || 'skip' in r)
    throw new Error(`not an event: ${line} -> ${JSON.stringify(r)}`);
  return r;
}

/** Every text of an explanation in one language, one string. */
export function allText(x: Explanation, lang: 'en' | 'zh'): string {
  return [
    x.headline[lang],
    ...x.severity.reasons.map((r) => r.text[lang]),
    ...x.sections.flatMap((s) => [s.title[lang], ...s.lines.map((l) => l[lang])]),
    ...x.advice.map((a) => a[lang]),
  ].join('\n');
}

/** Lines of one section in one language. */
export function sectionText(x: Explanation, topic: Topic, lang: 'en' | 'zh' = 'en'): string {
  return (x.sections.find((s) => s.topic === topic)?.lines ?? []).map((l) => l[lang]).join('\n');
}

/** Sum of the reasons' deltas (the first is the base). */
export function reasonSum(x: Explanation): number {
  return x.severity.reasons.reduce((s, r) => s + r.delta, 0);
}

/** The invariants every explanation keeps: both languages filled, score = clamp(base + deltas), sources titled. */
export function expectWellFormed(x: Explanation): void {
  const texts = [
    x.headline,
    ...x.severity.reasons.map((r) => r.text),
    ...x.sections.flatMap((s) => [s.title, ...s.lines]),
    ...x.advice,
  ];
  for (const l of texts) {
    expect(l.en.trim(), JSON.stringify(l)).not.toBe('');
    expect(l.zh.trim(), JSON.stringify(l)).not.toBe('');
    expect(l.en).not.toMatch(/\{[a-z]+\}/i);
    expect(l.zh).not.toMatch(/\{[a-z]+\}/i);
  }
  expect(/[\u4e00-\u9fff]/.test(x.headline.zh)).toBe(true);
  expect(x.severity.reasons.length).toBeGreaterThan(0);
  expect(x.severity.score).toBe(clampSeverity(reasonSum(x)));
  expect(x.advice.length).toBeGreaterThan(0);
  for (const id of x.citations) expect(x.sourceTitles[id]).toBeTruthy();
  for (const r of x.severity.reasons) if (r.source) expect(x.citations).toContain(r.source);
}
