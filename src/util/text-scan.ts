// Small hand scanners for text shapes whose regular expressions backtrack (quadratic time on hostile lines).
// Each one reads the text once, left to right or right to left, and returns what the replaced pattern did.

/**
 * The most fields (pairs, columns, words, flags) a record parser reads from one line. Real firewall records
 * hold a few hundred at most (FortiGate about 100 pairs, a PAN-OS threat record about 120 columns); past
 * this a line is broken or hostile, and reading on would only spend time on tens of thousands of empty
 * fields (a 64 KiB line of `|` is 65,536 of them).
 */
export const MAX_RECORD_FIELDS = 512;

/**
 * `text.split(separator)` that stops after `MAX_RECORD_FIELDS` fields (plus one, so a caller can tell a
 * record that ran over the bound from one that fits): the split never walks the rest of a hostile line.
 */
export function splitFields(text: string, separator: string | RegExp): string[] {
  return text.split(separator as string, MAX_RECORD_FIELDS + 1);
}

/**
 * The deepest nesting of objects and arrays a JSON log record may have (an Azure flow log, the deepest we
 * read, nests 7 levels). JSON.parse spends about 50 µs per thousand levels, so a 64 KiB line of `[` would
 * cost a few milliseconds to reject; a scan finds it first.
 */
export const MAX_JSON_DEPTH = 64;

/** Texts shorter than this cannot nest deep enough to be slow to parse: they are not scanned. */
const JSON_SCAN_FROM_CHARS = 4096;

/**
 * True when a JSON text nests objects and arrays at most `MAX_JSON_DEPTH` deep (strings are skipped, so
 * brackets inside them do not count). Does not validate the JSON. Short texts are accepted unscanned.
 */
export function jsonDepthWithin(text: string): boolean {
  if (text.length < JSON_SCAN_FROM_CHARS) return true;
  // The envelope reader, the document joiner and each JSON format ask about the same line in turn.
  if (text === lastDepthText) return lastDepthOk;
  lastDepthText = text;
  lastDepthOk = scanJsonDepth(text);
  return lastDepthOk;
}

let lastDepthText: string | undefined;
let lastDepthOk = true;

function scanJsonDepth(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === 92 /* \ */) i++;
        else if (s === 34) break;
      }
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > MAX_JSON_DEPTH) return false;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return true;
}

/** True for the code of a key character, `[\w.-]` (tested by code: a pattern per character costs milliseconds on 60 KB). */
export function isKeyCharCode(c: number): boolean {
  return isKeyStartCode(c) || (c >= 48 && c <= 57) || c === 46 || c === 45;
}

/** True for the code of a character that may start a key, `[A-Za-z_]`. */
export function isKeyStartCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** True for a character JavaScript's `\s` matches (the same set `String.prototype.trim` removes). */
export function isSpaceChar(ch: string): boolean {
  return ch.length === 1 && isSpaceCode(ch.charCodeAt(0));
}

/** True for the code of a character `\s` matches (by code: `trim()` on each character allocated). */
export function isSpaceCode(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Index of the last `\s` character of a text, or -1. */
export function lastSpaceIndex(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) if (isSpaceCode(text.charCodeAt(i))) return i;
  return -1;
}

/** The text without its trailing run of characters that `strip` accepts (what `/[...]+$/` removal does). */
export function trimEndWhere(text: string, strip: (ch: string) => boolean): string {
  let end = text.length;
  while (end > 0 && strip(text[end - 1]!)) end--;
  return text.slice(0, end);
}

/** A double-quoted value read by `readBackslashQuoted`: its raw inner text and the index after the quote. */
export type QuotedRead = { inner: string; end: number } | { failAt: number };

/**
 * Read `"..."` starting at `open` (a `"`), where a backslash escapes the next character: what
 * `/"((?:[^"\\]|\\.)*)"/y` matches. The inner text stays raw (escapes kept). When there is no closing quote
 * (or a backslash stands before a line end or the text end), returns where reading stopped: no quote between
 * `open` and that point can start a successful read either, so a caller may resume its search there.
 */
export function readBackslashQuoted(text: string, open: number): QuotedRead {
  const n = text.length;
  let i = open + 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) return { inner: text.slice(open + 1, i), end: i + 1 };
    if (c === 92) {
      // `.` in the pattern matches no line terminator.
      const next = text.charCodeAt(i + 1);
      if (i + 1 >= n || next === 10 || next === 13 || next === 0x2028 || next === 0x2029)
        return { failAt: i };
      i += 2;
    } else i++;
  }
  return { failAt: n };
}

/**
 * Longest escaped field value kept (quoted Junos / Check Point values, CEF and LEEF values; in characters,
 * before unescaping); a longer one is cut to it. No field fwlens reads is this long (addresses, ports, names
 * of rules, zones and applications), and unescaping a hostile value of 59,000 backslashes cost 1 ms.
 */
export const MAX_QUOTED_VALUE_CHARS = 4096;

/** The inner text of a `readBackslashQuoted` read, cut to MAX_QUOTED_VALUE_CHARS, with `\x` turned into `x`. */
export function unescapeQuoted(inner: string): string {
  const text = inner.length > MAX_QUOTED_VALUE_CHARS ? inner.slice(0, MAX_QUOTED_VALUE_CHARS) : inner;
  return text.includes('\\') ? text.replace(/\\(.)/g, '$1') : text;
}

/** Every `"..."` value of a text in order, as `text.matchAll(/"((?:[^"\\]|\\.)*)"/g)` finds them (inner text raw). */
export function backslashQuotedValues(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (let q = text.indexOf('"', from); q >= 0; q = text.indexOf('"', from)) {
    const r = readBackslashQuoted(text, q);
    if ('inner' in r) {
      out.push(r.inner);
      from = r.end;
    } else from = r.failAt;
  }
  return out;
}

/** The text with every `<...>` span removed, as `text.replace(/<[^>]*>/g, '')` does. */
export function stripAngleSpans(text: string): string {
  let out = '';
  let from = 0;
  for (let open = text.indexOf('<'); open >= 0; open = text.indexOf('<', from)) {
    const close = text.indexOf('>', open + 1);
    // Without a `>` after this `<`, no later `<` has one either.
    if (close < 0) break;
    out += text.slice(from, open);
    from = close + 1;
  }
  return out + text.slice(from);
}

/**
 * The text without its trailing `(...)` groups and the blanks before each, as
 * `text.replace(/(?:\s*\([^()]*\))+$/, '')` does (`host (user) (DOMAIN\user)` gives `host`).
 */
export function stripTrailingParenGroups(text: string): string {
  let end = text.length;
  let cut = end;
  while (end > 0 && text[end - 1] === ')') {
    const open = text.lastIndexOf('(', end - 2);
    if (open < 0 || text.lastIndexOf(')', end - 2) > open) break;
    end = open;
    while (end > 0 && isSpaceChar(text[end - 1]!)) end--;
    cut = end;
  }
  return text.slice(0, cut);
}

/**
 * True when each pattern matches, in order, after the end of the previous one's first match: what one
 * `/A.*B.*C/` test answers (for one-line text), without rescanning the tail from every place `A` matches.
 * The patterns must not be global or sticky.
 */
export function matchesInOrder(text: string, patterns: readonly RegExp[]): boolean {
  let rest = text;
  for (const re of patterns) {
    const m = re.exec(rest);
    if (!m) return false;
    rest = rest.slice(m.index + m[0].length);
  }
  return true;
}

/**
 * Split one delimited line, honouring double quotes (`"a,b"`, `""` for a quote); like `splitFields`, it stops
 * after `MAX_RECORD_FIELDS` + 1 fields.
 */
export function splitDelimited(line: string, delimiter: string): string[] {
  if (!line.includes('"')) return splitFields(line, delimiter);
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  // Runs of plain text are copied as slices (one character at a time cost a millisecond on 60 KB).
  for (let i = 0; i < line.length && out.length <= MAX_RECORD_FIELDS; ) {
    if (quoted) {
      const q = line.indexOf('"', i);
      if (q < 0) {
        cur += line.slice(i);
        i = line.length;
      } else {
        cur += line.slice(i, q);
        if (line[q + 1] === '"') {
          cur += '"';
          i = q + 2;
        } else {
          quoted = false;
          i = q + 1;
        }
      }
    } else if (line[i] === '"' && cur === '') {
      quoted = true;
      i++;
    } else if (line.startsWith(delimiter, i)) {
      out.push(cur);
      cur = '';
      i += delimiter.length;
    } else {
      // Up to the next delimiter: a quote inside is text, since the field no longer starts there.
      const next = line.indexOf(delimiter, i + 1);
      const end = next < 0 ? line.length : next;
      cur += line.slice(i, end);
      i = end;
    }
  }
  if (out.length <= MAX_RECORD_FIELDS) out.push(cur);
  return out;
}
