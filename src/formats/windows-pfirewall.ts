// Windows Firewall (Windows Defender Firewall, XP ICF) pfirewall.log: W3C text with a `#Fields:` header,
// space-separated columns, `-` for empty, local time without a zone. The header's field order is honoured.
import type { Direction, EventAction, FwEvent } from '../event.js';
import { ownValue } from '../util/own.js';
import { TCP_HEADER_FIELDS, TRAFFIC_FIELDS } from './common-fields.js';
import { damaged } from './damaged.js';
import { parseIsoStamp } from './envelope/time.js';
import { countValue, flowEvent, isUnset } from './flow-record.js';
import { tcpFlagsFromLetters } from './tcp-flag-letters.js';
import type { Envelope, LogFormat, ParseContext, ParseError, ParseResult } from './types.js';
import { w3cDirective, w3cFields, w3cRecord } from './w3c-header.js';

/** Column order Windows writes when a file (or a fragment of one) carries no `#Fields:` header. */
export const DEFAULT_PFIREWALL_FIELDS = [
  'date',
  'time',
  'action',
  'protocol',
  'src-ip',
  'dst-ip',
  'src-port',
  'dst-port',
  'size',
  'tcpflags',
  'tcpsyn',
  'tcpack',
  'tcpwin',
  'icmptype',
  'icmpcode',
  'info',
  'path',
];

/** Actions: ALLOW/DROP (Vista and later), OPEN/OPEN-INBOUND/CLOSE (XP ICF connection records). */
const ACTIONS: Record<string, EventAction> = {
  ALLOW: 'allow',
  DROP: 'deny',
  OPEN: 'allow',
  'OPEN-INBOUND': 'allow',
  CLOSE: 'log',
};

const PATHS: Record<string, Direction> = { SEND: 'outbound', RECEIVE: 'inbound', FORWARD: 'forward' };

const RECORD_RE =
  /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} (ALLOW|DROP|OPEN|OPEN-INBOUND|CLOSE|INFO-EVENTS-LOST) /;

const ACTION_WORD_RE = /^(ALLOW|DROP|OPEN|OPEN-INBOUND|CLOSE|INFO-EVENTS-LOST)$/;

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The record line as written. `2021-06-22 12:19:41 DROP ...` looks like an ISO-stamped syslog line to the
 * envelope layer, which takes the stamp and the action word as host: put them back (the stamp was read in
 * the context's zone, so shifting by the same offset gives the written wall-clock text again).
 */
function recordLine(env: Envelope, ctx: ParseContext): string | null {
  if (RECORD_RE.test(env.message)) return env.message;
  if (env.envelope !== 'iso-syslog' || env.timestamp === undefined || env.program !== undefined) return null;
  if (env.host === undefined || !ACTION_WORD_RE.test(env.host)) return null;
  const d = new Date(
    env.timestamp + (ctx.zone ? ctx.zone.offsetAt(env.timestamp) : ctx.utcOffsetMinutes * 60_000),
  );
  const stamp = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const line = `${stamp} ${env.host} ${env.message}`;
  return RECORD_RE.test(line) ? line : null;
}

/** More fields than any Windows Firewall `#Fields:` line declares (it has 17). */
const MAX_FIELDS = 64;

/** True for a `#Fields:` list that is Windows Firewall's (it names action, protocol and src-ip). */
function isPfirewallFields(fields: string[]): boolean {
  return fields.includes('action') && fields.includes('src-ip') && fields.includes('protocol');
}

/** Handle a `#` line: skip Windows Firewall headers, update the field list; null for other products. */
function headerLine(message: string, state: { fields: string[] }, ctx: ParseContext): ParseResult {
  const d = w3cDirective(message);
  if (d === null) return null;
  if (d.name === 'Fields') {
    const fields = w3cFields(d.value);
    if (!isPfirewallFields(fields)) return null;
    state.fields = fields;
    return { skip: 'header' };
  }
  if (d.name === 'Software')
    return d.value.startsWith('Microsoft Windows Firewall') ? { skip: 'header' } : null;
  // `Local`: the stamps are the writing machine's wall clock, in a zone the log does not name.
  if (d.name === 'Time Format' && d.value.toLowerCase() === 'local') ctx.writerLocalTime = true;
  if (d.name === 'Version' || d.name === 'Time Format' || d.name === 'Date') return { skip: 'header' };
  return null;
}

/** A number column, undefined when `-`. */
function count(v: string | undefined): number | undefined {
  return isUnset(v) ? undefined : countValue(v);
}

/** Turn one record (field name -> column text) into an event. */
function recordToEvent(rec: Record<string, string>, ctx: ParseContext): ParseResult {
  const actionWord = rec.action ?? '';
  if (actionWord === 'INFO-EVENTS-LOST') return { skip: 'events lost' };
  const action = ownValue(ACTIONS, actionWord);
  if (action === undefined) return damaged('parse.pfirewall.action', { value: actionWord });
  const stamp = parseIsoStamp(`${rec.date ?? ''}T${rec.time ?? ''}`, ctx);
  if (stamp === null)
    return damaged('parse.notProductDateTime', {
      value: `"${rec.date} ${rec.time}"`,
      product: { en: 'a Windows Firewall', zh: 'Windows 防火墙' },
    });
  // XP ICF writes no path: OPEN is a connection this host opened, OPEN-INBOUND one it accepted.
  const direction =
    ownValue(PATHS, rec.path ?? '') ??
    (actionWord === 'OPEN' ? 'outbound' : actionWord === 'OPEN-INBOUND' ? 'inbound' : 'unknown');
  const ev: FwEvent | ParseError = flowEvent('windows-pfirewall', action, direction, {
    sourceIp: rec['src-ip'],
    destinationIp: rec['dst-ip'],
    sourcePort: rec['src-port'],
    destinationPort: rec['dst-port'],
    protocol: rec.protocol,
  });
  if ('error' in ev) return ev;
  ev.timestamp = stamp[0];
  // XP ICF logs a connection twice: OPEN / OPEN-INBOUND when it opens, CLOSE when it ends.
  if (actionWord.startsWith('OPEN')) ev.connectionPhase = 'start';
  else if (actionWord === 'CLOSE') ev.connectionPhase = 'end';
  // Windows writes ICMP for ICMPv6 too; the address family tells which one it was.
  if (ev.transport === 'icmp' && ev.ipVersion === 6) {
    ev.transport = 'ipv6-icmp';
    ev.ianaNumber = 58;
  }
  const size = count(rec.size);
  if (size !== undefined && size > 0) ev.length = size;
  if (ev.transport === 'tcp') {
    if (!isUnset(rec.tcpflags)) {
      const flags = tcpFlagsFromLetters(rec.tcpflags!);
      if (flags === undefined) return damaged('parse.pfirewall.tcpFlags', { value: String(rec.tcpflags) });
      ev.tcpFlags = flags;
    }
    const seq = count(rec.tcpsyn);
    const ack = count(rec.tcpack);
    const win = count(rec.tcpwin);
    if (seq !== undefined) ev.tcpSeq = seq;
    if (ack !== undefined) ev.tcpAck = ack;
    if (win !== undefined) ev.tcpWindow = win;
  }
  const type = count(rec.icmptype);
  const code = count(rec.icmpcode);
  if (type !== undefined && type <= 255) ev.icmpType = type;
  if (code !== undefined && code <= 255) ev.icmpCode = code;
  ev.observerProduct = 'windows-firewall';
  return ev;
}

/** Windows Firewall pfirewall.log (W3C header, any declared field order). */
export const windowsPfirewall: LogFormat = {
  id: 'windows-pfirewall',
  label: 'Windows Firewall (pfirewall.log)',
  description:
    'Windows Defender Firewall / XP Internet Connection Firewall packet log: W3C text, one packet or connection per line.',
  example:
    '2021-06-22 12:19:41 DROP TCP 203.0.113.25 192.0.2.10 51544 3389 52 S 1937203 0 64240 - - - RECEIVE',
  fields: [...TRAFFIC_FIELDS, 'length', ...TCP_HEADER_FIELDS, 'icmpType', 'icmpCode', 'connectionPhase'],
  detect(message: string, env: Envelope): number {
    if (RECORD_RE.test(message)) return 0.9;
    if (env.envelope === 'iso-syslog' && env.host !== undefined && ACTION_WORD_RE.test(env.host)) return 0.9;
    if (message.startsWith('#Software: Microsoft Windows Firewall')) return 1;
    if (message.startsWith('#Fields: date time action protocol src-ip')) return 1;
    // Generic W3C directives: a weak claim, other W3C formats name themselves in #Software.
    if (message.startsWith('#Version: 1.') || message.startsWith('#Time Format:')) return 0.3;
    return 0;
  },
  createParser(ctx: ParseContext) {
    const state = { fields: DEFAULT_PFIREWALL_FIELDS };
    return (env) => {
      if (env.message.charCodeAt(0) === 35) return headerLine(env.message, state, ctx);
      const message = recordLine(env, ctx) ?? env.message;
      // A split that stops past any #Fields: width: a line of thousands of words is declined at once.
      const values = message.trim().split(/ +/, MAX_FIELDS + 1);
      if (values.length > MAX_FIELDS) return null;
      const rec = w3cRecord(state.fields, values);
      // A record is ours when its action column holds a Windows Firewall action word.
      if (!ACTION_WORD_RE.test(rec.action ?? '')) return null;
      return recordToEvent(rec, ctx);
    };
  },
};
