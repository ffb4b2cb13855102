// IBM QRadar LEEF 1.0/2.0 (`LEEF:2.0|Vendor|Product|Version|EventID|^|src=...^dst=...`): syntax and the generic format.
import type { EventAction } from '../event.js';
import { MAX_QUOTED_VALUE_CHARS, splitFields } from '../util/text-scan.js';
import { CEF_VENDOR_MODULES, parseCefExtension } from './cef.js';
import {
  actionFromName,
  actionFromWord,
  type KeyedValues,
  keyedEvent,
  parseVendorTime,
  pick,
} from './cef-event.js';
import { OBSERVER_FIELDS, UNDIRECTED_TRAFFIC_FIELDS } from './common-fields.js';
import { damaged } from './damaged.js';
import type { Envelope, LogFormat, ParseContext, ParseResult } from './types.js';

/** The header of a LEEF record and its attributes, unescaped. */
export interface LeefRecord {
  version: string;
  vendor: string;
  product: string;
  productVersion: string;
  eventId: string;
  attributes: Map<string, string>;
}

/** Where `LEEF:` starts in a message (at the start or after a syslog tag), or -1. */
export function findLeefStart(message: string): number {
  let at = message.indexOf('LEEF:');
  while (at >= 0) {
    if (/^LEEF: ?[12]\.0\|/.test(message.slice(at, at + 10))) return at;
    at = message.indexOf('LEEF:', at + 5);
  }
  return -1;
}

/** The attribute delimiter a LEEF 2.0 header names: a character, or its hex code (`x09`, `0x5E`). */
function delimiterOf(field: string): string | null {
  if (field.length === 1) return field;
  const hex = /^(?:0?x)([0-9A-Fa-f]{2,4})$/.exec(field);
  return hex ? String.fromCharCode(Number.parseInt(hex[1]!, 16)) : null;
}

function splitAttributes(text: string, delimiter: string): Map<string, string> {
  // Senders that were set up to use spaces produce CEF-like text: read it the CEF way.
  if (!text.includes(delimiter)) return parseCefExtension(text);
  const out = new Map<string, string>();
  for (const part of splitFields(text, delimiter)) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    if (!out.has(key)) out.set(key, leefValue(part.slice(eq + 1)));
  }
  return out;
}

/**
 * A delimited LEEF value: cut to MAX_QUOTED_VALUE_CHARS, `\\=` turned into `=`, trimmed. Split and join, not a
 * pattern: `/\\=/g` tried a match at each of a hostile value's 59,000 backslashes (0.5 ms).
 */
function leefValue(raw: string): string {
  const value = raw.length > MAX_QUOTED_VALUE_CHARS ? raw.slice(0, MAX_QUOTED_VALUE_CHARS) : raw;
  return (value.includes('\\=') ? value.split('\\=').join('=') : value).trim();
}

/**
 * Parse `LEEF:1.0|V|P|Ver|EventID|attrs` (tab-separated) or `LEEF:2.0|V|P|Ver|EventID|delim|attrs`.
 * Returns null when the header is incomplete.
 */
export function parseLeef(text: string): LeefRecord | null {
  const m = /^LEEF: ?([12]\.0)\|/.exec(text);
  if (!m) return null;
  const parts: string[] = [];
  let i = m[0].length;
  const headerFields = m[1] === '2.0' ? 5 : 4;
  while (parts.length < headerFields) {
    const bar = text.indexOf('|', i);
    if (bar < 0) {
      // LEEF 2.0 may omit the delimiter field (then attributes are tab-separated).
      if (m[1] === '2.0' && parts.length === 4) break;
      return null;
    }
    parts.push(text.slice(i, bar));
    i = bar + 1;
  }
  let delimiter = '\t';
  if (m[1] === '2.0' && parts[4] !== undefined && parts[4] !== '') {
    const d = delimiterOf(parts[4]);
    if (d === null) return null;
    delimiter = d;
  }
  return {
    version: m[1]!,
    vendor: parts[0]!,
    product: parts[1]!,
    productVersion: parts[2]!,
    eventId: parts[3]!,
    attributes: splitAttributes(text.slice(i), delimiter),
  };
}

/** The predefined LEEF attributes (and common vendor spellings) read into values. */
export function leefValues(a: Map<string, string>, action: EventAction, ctx: ParseContext): KeyedValues {
  return {
    sourceIp: pick(a, 'src', 'srcIP', 'sourceIp'),
    destinationIp: pick(a, 'dst', 'dstIP', 'destinationIp'),
    sourcePort: pick(a, 'srcPort', 'spt'),
    destinationPort: pick(a, 'dstPort', 'dpt'),
    protocol: pick(a, 'proto', 'protocol'),
    action,
    timestamp: parseVendorTime(pick(a, 'devTime', 'rt'), ctx),
    inInterface: pick(a, 'inInterface', 'srcInterface'),
    outInterface: pick(a, 'outInterface', 'dstInterface'),
    ruleName: pick(a, 'policy', 'rule', 'ruleName'),
    observerHost: pick(a, 'identHostName', 'devName', 'sender'),
    sourceMac: pick(a, 'srcMAC'),
    destinationMac: pick(a, 'dstMAC'),
  };
}

/** The decision a LEEF record states: its `action` attribute, else its event id, else `log`. */
export function leefAction(record: LeefRecord): EventAction {
  return actionFromWord(pick(record.attributes, 'action', 'act')) ?? actionFromName(record.eventId) ?? 'log';
}

/**
 * Parse one LEEF record with the generic attribute names; null when the text holds no LEEF header.
 * `decide` picks the action (vendor modules pass their own event-id rules).
 */
export function parseLeefRecord(
  formatId: string,
  message: string,
  envelope: Envelope,
  ctx: ParseContext,
  decide: (record: LeefRecord) => EventAction = leefAction,
): ParseResult {
  const at = findLeefStart(message);
  if (at < 0) return null;
  const record = parseLeef(message.slice(at));
  if (!record) return damaged('parse.leef.header');
  const values = leefValues(record.attributes, decide(record), ctx);
  if (values.sourceIp === undefined && values.destinationIp === undefined)
    return { skip: 'non-traffic record' };
  values.timestamp ??= envelope.timestamp;
  values.observerHost ??= envelope.host;
  values.observerProduct = `${record.vendor} ${record.product}`.trim().toLowerCase();
  return keyedEvent(formatId, values);
}

function vendorOf(message: string, at: number): string | undefined {
  const record = parseLeef(message.slice(at));
  return record?.vendor.toLowerCase();
}

/** Generic IBM QRadar LEEF (any vendor without its own module). */
export const leef: LogFormat = {
  id: 'leef',
  label: 'IBM LEEF (generic)',
  description:
    'Log Event Extended Format 1.0/2.0 records (LEEF:2.0|Vendor|Product|Version|EventID|delimiter|key=value ...) from any device without its own fwlens module.',
  example:
    'LEEF:2.0|Acme|EdgeWall|4.2|traffic-deny|^|src=203.0.113.7^srcPort=40112^dst=192.0.2.10^dstPort=22^proto=TCP^action=deny^devTime=Mar 14 2026 08:14:00',
  fields: [...UNDIRECTED_TRAFFIC_FIELDS, 'sourceMac', 'destinationMac', 'ruleName', ...OBSERVER_FIELDS],
  detect(message: string): number {
    const at = findLeefStart(message);
    if (at < 0) return 0;
    const vendor = vendorOf(message, at);
    if (vendor === undefined) return 0.3;
    return CEF_VENDOR_MODULES.has(vendor) ? 0 : 0.5;
  },
  createParser(ctx: ParseContext) {
    return (env: Envelope) => {
      const at = findLeefStart(env.message);
      if (at < 0) return null;
      const vendor = vendorOf(env.message, at);
      if (vendor !== undefined && CEF_VENDOR_MODULES.has(vendor)) return null;
      return parseLeefRecord('leef', env.message, env, ctx);
    };
  },
};
