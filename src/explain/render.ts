// Plain-text rendering of an Explanation in one language.
import { type Lang, t } from '../i18n.js';
import { visibleText } from '../util/visible.js';
import type { Explanation } from './types.js';

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/**
 * Render an explanation as plain text: headline, severity with its reasons, sections, advice, sources.
 * Each line is made visible (visibleText): values quoted from a log line cannot drive the terminal.
 */
export function renderExplanation(x: Explanation, lang: Lang): string {
  const out: string[] = [x.headline[lang], ''];
  out.push(t('explain.render.severity', lang, { score: x.severity.score }));
  x.severity.reasons.forEach((r, i) => {
    const step = i === 0 ? ` ${r.delta}` : signed(r.delta);
    out.push(`  ${step.padStart(3)}  ${r.text[lang]}`);
  });
  const sum = x.severity.reasons.reduce((s, r) => s + r.delta, 0);
  if (sum !== x.severity.score)
    out.push(`  ${t('explain.render.clamped', lang, { sum, score: x.severity.score })}`);
  for (const s of x.sections) {
    out.push('', s.title[lang]);
    for (const line of s.lines) out.push(`  - ${line[lang]}`);
  }
  if (x.advice.length) {
    out.push('', t('explain.render.advice', lang));
    for (const a of x.advice) out.push(`  - ${a[lang]}`);
  }
  if (x.citations.length) {
    out.push('', t('explain.render.sources', lang));
    x.citations.forEach((id, i) => {
      out.push(`  [${i + 1}] ${x.sourceTitles[id] ?? id}`);
    });
  }
  return `${out.map((line) => visibleText(line)).join('\n')}\n`;
}
