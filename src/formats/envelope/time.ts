// Timestamp helpers shared by envelopes and formats: year inference and cached stamp parsing.

import { ownValue } from '../../util/own.js';
import type { ParseContext } from '../types.js';

const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

/**
 * A year-less stamp more than this far after the reference time (the file's modification time, or now) is
 * taken to be from the year before: a line cannot be written after its file last changed, give or take the
 * stamp's zone (up to 14 hours ahead of UTC) and a clock a little off. (It was 31 days: a log of December
 * 2025 copied on 5 December 2026 then read as December 2026, weeks in the future.)
 */
export const YEAR_ROLLBACK_SLACK_MS = 2 * 24 * 3600 * 1000;

/**
 * A year-less stamp of the NEXT year at most this far after the reference time is taken to be in that year: the
 * first lines of a new year, read live just before midnight UTC, from a zone east of UTC (up to 14 hours ahead)
 * or a sender whose clock runs a little ahead. Shorter than the rollback slack: a file cannot hold lines written
 * after it last changed, so only a zone and a clock's error can put a stamp ahead of its file's time.
 */
export const YEAR_FORWARD_SLACK_MS = 15 * 3600 * 1000;

/** Month index (0-11) of an English three-letter month name, or -1. */
export function monthIndex(name: string): number {
  return ownValue(MONTHS, name) ?? -1;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function num2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9) return Number.NaN;
  return a * 10 + b;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Offsets remembered per zone clock (one per hour of the log); cleared whole past this. */
const ZONE_OFFSET_CACHE = 16_384;

/**
 * Local wall-clock time in an IANA zone (`Europe/Berlin`) to epoch ms, with its daylight-saving rules from
 * Intl (no zone data of our own). A wall time in the hour repeated when daylight saving ends is ambiguous:
 * it is read in log order (the first pass through the hour as daylight time, a stamp that would otherwise
 * run backwards as standard time) and counted in `ambiguous`. A wall time skipped when daylight saving
 * starts is read with the offset in force before the change.
 */
export class ZoneClock {
  /** Stamps that fell in a repeated hour. */
  ambiguous = 0;
  private readonly format: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();
  private last = Number.NEGATIVE_INFINITY;

  /** @throws RangeError when `zone` is no IANA time zone name this Node knows. */
  constructor(readonly zone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Offset of the zone (local minus UTC, ms) at an instant; offsets change on whole hours or halves. */
  offsetAt(t: number): number {
    const key = Math.floor(t / (HOUR_MS / 4));
    let off = this.offsets.get(key);
    if (off === undefined) {
      const p: Record<string, number> = {};
      for (const part of this.format.formatToParts(new Date(key * (HOUR_MS / 4))))
        if (part.type !== 'literal') p[part.type] = Number(part.value);
      off =
        Date.UTC(p['year']!, p['month']! - 1, p['day']!, p['hour']!, p['minute']!, p['second']!) -
        key * (HOUR_MS / 4);
      if (this.offsets.size >= ZONE_OFFSET_CACHE) this.offsets.clear();
      this.offsets.set(key, off);
    }
    return off;
  }

  /** Epoch ms of a wall-clock time (month 0-11) in this zone. */
  epoch(y: number, month: number, d: number, h: number, mi: number, s: number, ms: number): number {
    const wall = Date.UTC(y, month, d, h, mi, s, ms);
    const before = wall - this.offsetAt(wall - DAY_MS);
    const after = wall - this.offsetAt(wall + DAY_MS);
    const beforeHolds = this.offsetAt(before) === wall - before;
    const afterHolds = this.offsetAt(after) === wall - after;
    let t: number;
    if (beforeHolds && afterHolds && before !== after) {
      this.ambiguous++;
      const early = Math.min(before, after);
      const late = Math.max(before, after);
      // Log order: the second pass through the repeated hour comes after stamps later than its early reading.
      t = this.last > early && late >= this.last - HOUR_MS ? late : early;
    } else t = afterHolds && !beforeHolds ? after : before;
    this.last = t;
    return t;
  }
}

/**
 * Epoch ms of a local wall-clock time (month 0-11) that carries no zone: in the context's IANA zone
 * (`--tz Europe/Berlin`), else at its fixed offset (`--tz +01:00`; default UTC). Every parser reads
 * zone-less stamps through here.
 */
export function localTime(
  ctx: ParseContext,
  y: number,
  month: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms = 0,
): number {
  if (ctx.zone !== undefined) return ctx.zone.epoch(y, month, d, h, mi, s, ms);
  return Date.UTC(y, month, d, h, mi, s, ms) - ctx.utcOffsetMinutes * 60_000;
}

/**
 * Epoch ms for a wall-clock time without a year, choosing the year so the stamp is not far after
 * the reference time (so December lines read in January land in the previous year, and January lines read
 * live in the last hours of December, from a zone east of UTC or a clock a little ahead, in the next one).
 */
export function inferYearTime(
  ctx: ParseContext,
  month: number,
  day: number,
  h: number,
  m: number,
  s: number,
  ms = 0,
): number {
  return localTime(ctx, inferYear(ctx, month, day, h, m, s, ms), month, day, h, m, s, ms);
}

/** The year `inferYearTime` reads a year-less stamp in. */
function inferYear(
  ctx: ParseContext,
  month: number,
  day: number,
  h: number,
  m: number,
  s: number,
  ms: number,
): number {
  // Judged on the fixed-offset reading, so a zone clock sees one stamp, in the year it keeps.
  const offset = ctx.utcOffsetMinutes * 60_000;
  const reading = (y: number) => Date.UTC(y, month, day, h, m, s, ms) - offset;
  return ctx.yearGiven !== true && reading(ctx.year + 1) <= ctx.referenceTime + YEAR_FORWARD_SLACK_MS
    ? ctx.year + 1
    : reading(ctx.year) > ctx.referenceTime + YEAR_ROLLBACK_SLACK_MS
      ? ctx.year - 1
      : ctx.year;
}

/** True when day `day` (1-31) of month `month` (0-11) exists in `year` (no 30 February, 29 February in leap years only). */
export function realDay(year: number, month: number, day: number): boolean {
  // Counted, not through a Date: this runs for every stamped line, and a Date is an object per line.
  if (day < 1 || month < 0 || month > 11) return false;
  if (month !== 1) return day <= MONTH_DAYS[month]!;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (leap ? 29 : 28);
}

/** Days of each month (0-11) outside February. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A stamp at the start of a line: its length, and its time (epoch ms), or no time when it has the shape of a
 * stamp but names no real date and time (`Feb 30 05:10:00`, `Dec 99 99:99:99`): such a line is damaged, not
 * read at another time (Date.UTC carries 30 February over to 2 March) or without one.
 */
export interface StampRead {
  time?: number;
  length: number;
}

/**
 * Parse an RFC 3164 stamp `Mmm dd hh:mm:ss` (day may be space-padded or single-digit) at the start
 * of `s`. Returns [epochMs, lengthConsumed] or null (also for a stamp that names no real date and time).
 */
export function parseBsdStamp(s: string, ctx: ParseContext): [number, number] | null {
  const r = readBsdStamp(s, ctx);
  return r?.time === undefined ? null : [r.time, r.length];
}

/**
 * Read an RFC 3164 stamp `Mmm dd hh:mm:ss` at the start of `s`: null when `s` does not start with one, no
 * `time` when it has the shape of one but is no real date and time (a day past the month's end in the year it
 * is read in, an hour past 23, a minute past 59, a second past 60).
 */
export function readBsdStamp(s: string, ctx: ParseContext): StampRead | null {
  const month = monthIndex(s.slice(0, 3));
  if (month < 0 || s.charCodeAt(3) !== 32) return null;
  let i = 4;
  if (s.charCodeAt(i) === 32) i++;
  let day = 0;
  let digits = 0;
  while (isDigit(s.charCodeAt(i)) && digits < 2) {
    day = day * 10 + s.charCodeAt(i) - 48;
    i++;
    digits++;
  }
  if (digits === 0 || s.charCodeAt(i) !== 32) return null;
  i++;
  const h = num2(s, i);
  const m = num2(s, i + 3);
  const sec = num2(s, i + 6);
  if (Number.isNaN(h + m + sec) || s.charCodeAt(i + 2) !== 58 || s.charCodeAt(i + 5) !== 58) return null;
  i += 8;
  let ms = 0;
  // Some relays add fractional seconds to BSD stamps ("Jan  8 03:37:09.123").
  if (s.charCodeAt(i) === 46) {
    let j = i + 1;
    let frac = '';
    // Milliseconds need three digits; the rest of a long run is skipped, not collected.
    for (; isDigit(s.charCodeAt(j)); j++) if (frac.length < 9) frac += s[j];
    ms = Math.floor(Number(`0.${frac}`) * 1000);
    i = j;
  }
  if (day < 1 || day > 31 || h > 23 || m > 59 || sec > 60) return { length: i };
  const year = inferYear(ctx, month, day, h, m, sec, ms);
  if (!realDay(year, month, day)) return { length: i };
  return { time: localTime(ctx, year, month, day, h, m, sec, ms), length: i };
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?/;

/**
 * Parse an ISO 8601 / RFC 3339 stamp at the start of `s` (rsyslog high precision, RFC 5424).
 * A stamp without a zone is read with the context's UTC offset. Returns [epochMs, length] or null (also for
 * a stamp that names no real date and time).
 */
export function parseIsoStamp(s: string, ctx: ParseContext): [number, number] | null {
  const r = readIsoStamp(s, ctx);
  return r?.time === undefined ? null : [r.time, r.length];
}

/** `parseIsoStamp` telling a stamp that is no real date and time (`2026-02-30T…`) from no stamp, as `readBsdStamp`. */
export function readIsoStamp(s: string, ctx: ParseContext): StampRead | null {
  const m = ISO_RE.exec(s);
  if (!m) return null;
  const month = Number(m[2]) - 1;
  const day = Number(m[3]);
  const h = Number(m[4]);
  const min = Number(m[5]);
  const sec = Number(m[6]);
  if (month < 0 || month > 11 || h > 23 || min > 59 || sec > 60 || !realDay(Number(m[1]), month, day))
    return { length: m[0].length };
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  const zone = m[8];
  let t =
    zone === undefined
      ? localTime(ctx, Number(m[1]), month, day, h, min, sec, ms)
      : Date.UTC(Number(m[1]), month, day, h, min, sec, ms);
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return { time: t, length: m[0].length };
}

/** Parse `Wed Nov 25 16:46:38 2026` (ctime style, as `dmesg -T` prints it) in the context's zone. */
export function parseCtimeStamp(s: string, ctx: ParseContext): number | null {
  const m = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/.exec(s);
  if (!m) return null;
  const month = monthIndex(m[1]!);
  if (month < 0) return null;
  return localTime(ctx, Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}

/**
 * Build a parse context from a reference time (file mtime) and optional overrides: `timeZone` (an IANA
 * name) reads zone-less stamps with that zone's daylight-saving rules, `utcOffsetMinutes` at a fixed offset.
 */
/**
 * Move a live source's context to `now` (a pipe or a followed log read for months): year-less stamps are then read
 * against the clock when they come, not against when the source was opened. Not for a context with a year given
 * (`--year`), which stays where it was put.
 */
export function followClock(ctx: ParseContext, now: number): void {
  ctx.referenceTime = now;
  ctx.year = new Date(now).getUTCFullYear();
}

export function makeContext(
  referenceTime: number,
  opts: { year?: number; utcOffsetMinutes?: number; timeZone?: string } = {},
): ParseContext {
  const utcOffsetMinutes = opts.utcOffsetMinutes ?? 0;
  const zone = opts.timeZone === undefined ? undefined : new ZoneClock(opts.timeZone);
  const ctx: ParseContext =
    opts.year !== undefined
      ? // "--year Y" means the log ends in year Y: put the reference at the end of that year.
        {
          year: opts.year,
          referenceTime: Date.UTC(opts.year, 11, 31, 23, 59, 59),
          utcOffsetMinutes,
          yearGiven: true,
        }
      : { year: new Date(referenceTime).getUTCFullYear(), referenceTime, utcOffsetMinutes };
  if (zone) ctx.zone = zone;
  return ctx;
}
