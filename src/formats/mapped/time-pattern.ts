// Time formats a mapping file may name: iso, epoch, epoch-ms, or a pattern such as `DD/MMM/YYYY:HH:mm:ss`.
import { localTime, monthIndex } from '../envelope/time.js';
import { timeValue } from '../flow-record.js';
import type { ParseContext } from '../types.js';

/** Reads one time value into epoch ms, or undefined when it does not match. */
export type TimeReader = (value: unknown) => number | undefined;

/** Pattern tokens: name, regex, and which date part they fill. */
const TOKENS: [string, string][] = [
  ['YYYY', '(\\d{4})'],
  ['MMM', '([A-Z][a-z]{2})'],
  ['MM', '(\\d{2})'],
  ['DD', '(\\d{2})'],
  ['D', '(\\d{1,2})'],
  ['HH', '(\\d{2})'],
  ['mm', '(\\d{2})'],
  ['ss', '(\\d{2})'],
  ['SSS', '(\\d{1,9})'],
];

/**
 * The context stamps of this mapping are read in: the run's (its --tz, zone names included) when the
 * mapping names no zone, else the mapping's fixed offset.
 */
function zonedContext(zone: string | undefined, ctx: ParseContext): ParseContext {
  if (zone === undefined) return ctx;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  const { zone: _runZone, ...fixed } = ctx;
  return { ...fixed, utcOffsetMinutes: (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) };
}

/**
 * The regular expression source of a pattern format (`DD/MMM/YYYY:HH:mm:ss`) and the tokens it captures, in
 * order. Tokens become bounded digit or letter groups and everything else is escaped, so the pattern has no
 * unbounded repetition and matches in linear time whatever a mapping file writes (the ReDoS test checks it).
 */
export function timePatternSource(format: string): { source: string; parts: string[] } {
  const parts: string[] = [];
  let source = '^';
  for (let i = 0; i < format.length; ) {
    const token = TOKENS.find(([t]) => format.startsWith(t, i));
    if (token) {
      parts.push(token[0]);
      source += token[1];
      i += token[0].length;
    } else {
      source += format[i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i++;
    }
  }
  return { source: `${source}$`, parts };
}

/** Compile a mapping's time format into a reader. */
export function compileTimePattern(format: string, zone: string | undefined, ctx: ParseContext): TimeReader {
  const zoned = zonedContext(zone, ctx);
  if (format === 'iso') {
    return (v) => (typeof v === 'string' && /^\d{4}-/.test(v) ? timeValue(v, zoned) : undefined);
  }
  if (format === 'epoch' || format === 'epoch-ms') {
    return (v) => {
      const n =
        typeof v === 'number' ? v : typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : Number.NaN;
      if (!Number.isFinite(n)) return undefined;
      return Math.round(format === 'epoch' ? n * 1000 : n);
    };
  }
  const { source, parts } = timePatternSource(format);
  const re = new RegExp(source);
  return (v) => {
    const m = typeof v === 'string' ? re.exec(v.trim()) : null;
    if (!m) return undefined;
    const d = { year: ctx.year, month: 0, day: 1, h: 0, min: 0, s: 0, ms: 0 };
    parts.forEach((p, i) => {
      const text = m[i + 1]!;
      if (p === 'YYYY') d.year = Number(text);
      else if (p === 'MMM') d.month = monthIndex(text);
      else if (p === 'MM') d.month = Number(text) - 1;
      else if (p === 'DD' || p === 'D') d.day = Number(text);
      else if (p === 'HH') d.h = Number(text);
      else if (p === 'mm') d.min = Number(text);
      else if (p === 'ss') d.s = Number(text);
      else if (p === 'SSS') d.ms = Math.floor(Number(`0.${text}`) * 1000);
    });
    if (d.month < 0 || d.month > 11 || d.day < 1 || d.day > 31 || d.h > 23 || d.min > 59 || d.s > 60)
      return undefined;
    return localTime(zoned, d.year, d.month, d.day, d.h, d.min, d.s, d.ms);
  };
}
