// Snort and Sourcefire / Firepower (FMC "SFIMS") alerts in syslog form:
// `snort[123]: [1:2000:3] msg [Classification: c] [Priority: 2] {TCP} 203.0.113.7:51515 -> 192.0.2.10:22`,
// `SFIMS: [Primary Detection Engine (...)][Policy] [1:31978:5] "msg" [Impact: ...] From "DC/sensor" at ... {TCP} A:p -> B:p`,
// and SFIMS connection events (`Connection Type: Start, ... Access Control Rule Action: Allow, ... {TCP} A:p -> B:p`).
import type { EventAction, FwEvent } from '../event.js';
import { canonicalIp } from '../net/ip.js';
import { OBSERVER_FIELDS, UNDIRECTED_TRAFFIC_FIELDS } from './common-fields.js';
import { damaged } from './damaged.js';
import { flowEvent } from './flow-record.js';
import { observedFromEnvelope, statelessParser } from './parser-helpers.js';
import type { Envelope, LogFormat, ParseError, ParseResult } from './types.js';

const FORMAT_ID = 'snort-syslog';

/** Syslog tags of Snort and of the Sourcefire Defense Center / FMC. */
const PROGRAMS = new Set(['snort', 'snort3', 'SFIMS', 'SFAppIdListener']);

/** `SFIMS: ` or `snort[123]: ` left in the message when the envelope did not split the tag off. */
const TAG_RE = /^(snort3?|SFIMS)(?:\[\d{1,10}\])?: /;

/** The protocol between the braces of the packet part: a name or an IANA number. */
const PROTOCOL_RE = /^(?:[A-Za-z][\w-]{0,15}|\d{1,3})$/;

/**
 * The packet part that ends every alert, `{TCP} 203.0.113.7:51515 -> 192.0.2.10:22` (blanks around `->` optional),
 * found by scanning from the last `{` (a pattern for it backtracks on lines of many `{x} a` groups).
 */
function packetPart(text: string): [protocol: string, source: string, destination: string] | null {
  const open = text.lastIndexOf('{');
  if (open < 0) return null;
  const close = text.indexOf('}', open);
  if (close < 0) return null;
  const protocol = text.slice(open + 1, close);
  if (!PROTOCOL_RE.test(protocol)) return null;
  const rest = text.slice(close + 1).trim();
  const arrow = rest.indexOf('->');
  if (arrow <= 0) return null;
  const source = rest.slice(0, arrow).trim();
  const destination = rest.slice(arrow + 2).trim();
  if (source === '' || destination === '' || source.includes(' ') || destination.includes(' ')) return null;
  return [protocol, source, destination];
}

/** `[1:2000:3]`: generator, signature and revision. */
const SIGNATURE_RE = /\[(\d{1,10}):(\d{1,10}):(\d{1,10})\]/;

/** `203.0.113.7:51515`, `[2001:db8::7]:443`, `203.0.113.7` (portless protocols), `2001:db8::7` (IPv6 without port). */
function endpoint(text: string, withPorts: boolean): { ip: string; port?: string } {
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    return {
      ip: text.slice(1, close),
      port: text.charAt(close + 1) === ':' ? text.slice(close + 2) : undefined,
    };
  }
  if (!withPorts || canonicalIp(text) !== null) return { ip: text };
  const colon = text.lastIndexOf(':');
  return colon < 0 ? { ip: text } : { ip: text.slice(0, colon), port: text.slice(colon + 1) };
}

/** The value after `Key: ` up to the next `, ` or `]` (SFIMS writes `Key: value, Key: value` lists). */
function field(text: string, key: string): string | undefined {
  const at = text.indexOf(`${key}: `);
  if (at < 0) return undefined;
  const start = at + key.length + 2;
  let end = text.length;
  for (const stop of [', ', ']']) {
    const i = text.indexOf(stop, start);
    if (i >= 0 && i < end) end = i;
  }
  return text.slice(start, end).trim();
}

/** The signature message after `[gid:sid:rev] `, up to the first bracketed field, quotes removed. */
function signatureMessage(text: string, after: number): string {
  let end = text.indexOf(' [', after);
  const from = text.indexOf(' From "', after);
  if (from >= 0 && (end < 0 || from < end)) end = from;
  const msg = text.slice(after, end < 0 ? undefined : end).trim();
  return msg.startsWith('"') && msg.endsWith('"') ? msg.slice(1, -1) : msg;
}

function ruleAction(text: string | undefined): EventAction {
  const t = (text ?? '').toLowerCase();
  if (/^(allow|trust|fastpath|monitor)/.test(t)) return t.startsWith('monitor') ? 'log' : 'allow';
  if (t.includes('reset')) return 'reject';
  if (/^(block|deny|drop)/.test(t)) return 'deny';
  return 'log';
}

function readAlert(text: string): FwEvent | ParseError | null {
  const tuple = packetPart(text);
  const sig = SIGNATURE_RE.exec(text);
  const isConnection = text.includes('Connection Type: ') || text.includes('Access Control Rule Action: ');
  if (!tuple) {
    if (sig || isConnection) return damaged('parse.snort.noPacket');
    return null;
  }
  const protocol = tuple[0].toLowerCase();
  const withPorts = protocol === 'tcp' || protocol === 'udp' || protocol === 'sctp';
  const src = endpoint(tuple[1], withPorts);
  const dst = endpoint(tuple[2], withPorts);
  let action: EventAction = 'log';
  let ruleName: string | undefined;
  if (sig) {
    const inline = field(text, 'Inline Result');
    if (inline && /^(dropped|blocked)/i.test(inline)) action = 'deny';
    const message = signatureMessage(text, sig.index + sig[0].length);
    ruleName = `${sig[1]}:${sig[2]}:${sig[3]}${message ? ` ${message}` : ''}`;
  } else if (isConnection) {
    action = ruleAction(field(text, 'Access Control Rule Action'));
    ruleName = field(text, 'Access Control Rule Name');
  } else return damaged('parse.snort.noSignature');
  const ev = flowEvent(FORMAT_ID, action, 'unknown', {
    sourceIp: src.ip,
    sourcePort: src.port,
    destinationIp: dst.ip,
    destinationPort: dst.port,
    protocol: /^\d+$/.test(protocol) ? Number(protocol) : protocol,
  });
  if ('error' in ev) return ev;
  if (ruleName) ev.ruleName = ruleName;
  const ingress = field(text, 'Interface Ingress');
  const egress = field(text, 'Interface Egress');
  if (ingress) ev.inInterface = ingress;
  if (egress) ev.outInterface = egress;
  return ev;
}

function parse(env: Envelope): ParseResult {
  let text = env.message;
  let tagged = env.program !== undefined && PROGRAMS.has(env.program);
  if (!tagged) {
    const tag = TAG_RE.exec(text);
    if (tag) {
      tagged = true;
      text = text.slice(tag[0].length);
    }
  }
  if (!tagged) {
    // Untagged text is read only when it has both a signature and the packet part (alerts forwarded bare).
    if (!SIGNATURE_RE.test(text) || packetPart(text) === null) return null;
  }
  const result = readAlert(text);
  if (result === null) return tagged ? { skip: 'system event' } : null;
  if ('error' in result) return result;
  return observedFromEnvelope(
    result,
    env,
    text.includes('SFIMS') || env.program === 'SFIMS' ? 'sourcefire' : 'snort',
  );
}

/** Snort / Sourcefire syslog alerts. */
export const snortSyslog: LogFormat = {
  id: FORMAT_ID,
  label: 'Snort / Sourcefire syslog alerts',
  description:
    'Intrusion alerts of Snort (alert_syslog) and of Sourcefire / Firepower Management Center (SFIMS) in syslog form, `[gid:sid:rev] message [Classification] [Priority] {PROTO} A:p -> B:p`, and SFIMS connection events (Access Control Rule Action); other Snort daemon messages are counted as system events.',
  example:
    'snort[1234]: [1:2000537:8] ET SCAN NMAP -sS window 2048 [Classification: Attempted Information Leak] [Priority: 2] {TCP} 203.0.113.7:51515 -> 192.0.2.10:22',
  fields: [...UNDIRECTED_TRAFFIC_FIELDS, 'ruleName', 'inInterface', 'outInterface', ...OBSERVER_FIELDS],
  detect(message: string, env: Envelope): number {
    if (env.program !== undefined && PROGRAMS.has(env.program)) return message.includes('->') ? 0.9 : 0.5;
    if (TAG_RE.test(message)) return 0.9;
    return message.includes('->') && message.includes('{') && SIGNATURE_RE.test(message) ? 0.6 : 0;
  },
  createParser: statelessParser(parse),
};
