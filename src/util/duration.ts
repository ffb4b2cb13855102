// The one phrase for a length of time, in both languages: "90 s", "14 min", "2.5 h", "3.2 days" (one owner for
// the findings' wording, the report's chart buckets and `watch --status`).
import { tBoth } from '../i18n.js';

/**
 * How a length is said. `whole`: a finding's spacing or span, in whole seconds below 120 s and whole minutes
 * below 120 min ("every 90 s" reads better than "every 1.5 min"), then hours to one decimal, and days from
 * 48 h on. `decimal`: the largest unit that gives at least one (seconds, minutes, hours, days), to one decimal.
 */
export type DurationStyle = 'whole' | 'decimal';

const one = (n: number) => Math.round(n * 10) / 10;

/** `ms` milliseconds in words, English and Chinese. */
export function duration(ms: number, style: DurationStyle = 'whole'): { en: string; zh: string } {
  if (style === 'decimal') {
    const s = ms / 1000;
    if (s < 60) return tBoth('duration.seconds', { n: one(s) });
    if (s < 3600) return tBoth('duration.minutes', { n: one(s / 60) });
    if (s < 86_400) return tBoth('duration.hours', { n: one(s / 3600) });
    return tBoth('duration.days', { n: one(s / 86_400) });
  }
  const s = Math.round(ms / 1000);
  if (s < 120) return tBoth('duration.seconds', { n: s });
  const m = Math.round(s / 60);
  if (m < 120) return tBoth('duration.minutes', { n: m });
  if (m < 48 * 60) return tBoth('duration.hours', { n: Math.round(m / 6) / 10 });
  return tBoth('duration.days', { n: one(m / 1440) });
}
