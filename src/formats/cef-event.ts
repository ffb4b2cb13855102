// Turns key/value records (CEF extensions, LEEF attributes, Check Point fields) into events: action words,
// vendor time stamps and the validated endpoint fields, shared by the cef, leef, forcepoint and checkpoint formats.
import { TALLY_KEY_CHARS } from '../analyze/key-tally.js';
import type { Direction, EventAction, FwEvent } from '../event.js';
import { canonicalIp } from '../net/ip.js';
import { cutText } from '../util/strings.js';
import { inferYearTime, localTime, monthIndex, parseIsoStamp } from './envelope/time.js';
import { flowEvent } from './flow-record.js';
import type { ParseContext, ParseError } from './types.js';

const ALLOW_WORDS =
  /^(accept|accepted|allow|allowed|permit|permitted|pass|passed|encrypt|decrypt|https bypass|bypass|trust|fastpath|connection[_ ]allowed|connection[_ ]closed|close|closed)$/;
const DENY_WORDS =
  /^(deny|denied|drop|dropped|block|blocked|discard|discarded|prevent|prevented|terminate|connection[_ ]discarded|connection[_ ]denied)$/;
const REJECT_WORDS = /^(reject|rejected|refuse|refused|reset|block with reset|connection[_ ]refused)$/;
const LOG_WORDS = /^(detect|detected|log|logged|monitor|inform|alert|redirect|ask|notify)$/;

/** The decision a vendor's action word names, or undefined when the word is not a decision. */
export function actionFromWord(word: string | undefined): EventAction | undefined {
  if (word === undefined) return undefined;
  const w = word.trim().toLowerCase();
  if (ALLOW_WORDS.test(w)) return 'allow';
  if (REJECT_WORDS.test(w)) return 'reject';
  if (DENY_WORDS.test(w)) return 'deny';
  if (LOG_WORDS.test(w)) return 'log';
  return undefined;
}

/**
 * The decision an event name states (`Connection denied`, `Connection_Allowed`, `TCP_DENY`), or undefined.
 * Words are matched between non-letters, so `_` separates them.
 */
export function actionFromName(name: string): EventAction | undefined {
  const n = name.toLowerCase();
  if (NAME_ALLOW_RE.test(n)) return 'allow';
  if (NAME_REJECT_RE.test(n)) return 'reject';
  if (NAME_DENY_RE.test(n)) return 'deny';
  return undefined;
}

const NAME_ALLOW_RE =
  /(?:^|[^a-z])(?:allow|allowed|accept|accepted|permit|permitted|pass|passed)(?:[^a-z]|$)/;
const NAME_REJECT_RE = /(?:^|[^a-z])(?:reject|rejected|reset|refused)(?:[^a-z]|$)/;
const NAME_DENY_RE = /(?:^|[^a-z])(?:deny|denied|drop|dropped|block|blocked|discard|discarded)(?:[^a-z]|$)/;

const ZONE_RE = /^(?:UTC|GMT|Z|[+-]\d{2}:?\d{2})$/;

function zoneOffsetMs(zone: string): number {
  if (zone === 'UTC' || zone === 'GMT' || zone === 'Z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

/** Longest vendor time text read (`Mar 14 2026 08:31:00.123 Europe/Berlin` and ISO stamps fit easily). */
const MAX_VENDOR_TIME_CHARS = 96;
const MDY_RE = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{4}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(?: (\S+))?$/;
const MD_RE = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/;

/**
 * Epoch ms from the time values CEF/LEEF devices write: epoch ms or seconds, ISO 8601,
 * `Sep 14 2021 13:58:33[.123] [zone]` or a year-less `Sep 14 13:58:33`. Undefined when unreadable.
 */
export function parseVendorTime(text: string | undefined, ctx: ParseContext): number | undefined {
  // No stamp is longer than this; a longer value is not read as one (a hostile 50 KB value cost 0.2 ms).
  if (text === undefined || text === '' || text.length > MAX_VENDOR_TIME_CHARS) return undefined;
  const t = text.trim();
  if (/^\d{13}$/.test(t)) return Number(t);
  if (/^\d{9,10}(?:\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  if (/^\d{4}-\d{2}-\d{2}/.test(t)) return parseIsoStamp(t, ctx)?.[0];
  let m = MDY_RE.exec(t);
  if (m) {
    const month = monthIndex(m[1]!);
    if (month < 0) return undefined;
    const ms = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
    const [y, d, h, mi, s] = [m[3], m[2], m[4], m[5], m[6]].map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    // A stamp without its own zone is read in the context's (--tz).
    if (m[8] === undefined || !ZONE_RE.test(m[8])) return localTime(ctx, y, month, d, h, mi, s, ms);
    return Date.UTC(y, month, d, h, mi, s, ms) - zoneOffsetMs(m[8]);
  }
  m = MD_RE.exec(t);
  if (m) {
    const month = monthIndex(m[1]!);
    if (month < 0) return undefined;
    const ms = m[6] ? Number(m[6].padEnd(3, '0')) : 0;
    return inferYearTime(ctx, month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), ms);
  }
  return undefined;
}

/** What a key/value record says about a packet or connection, as text, before validation. */
export interface KeyedValues {
  sourceIp?: string;
  destinationIp?: string;
  sourcePort?: string;
  destinationPort?: string;
  protocol?: string;
  action: EventAction;
  direction?: Direction;
  timestamp?: number;
  inInterface?: string;
  outInterface?: string;
  ruleName?: string;
  observerHost?: string;
  observerProduct?: string;
  sourceMac?: string;
  destinationMac?: string;
  icmpType?: string;
  icmpCode?: string;
}

const MAC_RE = /^[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}$/;

/** Validate the values and build the event; an error names the first bad address, port or protocol. */
export function keyedEvent(format: string, v: KeyedValues): FwEvent | ParseError {
  const ev = flowEvent(format, v.action, v.direction ?? 'unknown', {
    sourceIp: v.sourceIp,
    destinationIp: v.destinationIp,
    sourcePort: v.sourcePort,
    destinationPort: v.destinationPort,
    protocol: v.protocol,
  });
  if ('error' in ev) return ev;
  if (v.timestamp !== undefined) ev.timestamp = v.timestamp;
  if (v.inInterface) ev.inInterface = v.inInterface;
  if (v.outInterface) ev.outInterface = v.outInterface;
  if (v.ruleName) ev.ruleName = v.ruleName;
  if (v.observerHost) ev.observerHost = v.observerHost;
  // The product is header or field text a log line chose (CEF/LEEF vendor and product, a Check Point
  // `product`): cut it where the event gets it, to the bound the summary's product table keeps, so the
  // NDJSON/CSV output and the store do not carry a name of any length on every event.
  if (v.observerProduct) ev.observerProduct = cutText(v.observerProduct, TALLY_KEY_CHARS);
  if (v.sourceMac && MAC_RE.test(v.sourceMac)) ev.sourceMac = v.sourceMac.toLowerCase().replace(/-/g, ':');
  if (v.destinationMac && MAC_RE.test(v.destinationMac))
    ev.destinationMac = v.destinationMac.toLowerCase().replace(/-/g, ':');
  if (v.icmpType !== undefined && /^\d{1,3}$/.test(v.icmpType)) ev.icmpType = Number(v.icmpType);
  if (v.icmpCode !== undefined && /^\d{1,3}$/.test(v.icmpCode)) ev.icmpCode = Number(v.icmpCode);
  return ev;
}

/** First value present among several key spellings. */
export function pick(fields: Map<string, string>, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = fields.get(k);
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

/** True when the text is an IP address (used to tell `dvc=192.0.2.1` from a host name). */
export function isIpText(text: string | undefined): boolean {
  return text !== undefined && canonicalIp(text) !== null;
}

/** Value of the `csN` custom string whose `csNLabel` matches (`cs1Label=Rule Name cs1=Allow all`). */
export function customString(fields: Map<string, string>, label: RegExp): string | undefined {
  return customField(fields, 'cs', 6, label);
}

/** Value of the `cnN` custom number whose `cnNLabel` matches (`cn1Label=SessionID cn1=112233`). */
export function customNumber(fields: Map<string, string>, label: RegExp): string | undefined {
  return customField(fields, 'cn', 3, label);
}

/** The CEF custom field `<prefix>N` (N from 1 to `count`) whose label matches, if it has a value. */
function customField(
  fields: Map<string, string>,
  prefix: string,
  count: number,
  label: RegExp,
): string | undefined {
  for (let i = 1; i <= count; i++) {
    const l = fields.get(`${prefix}${i}Label`);
    if (l !== undefined && label.test(l)) {
      const v = fields.get(`${prefix}${i}`);
      if (v !== undefined && v !== '') return v;
    }
  }
  return undefined;
}

/**
 * Check Point's `conn_direction` (its own judgement of the sides by the gateway's topology, native and in CEF):
 * Incoming and Outgoing say who started it from where; Internal is a connection between two inside networks,
 * which in fwlens's words goes through the firewall without coming from outside (`forward`). `ifdir` and CEF's
 * `deviceDirection` only tell which way a packet crossed one interface: an inside host's connection out is
 * "inbound" on the inside interface.
 */
export function connDirection(value: string | undefined): Direction | undefined {
  const v = value?.toLowerCase();
  return v === 'incoming'
    ? 'inbound'
    : v === 'outgoing'
      ? 'outbound'
      : v === 'internal'
        ? 'forward'
        : undefined;
}

/** The common CEF dictionary keys (short and long spellings) read into values, with the action already decided. */
export function cefValues(fields: Map<string, string>, action: EventAction, ctx: ParseContext): KeyedValues {
  const dir = pick(fields, 'deviceDirection');
  const sides = connDirection(pick(fields, 'conn_direction'));
  return {
    sourceIp: pick(fields, 'src', 'sourceAddress', 'c6a2', 'sourceIPv6Address'),
    destinationIp: pick(fields, 'dst', 'destinationAddress', 'c6a3', 'destinationIPv6Address'),
    sourcePort: pick(fields, 'spt', 'sourcePort'),
    destinationPort: pick(fields, 'dpt', 'destinationPort'),
    // SonicWall and others write `proto=tcp/https`: the transport is the part before the slash.
    protocol: pick(fields, 'proto', 'transportProtocol')?.split('/')[0],
    action,
    // CEF: deviceDirection 0 = inbound, 1 = outbound; a vendor's judgement of the sides wins (connDirection).
    direction: sides ?? (dir === '0' ? 'inbound' : dir === '1' ? 'outbound' : undefined),
    timestamp: parseVendorTime(pick(fields, 'rt', 'receiptTime', 'start', 'startTime', 'end'), ctx),
    inInterface: pick(fields, 'deviceInboundInterface'),
    outInterface: pick(fields, 'deviceOutboundInterface'),
    ruleName: customString(fields, /rule/i),
    observerHost: pick(fields, 'dvchost', 'deviceHostName', 'dvc', 'deviceAddress'),
    sourceMac: pick(fields, 'smac', 'sourceMacAddress'),
    destinationMac: pick(fields, 'dmac', 'destinationMacAddress'),
  };
}
