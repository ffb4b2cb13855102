// Reads the `key=value key2="quoted value"` records many appliances write (FortiGate, SonicWall, Sophos,
// Stormshield, Clavister, Meraki): one tokenizer, so quoting and separators are handled the same everywhere.

import { lastSpaceIndex, MAX_RECORD_FIELDS } from '../util/text-scan.js';
import { wordTable } from '../util/word-table.js';

/** How to read one record. */
export interface KeyValueOptions {
  /**
   * Separator between pairs: `space` (any run of blanks), `comma`, or `auto` (comma when the first value
   * is directly followed by `,key=`, as FortiOS writes with `csv` enabled). Default `auto`.
   */
  separator?: 'space' | 'comma' | 'auto';
  /** Keys are letters, digits, `_`, `.`, `-` by default; pass a wider pattern for vendors that need it. */
  keyPattern?: RegExp;
}

const DEFAULT_KEY = /^[A-Za-z_][\w.-]*$/;

/** True for the characters that end an unquoted value in space mode. */
function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * Where the key starts in the text before an `=`: what `gap.search(/[\s[\]]\S*$/)` finds (the last blank,
 * else the first bracket, else -1), read from the end instead of retrying the pattern at every blank.
 */
function keyBoundary(gap: string): number {
  const blank = lastSpaceIndex(gap);
  if (blank >= 0) return blank;
  const open = gap.indexOf('[');
  const close = gap.indexOf(']');
  return open < 0 ? close : close < 0 ? open : Math.min(open, close);
}

/**
 * Split a key/value record into a map. Values may be double-quoted (a quoted value keeps its spaces,
 * `\"` and `""` inside are unescaped); unquoted values end at the separator. Text that is not a
 * `key=value` pair (a leading tag, a `[section` bracket) is skipped. A repeated key keeps its first value.
 * Reads at most `MAX_RECORD_FIELDS` pairs (the rest of a longer text is ignored). Never throws.
 */
export function parseKeyValues(text: string, options: KeyValueOptions = {}): Map<string, string> {
  const keyOk = options.keyPattern ?? DEFAULT_KEY;
  let comma = options.separator === 'comma';
  if ((options.separator ?? 'auto') === 'auto')
    comma = /^\s*[\w.-]+=(?:"[^"]*"|[^\s",]*),[\w.-]+=/.test(text);
  const out = new Map<string, string>();
  const n = text.length;
  let i = 0;
  for (let pairs = 0; i < n && pairs < MAX_RECORD_FIELDS; pairs++) {
    // Skip separators.
    while (i < n && (isBlank(text.charCodeAt(i)) || (comma && text[i] === ','))) i++;
    if (i >= n) break;
    const eq = text.indexOf('=', i);
    if (eq < 0) break;
    // The key is the word right before `=`; anything in between that is not part of it is skipped.
    const gap = text.slice(i, eq);
    const sep = comma ? Math.max(gap.lastIndexOf(','), gap.lastIndexOf(' ')) : keyBoundary(gap);
    const key = sep >= 0 ? gap.slice(sep + 1) : gap;
    let value: string;
    let j = eq + 1;
    if (text[j] === '"') {
      j++;
      let v = '';
      // Plain runs are copied as slices (a character at a time cost a millisecond on a 60 KB value).
      let run = j;
      let closed = false;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 92 /* \\ */ && text.charCodeAt(j + 1) === 34) {
          v += `${text.slice(run, j)}"`;
          j += 2;
          run = j;
        } else if (
          c === 34 &&
          text.charCodeAt(j + 1) === 34 &&
          j + 2 < n &&
          !isBlank(text.charCodeAt(j + 2))
        ) {
          v += `${text.slice(run, j)}"`;
          j += 2;
          run = j;
        } else if (c === 34 /* " */) {
          v += text.slice(run, j);
          j++;
          closed = true;
          break;
        } else j++;
      }
      if (!closed) v += text.slice(run, j);
      value = v;
    } else {
      const start = j;
      while (j < n && !(comma ? text[j] === ',' : isBlank(text.charCodeAt(j)))) j++;
      value = text.slice(start, j);
    }
    if (keyOk.test(key) && !out.has(key)) out.set(key, value);
    i = j;
  }
  return out;
}

/** Count of `key=value` pairs at the start of a text, up to `max` (a cheap detection helper). */
export function leadingPairCount(text: string, max = 4): number {
  const re = /\s*[A-Za-z_][\w.-]*=(?:"[^"]*"|[^\s,"]*)[\s,]/y;
  let count = 0;
  while (count < max && re.exec(text)) count++;
  return count;
}

/**
 * Epoch ms from an all-digit epoch of any precision appliances write: seconds (10 digits), ms (13),
 * µs (16) or ns (19, FortiOS `eventtime`). Undefined for other text.
 */
export function epochDigitsToMs(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{9,19}(?:\.\d+)?$/.test(text)) return undefined;
  const [whole, fraction] = text.split('.') as [string, string | undefined];
  if (whole.length <= 10) return Math.round(Number(`${whole}.${fraction ?? 0}`) * 1000);
  if (whole.length <= 13) return Number(whole);
  if (whole.length <= 16) return Math.floor(Number(whole) / 1000);
  return Math.floor(Number(whole.slice(0, 16)) / 1000);
}

/**
 * Zone abbreviations devices write (Sophos `timezone="CET"`) that name one offset only, with that offset.
 * Ambiguous ones (CST: US Central or China; IST: India, Ireland or Israel; BST) are left out: a stamp with one
 * is read with --tz, as one without a zone.
 */
const ZONE_ABBREVIATIONS: Readonly<Record<string, string>> = wordTable({
  UTC: 'Z',
  GMT: 'Z',
  Z: 'Z',
  WET: '+00:00',
  WEST: '+01:00',
  CET: '+01:00',
  CEST: '+02:00',
  MET: '+01:00',
  MEST: '+02:00',
  EET: '+02:00',
  EEST: '+03:00',
  MSK: '+03:00',
  HKT: '+08:00',
  SGT: '+08:00',
  JST: '+09:00',
  KST: '+09:00',
  AWST: '+08:00',
  ACST: '+09:30',
  AEST: '+10:00',
  AEDT: '+11:00',
  NZST: '+12:00',
  NZDT: '+13:00',
  HST: '-10:00',
  AKST: '-09:00',
  AKDT: '-08:00',
  PST: '-08:00',
  PDT: '-07:00',
  MST: '-07:00',
  MDT: '-06:00',
  EST: '-05:00',
  EDT: '-04:00',
});

/**
 * `+0100`, `+01:00`, `-03`, `+11` or an unambiguous abbreviation (`CET`) as an ISO zone suffix (`+01:00`), or
 * undefined when it is none of these.
 */
export function isoZone(tz: string | undefined): string | undefined {
  const m = tz === undefined ? null : /^([+-])(\d{1,2}):?(\d{2})?$/.exec(tz.trim());
  if (!m) return tz === undefined ? undefined : ZONE_ABBREVIATIONS[tz.trim().toUpperCase()];
  return `${m[1]}${m[2]!.padStart(2, '0')}:${m[3] ?? '00'}`;
}
