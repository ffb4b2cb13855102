// The one sanitiser for text shown to a person: control, escape and bidi characters from a log made visible.

/** What visibleText keeps as it is. */
export interface VisibleOptions {
  /**
   * Keep line feeds (U+000A). Only for multi-line text whose line breaks are ours (a page of HTML, a
   * rendered explanation); log text and one-line sentences show a line feed as `␊`.
   */
  keepNewlines?: boolean;
}

// C0 except tab, DEL, C1, bidi controls and lone surrogates; the second form also spares the line feed.
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what must not reach a reader
  /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const UNSAFE_KEEP_LF =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what must not reach a reader
  /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function shown(ch: string): string {
  const cp = ch.charCodeAt(0);
  if (cp < 0x20) return String.fromCharCode(0x2400 + cp);
  if (cp === 0x7f) return '\u2421';
  return `<U+${cp.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/**
 * Text from a log (or from the user) made safe to show on a terminal or a page, every unsafe character
 * replaced by a visible stand-in, so nothing can drive the terminal, reorder what is read, or hide:
 *
 * - C0 controls U+0000–U+001F except tab (and line feed with `keepNewlines`): their Control Pictures
 *   sign, one column wide: NUL `␀`, BEL `␇`, CR `␍`, LF `␊`, ESC `␛`.
 * - DEL (U+007F): `␡`.
 * - ESC sequences are thereby shown whole as text: CSI `␛[2J`, OSC `␛]0;title␇`; nothing of them runs.
 * - C1 controls U+0080–U+009F (the 8-bit CSI U+009B among them): `<U+009B>`.
 * - Bidi controls U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C: `<U+202E>`, so a right-to-left
 *   override cannot reorder the rest of the line.
 * - Lone surrogates (half of a pair, not a character): `<U+D800>`.
 *
 * Everything else, tab and all printable Unicode included, stays as it is. The result holds none of the
 * characters above, so applying it twice changes nothing.
 */
export function visibleText(s: string, opts: VisibleOptions = {}): string {
  return s.replace(opts.keepNewlines ? UNSAFE_KEEP_LF : UNSAFE, shown);
}

// What JSON.stringify leaves raw that a terminal may act on or reorder: DEL, C1, bidi, line/paragraph separators.
const JSON_RAW = /[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON.stringify for machine output that may land on a terminal: the same JSON (any parser reads back the
 * very same data, `event.original` included) with DEL, C1, bidi and U+2028/U+2029 characters written as
 * `\uXXXX` escapes. Such characters can only stand inside JSON strings, where the escape means the same.
 * JSON.stringify itself already escapes C0 controls and lone surrogates.
 */
export function jsonText(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(
    JSON_RAW,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
