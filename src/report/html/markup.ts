// Small HTML helpers of the report: escaping, two-language text, numbers, times and severity badges.
import type { MessageVars } from '../../i18n.js';
import type { Localized } from '../../knowledge/schema.js';
import { visibleText } from '../../util/visible.js';
import { fill, SEVERITY_WORDS, UI, type UiKey } from './strings.js';

/**
 * Escape text for HTML element content and double-quoted attributes. Control and bidi characters are
 * shown visibly first (visibleText): a right-to-left override in a log line cannot reorder what is read.
 */
export function esc(s: string | number | undefined): string {
  return visibleText(String(s ?? ''), { keepNewlines: true })
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Both languages of a text; the page's CSS shows the one chosen. Identical texts are written once. */
export function bi(text: Localized): string {
  if (text.en === text.zh) return esc(text.en);
  return `<span lang="en">${esc(text.en)}</span><span lang="zh">${esc(text.zh)}</span>`;
}

/** A fixed page text in both languages, with {name} placeholders filled. */
export function t(key: UiKey, vars?: MessageVars): string {
  return bi(vars ? fill(key, vars) : UI[key]);
}

/** A whole number with thousands separators (same in both languages). */
export function num(n: number): string {
  return n.toLocaleString('en-US');
}

/** ISO time as `2025-11-30 07:00:00 UTC`, or a dash. */
export function when(iso: string | number | undefined): string {
  if (iso === undefined) return '–';
  const s = typeof iso === 'number' ? new Date(iso).toISOString() : iso;
  return s
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z')
    .replace(/Z$/, ' UTC');
}

/** Severity badge 1-5 with its word in both languages. */
export function badge(sev: number): string {
  const s = Math.min(5, Math.max(1, Math.round(sev)));
  return `<span class="sev sev${s}" title="${s}/5">${s} ${bi(SEVERITY_WORDS[s]!)}</span>`;
}

/** A list shown as its first `max` items and "+N more". */
export function shortList(items: (string | number)[], max: number): string {
  const shown = items.slice(0, max).map((x) => esc(x));
  const rest = items.length - shown.length;
  return shown.join(', ') + (rest > 0 ? ` <span class="muted">${t('more', { n: rest })}</span>` : '');
}
