// ArcSight CEF: header and `key=value` extension syntax (escapes, spaces in values), and the generic CEF format.
import type { EventAction } from '../event.js';
import { MAX_QUOTED_VALUE_CHARS, MAX_RECORD_FIELDS } from '../util/text-scan.js';
import { actionFromName, actionFromWord, cefValues, keyedEvent, pick } from './cef-event.js';
import { APPLIANCE_FIELDS, TRAFFIC_FIELDS } from './common-fields.js';
import { damaged } from './damaged.js';
import type { Envelope, LogFormat, ParseContext, ParseResult } from './types.js';

/** The seven header fields of a CEF record, unescaped, plus the raw extension text. */
export interface CefHeader {
  version: string;
  vendor: string;
  product: string;
  deviceVersion: string;
  signatureId: string;
  name: string;
  severity: string;
  /** Extension text after the seventh `|`, not yet split into keys. */
  extension: string;
}

/** A CEF extension key: letters, digits, `_`, `.`, `-` and brackets (custom vendor keys included). */
const KEY_RE = /^[A-Za-z0-9_.[\]-]+$/;

/**
 * A CEF value with `\\n`, `\\r` and `\\x` (any other character) unescaped; a trailing lone `\\` stays. Cut to
 * MAX_QUOTED_VALUE_CHARS first.
 */
export function unescapeValue(value: string): string {
  // No field fwlens reads is this long (addresses, ports, names, actions): a longer value is cut, so a hostile
  // one of 50,000 backslashes is not unescaped pair by pair.
  const raw = value.length > MAX_QUOTED_VALUE_CHARS ? value.slice(0, MAX_QUOTED_VALUE_CHARS) : value;
  let at = raw.indexOf('\\');
  if (at < 0) return raw;
  // The runs between backslashes are copied as slices: a character at a time cost 0.3 ms on 54 KB.
  let out = '';
  let run = 0;
  while (at >= 0 && at < raw.length - 1) {
    const n = raw[at + 1];
    out += raw.slice(run, at) + (n === 'n' ? '\n' : n === 'r' ? '\r' : n);
    run = at + 2;
    at = raw.indexOf('\\', run);
  }
  return out + raw.slice(run);
}

/** Index of the next `=` at or after `from` that is not escaped by a backslash, or -1. */
function nextUnescapedEquals(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) i++;
    else if (c === 61 /* = */) return i;
  }
  return -1;
}

/** True for the characters of a CEF extension key (as KEY_RE). */
function isKeyChar(c: number): boolean {
  return (
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    (c >= 48 && c <= 57) ||
    c === 95 ||
    c === 46 ||
    c === 91 ||
    c === 93 ||
    c === 45
  );
}

/**
 * Where the key written right before the `=` at `at` starts, when a space precedes it and it is well formed;
 * else -1. Reads back over the key only: the words between two `=` are read once, not from the last space
 * every time (a long value of many `=` without spaces was quadratic).
 */
function keyStartBefore(text: string, at: number): number {
  let start = at;
  while (start > 0 && isKeyChar(text.charCodeAt(start - 1))) start--;
  return start < at && text.charCodeAt(start - 1) === 32 ? start : -1;
}

/**
 * The `=` of the first well-formed key (a space, then key characters, then `=`) whose space is at or after
 * `from`, or -1. Reads from space to space: a value of 54,000 `=` without spaces took 1 ms when every `=`
 * was tried as the end of a key. (Such an `=` is never escaped: a key character stands right before it.)
 */
function nextKeyEquals(text: string, from: number): number {
  const n = text.length;
  // One pass over the characters (no call per space either: 43,000 spaces cost 1.4 ms that way).
  for (let i = from; i < n; i++) {
    if (text.charCodeAt(i) !== 32) continue;
    let end = i + 1;
    while (end < n && isKeyChar(text.charCodeAt(end))) end++;
    if (end > i + 1 && text.charCodeAt(end) === 61 /* = */) return end;
    // Go on from the first character after this space's key characters (none read twice).
    i = end - 1;
  }
  return -1;
}

/**
 * Split a CEF extension (`src=192.0.2.1 act=Drop msg=a b\=c`) into keys and unescaped values.
 * A value runs up to the space before the next `key=`; an `=` whose left word is not a valid key
 * (`CN\\=x`) stays inside the value. A repeated key keeps its first value. Never throws.
 */
export function parseCefExtension(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let keyStart = 0;
  let eq = nextUnescapedEquals(text, 0);
  // At most MAX_RECORD_FIELDS pairs are read; the rest of a longer extension is ignored.
  for (let pairs = 0; eq >= 0 && pairs < MAX_RECORD_FIELDS; pairs++) {
    const key = text.slice(keyStart, eq).trim();
    // Find where this value ends: before the next ` key=` whose key is well formed.
    const next = nextKeyEquals(text, eq + 1);
    const nextKeyStart = next < 0 ? -1 : keyStartBefore(text, next);
    const valueEnd = next < 0 ? text.length : nextKeyStart - 1;
    if (KEY_RE.test(key) && !out.has(key)) out.set(key, unescapeValue(text.slice(eq + 1, valueEnd).trim()));
    if (nextKeyStart < 0) break;
    keyStart = nextKeyStart;
    eq = next;
  }
  return out;
}

/**
 * Where `CEF:` starts in a message (at the start, or after a syslog tag or relay text), or -1.
 * Accepts `CEF:0|` and `CEF: 0|` (some relays add a space).
 */
export function findCefStart(message: string): number {
  let at = message.indexOf('CEF:');
  while (at >= 0) {
    let i = at + 4;
    if (message.charCodeAt(i) === 32) i++;
    if (/\d/.test(message[i] ?? '') && message.charCodeAt(i + 1) === 124) return at;
    at = message.indexOf('CEF:', at + 4);
  }
  return -1;
}

/** Longest CEF header read (vendor, product, version, signature id, name, severity). */
const CEF_HEADER_MAX = 8192;

/**
 * Split `CEF:0|Vendor|...|Severity|extension` (starting at `CEF:` or right at the version digit)
 * into its header fields; `\|` and `\\` are unescaped. Returns null when fewer than seven header fields.
 */
export function parseCefHeader(text: string): CefHeader | null {
  let i = text.startsWith('CEF:') ? 4 : 0;
  if (text.charCodeAt(i) === 32) i++;
  const fields: string[] = [];
  let cur = '';
  // Runs between `\` and `|` are copied as slices (a character at a time cost milliseconds on 60 KB).
  let run = i;
  // The seven header fields are short: a header not complete within CEF_HEADER_MAX characters is none.
  const end = Math.min(text.length, i + CEF_HEADER_MAX);
  for (; i < end && fields.length < 7; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \\ */ && i + 1 < text.length) {
      cur += text.slice(run, i) + text[i + 1];
      i++;
      run = i + 1;
    } else if (c === 124 /* | */) {
      fields.push(cur + text.slice(run, i));
      cur = '';
      run = i + 1;
    }
  }
  if (fields.length < 7) cur += text.slice(run, i);
  if (fields.length < 7) return null;
  return {
    version: fields[0]!.trim(),
    vendor: fields[1]!,
    product: fields[2]!,
    deviceVersion: fields[3]!,
    signatureId: fields[4]!,
    name: fields[5]!,
    severity: fields[6]!,
    extension: text.slice(i),
  };
}

/**
 * CEF/LEEF vendors read by their own format module (lower-case vendor field -> format id).
 *
 * How a CEF or LEEF record finds its one reader: a vendor module scores 0.9 on its vendor's records;
 * the generic `cef` and `leef` formats score 0.5, and for the vendors listed here they score 0 and their
 * parsers return null, so a file that mixes devices still gives each record to exactly one format.
 * A vendor module that starts reading its CEF/LEEF export adds its vendor here.
 */
export const CEF_VENDOR_MODULES: ReadonlyMap<string, string> = new Map([
  ['check point', 'checkpoint'],
  ['forcepoint', 'forcepoint'],
  ['fortinet', 'fortigate'],
  ['palo alto networks', 'panos'],
  ['sonicwall', 'sonicwall'],
  ['watchguard', 'watchguard'],
]);

/** The decision a CEF record states: `act`, else the event name (`Connection denied`), else `log`. */
export function cefAction(fields: Map<string, string>, name: string): EventAction {
  return actionFromWord(pick(fields, 'act', 'deviceAction')) ?? actionFromName(name) ?? 'log';
}

/**
 * Parse one CEF record with the generic dictionary; null when the text holds no CEF header.
 * `decide` picks the action (vendor modules pass their own signature/name rules).
 */
export function parseCefRecord(
  formatId: string,
  message: string,
  envelope: Envelope,
  ctx: ParseContext,
  decide: (fields: Map<string, string>, header: CefHeader) => EventAction = (f, h) => cefAction(f, h.name),
): ParseResult {
  const at = findCefStart(message);
  if (at < 0) return null;
  const header = parseCefHeader(message.slice(at));
  if (!header) return damaged('parse.cef.header');
  const fields = parseCefExtension(header.extension);
  const values = cefValues(fields, decide(fields, header), ctx);
  if (values.sourceIp === undefined && values.destinationIp === undefined)
    return { skip: 'non-traffic record' };
  values.timestamp ??= envelope.timestamp;
  values.observerHost ??= envelope.host;
  values.observerProduct = `${header.vendor} ${header.product}`.trim().toLowerCase();
  return keyedEvent(formatId, values);
}

/** Generic ArcSight CEF (any vendor without its own module). */
export const cef: LogFormat = {
  id: 'cef',
  label: 'ArcSight CEF (generic)',
  description:
    'Common Event Format records (CEF:0|Vendor|Product|Version|SignatureID|Name|Severity|key=value ...) from any device without its own fwlens module.',
  example:
    'CEF:0|Acme|EdgeWall|4.2|100|Connection denied|5|src=203.0.113.7 spt=40112 dst=192.0.2.10 dpt=22 proto=TCP act=deny deviceDirection=0 rt=Mar 14 2026 08:14:00',
  fields: [...TRAFFIC_FIELDS, 'sourceMac', 'destinationMac', ...APPLIANCE_FIELDS],
  detect(message: string): number {
    const at = findCefStart(message);
    if (at < 0) return 0;
    const header = parseCefHeader(message.slice(at));
    if (!header) return 0.3;
    return CEF_VENDOR_MODULES.has(header.vendor.toLowerCase()) ? 0 : 0.5;
  },
  createParser(ctx: ParseContext) {
    return (env: Envelope) => {
      const at = findCefStart(env.message);
      if (at < 0) return null;
      const header = parseCefHeader(env.message.slice(at));
      if (header && CEF_VENDOR_MODULES.has(header.vendor.toLowerCase())) return null;
      return parseCefRecord('cef', env.message, env, ctx);
    };
  },
};
