// Windows Filtering Platform audit events of the Security log (5152/5153 packet drops, 5156/5157 connections, listen and
// bind records) and the Windows Firewall With Advanced Security channel (rule changes, service events), as they reach a
// collector: one JSON object per event (NXLog im_msvistalog with the event data flat, Winlogbeat `winlog.event_data`)
// a Snare `MSWinEventLog` tab-separated syslog line with the rendered message, or the event's XML on one line.
import type { Direction, EventAction, FwEvent } from '../event.js';
import { ownValue } from '../util/own.js';
import { OBSERVER_FIELDS, TRAFFIC_FIELDS } from './common-fields.js';
import { damaged } from './damaged.js';
import { parseCtimeStamp } from './envelope/time.js';
import { flowEvent, parseJsonObject, startsJson, timeValue } from './flow-record.js';
import { NON_TRAFFIC, notUnderstood } from './skip-kinds.js';
import type { Envelope, LogFormat, ParseContext, ParseError, ParseResult, RecordResult } from './types.js';

const FORMAT_ID = 'windows-wfp';

/** Provider of the Security log's audit events (5152 ... 5159, 5031, 4946 ...). */
const SECURITY_AUDITING = 'Microsoft-Windows-Security-Auditing';

/** Provider (and channel name stem) of the firewall's own operational log (2004, 2005, 2006, 2033, 2097 ...). */
const FIREWALL_PROVIDER = 'Microsoft-Windows-Windows Firewall With Advanced Security';

/** Audit events with a packet or connection, and what the filter decided. */
const TRAFFIC_EVENTS: Record<number, EventAction> = {
  5152: 'deny', // WFP blocked a packet
  5153: 'deny', // a more restrictive WFP filter blocked a packet
  5156: 'allow', // WFP permitted a connection
  5157: 'deny', // WFP blocked a connection
};

/** Audit and firewall-channel events that carry no packet, by the kind they are counted under. */
const NON_TRAFFIC_EVENTS: Record<number, string> = {
  5154: 'listen permitted',
  5155: 'listen blocked',
  5158: 'bind permitted',
  5159: 'bind blocked',
  5031: 'listen blocked', // the firewall service blocked an application from accepting incoming connections
  // Firewall policy changes audited in the Security log (MPSSVC rule-level policy change).
  4944: NON_TRAFFIC.configuration,
  4945: NON_TRAFFIC.configuration,
  4946: NON_TRAFFIC.configuration,
  4947: NON_TRAFFIC.configuration,
  4948: NON_TRAFFIC.configuration,
  4949: NON_TRAFFIC.configuration,
  4950: NON_TRAFFIC.configuration,
  4954: NON_TRAFFIC.configuration,
  4956: NON_TRAFFIC.configuration,
  4957: NON_TRAFFIC.configuration,
  // The firewall service and driver: started, stopped, failed.
  5024: NON_TRAFFIC.system,
  5025: NON_TRAFFIC.system,
  5027: NON_TRAFFIC.system,
  5028: NON_TRAFFIC.system,
  5029: NON_TRAFFIC.system,
  5030: NON_TRAFFIC.system,
  5032: NON_TRAFFIC.system,
  5033: NON_TRAFFIC.system,
  5034: NON_TRAFFIC.system,
  5035: NON_TRAFFIC.system,
  5037: NON_TRAFFIC.system,
  // Firewall With Advanced Security channel: settings, profiles and rules.
  2002: NON_TRAFFIC.configuration,
  2003: NON_TRAFFIC.configuration,
  2004: NON_TRAFFIC.configuration, // rule added
  2005: NON_TRAFFIC.configuration, // rule modified
  2006: NON_TRAFFIC.configuration, // rule deleted
  2010: NON_TRAFFIC.configuration, // network profile changed on an interface
  2033: NON_TRAFFIC.configuration, // all rules deleted
  2052: NON_TRAFFIC.configuration, // rule deleted (Windows 11)
  2097: NON_TRAFFIC.configuration, // rule added (Windows 11)
  2099: NON_TRAFFIC.configuration, // rule modified (Windows 11)
  2011: 'listen blocked', // the firewall could not notify the user it blocked an application from listening
};

/** True for a Security-log audit id of the firewall or the filtering platform (known or not). */
function isFirewallAuditId(id: number): boolean {
  return (id >= 4944 && id <= 4958) || (id >= 5024 && id <= 5037) || (id >= 5146 && id <= 5159);
}

/** `%%14592` / `%%14593` as the event data holds them, or the rendered words of a text or XML export. */
const DIRECTIONS: Record<string, Direction> = {
  '%%14592': 'inbound',
  '%%14593': 'outbound',
  Inbound: 'inbound',
  Outbound: 'outbound',
};

/** The fields of a traffic record, however the collector named and nested them. */
interface WfpFields {
  direction?: unknown;
  sourceAddress?: unknown;
  sourcePort?: unknown;
  destAddress?: unknown;
  destPort?: unknown;
  protocol?: unknown;
  application?: unknown;
}

/**
 * A traffic event from the record's fields. Source is the side that sent the packet or opened the connection in
 * the records Windows writes (an inbound RDP 5156 names the remote client as Source and port 3389 as DestPort in
 * OTRF's recorded Security logs), though Microsoft's field descriptions call Source the local end: the fields are
 * kept as written, the direction says which end is this host.
 */
function trafficEvent(action: EventAction, f: WfpFields): FwEvent | ParseError {
  const directionText = typeof f.direction === 'string' ? f.direction : '';
  const direction = ownValue(DIRECTIONS, directionText);
  if (direction === undefined)
    return damaged('parse.wfp.direction', { value: JSON.stringify(f.direction ?? null) });
  const ev = flowEvent(FORMAT_ID, action, direction, {
    sourceIp: f.sourceAddress,
    sourcePort: f.sourcePort,
    destinationIp: f.destAddress,
    destinationPort: f.destPort,
    protocol: f.protocol,
  });
  if ('error' in ev) return ev;
  // For ICMP, WFP reuses its port conditions for the ICMP type and code (fwpmu.h: FWPM_CONDITION_ICMP_TYPE is the
  // local-port condition); which audit field then holds which is not documented, so neither is kept as a port.
  if (ev.transport === 'icmp' || ev.transport === 'ipv6-icmp') {
    delete ev.sourcePort;
    delete ev.destinationPort;
  }
  // The application is the firewall's unit of decision (as in the macOS application firewall): kept as the rule.
  if (typeof f.application === 'string' && f.application !== '' && f.application !== '-')
    ev.ruleName = f.application;
  ev.observerProduct = 'windows filtering platform';
  return ev;
}

/** What an event id of a provider is: a traffic action, a non-traffic kind, not ours (null) or not understood. */
function classify(provider: string, id: number): EventAction | { skip: string } | null {
  const firewallChannel = provider === FIREWALL_PROVIDER;
  if (!firewallChannel && provider !== SECURITY_AUDITING) return null;
  if (!firewallChannel && !isFirewallAuditId(id)) return null;
  if (!firewallChannel) {
    const action = TRAFFIC_EVENTS[id];
    if (action !== undefined) return action;
  }
  const kind = NON_TRAFFIC_EVENTS[id];
  // The two providers' id ranges do not overlap: an id is read under the provider that owns its range.
  const channelId = id < 4000;
  if (kind !== undefined && firewallChannel === channelId) return { skip: kind };
  return notUnderstood(String(id));
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** An event id from a number or numeric text. */
function eventId(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d{1,5}$/.test(v)) return Number(v);
  return undefined;
}

/** Time of a JSON record: Winlogbeat's `@timestamp`, NXLog's `EventTime` (local time unless it names a zone). */
function jsonTime(rec: Obj, ctx: ParseContext): number | undefined {
  for (const key of ['@timestamp', 'EventTime', 'TimeCreated']) {
    const t = timeValue(rec[key], ctx);
    if (t !== undefined) return t;
  }
  return undefined;
}

/** The parts of a JSON record this module reads: NXLog's flat object or Winlogbeat's `winlog`. */
interface JsonEvent {
  provider: string;
  id: number;
  data: Obj;
  host: unknown;
}

/** Provider, event id, event data and host of a JSON record, or null when it names no provider and id. */
function jsonEvent(rec: Obj): JsonEvent | null {
  let provider: unknown;
  let id: number | undefined;
  let data: Obj;
  let host: unknown;
  if (isObj(rec.winlog)) {
    const w = rec.winlog;
    provider = w.provider_name;
    id = eventId(w.event_id);
    data = isObj(w.event_data) ? w.event_data : {};
    host = w.computer_name;
  } else {
    // NXLog im_msvistalog (and the OTRF recordings) put the event data beside EventID and SourceName.
    provider = rec.SourceName ?? rec.ProviderName ?? rec.Provider;
    id = eventId(rec.EventID);
    data = rec;
    host = rec.Hostname ?? rec.Computer;
  }
  if (typeof provider !== 'string' || id === undefined) return null;
  return { provider, id, data, host };
}

/** True when a JSON line names one of the two providers (a cheap look, no parse). */
function namesProvider(message: string): boolean {
  return message.includes(SECURITY_AUDITING) || message.includes(FIREWALL_PROVIDER);
}

/** A JSON record: one Windows event, flat (NXLog) or under `winlog` (Winlogbeat). */
function parseJson(env: Envelope, ctx: ParseContext): ParseResult {
  const parsed = parseJsonObject(env.message);
  // A damaged record is ours only when it names one of our providers.
  if (parsed === undefined || 'error' in parsed)
    return parsed !== undefined && namesProvider(env.message) ? parsed : null;
  const rec = parsed.record;
  const e = jsonEvent(rec);
  if (e === null) return null;
  const kind = classify(e.provider, e.id);
  if (kind === null || typeof kind === 'object') return kind;
  const ev = trafficEvent(kind, {
    direction: e.data.Direction,
    sourceAddress: e.data.SourceAddress,
    sourcePort: e.data.SourcePort,
    destAddress: e.data.DestAddress,
    destPort: e.data.DestPort,
    protocol: e.data.Protocol,
    application: e.data.Application,
  });
  if ('error' in ev) return ev;
  const time = jsonTime(rec, ctx) ?? env.timestamp;
  if (time !== undefined) ev.timestamp = time;
  if (typeof e.host === 'string' && e.host !== '') ev.observerHost = e.host;
  else if (env.host !== undefined) ev.observerHost = env.host;
  return ev;
}

/** How sure detection is of a JSON line: a record of one of the providers with an id of theirs, or a damaged one naming them. */
function detectJson(message: string): number {
  if (!startsJson(message) || !namesProvider(message)) return 0;
  const parsed = parseJsonObject(message);
  if (parsed === undefined) return 0;
  if ('error' in parsed) return 0.5;
  const e = jsonEvent(parsed.record);
  return e !== null && classify(e.provider, e.id) !== null ? 0.95 : 0;
}

/** Snare's header: `MSWinEventLog`, criticality, log, counter, date, event id, source, user, SID type, type, computer, category, data, message. */
const SNARE_TAG = 'MSWinEventLog';

/** More tab-separated fields than a Snare record has (15 with the trailing counter or checksum). */
const MAX_SNARE_FIELDS = 24;

/** Labels of the rendered 5152/5156/5157 message, in the order Windows writes them. */
const LABELS = {
  application: 'Application Name:',
  direction: 'Direction:',
  sourceAddress: 'Source Address:',
  sourcePort: 'Source Port:',
  destAddress: 'Destination Address:',
  destPort: 'Destination Port:',
  protocol: 'Protocol:',
} as const;

/** The word after `label` in the rendered message (blanks skipped), or undefined when the label is absent. */
function labelWord(text: string, label: string): string | undefined {
  const at = text.indexOf(label);
  if (at < 0) return undefined;
  let i = at + label.length;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  let end = i;
  while (end < text.length && text.charCodeAt(end) !== 32 && text.charCodeAt(end) !== 9) end++;
  return text.slice(i, end);
}

/** The application path: everything between `Application Name:` and `Network Information:` (a path may hold blanks). */
function applicationName(text: string): string | undefined {
  const at = text.indexOf(LABELS.application);
  if (at < 0) return undefined;
  const start = at + LABELS.application.length;
  const end = text.indexOf('Network Information:', start);
  return text.slice(start, end < 0 ? undefined : end).trim();
}

/** The text of a Snare record from its tag on, or undefined when the record is no Snare record. */
function snareText(env: Envelope): string | undefined {
  if (env.message.startsWith(`${SNARE_TAG}\t`)) return env.message;
  // A syslog header whose tag the envelope split off: `... host MSWinEventLog\t1\tSecurity ...`.
  if (env.program === SNARE_TAG) return `${SNARE_TAG}\t${env.message.replace(/^\t/, '')}`;
  return undefined;
}

/** A Snare `MSWinEventLog` record. */
function parseSnare(text: string, env: Envelope, ctx: ParseContext): ParseResult {
  const f = text.split('\t', MAX_SNARE_FIELDS);
  if (f.length < 14) {
    return namesProvider(text) ? damaged('parse.wfp.snareFields', { count: f.length }) : null;
  }
  const id = eventId(f[5]);
  if (id === undefined) return null;
  const kind = classify(f[6]!, id);
  if (kind === null || typeof kind === 'object') return kind;
  const message = f[13]!;
  const ev = trafficEvent(kind, {
    direction: labelWord(message, LABELS.direction),
    sourceAddress: labelWord(message, LABELS.sourceAddress),
    sourcePort: labelWord(message, LABELS.sourcePort),
    destAddress: labelWord(message, LABELS.destAddress),
    destPort: labelWord(message, LABELS.destPort),
    protocol: labelWord(message, LABELS.protocol),
    application: applicationName(message),
  });
  if ('error' in ev) return ev;
  // Snare writes the event's local time ctime-style (`Sat Dec 05 10:00:00 2026`).
  const time = parseCtimeStamp(f[4]!, ctx) ?? env.timestamp;
  if (time !== undefined) ev.timestamp = time;
  const host = f[10]!;
  if (host !== '' && host !== 'N/A') ev.observerHost = host;
  else if (env.host !== undefined) ev.observerHost = env.host;
  return ev;
}

/** How an event rendered as XML (`Get-WinEvent | % { $_.ToXml() }`, `wevtutil qe /f:xml`) starts. */
const XML_START = '<Event xmlns=';

/** The five entities XML escapes text with. */
const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Text of an XML element or attribute with its entities (`&amp;`, `&#92;`) decoded. */
function xmlText(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|[a-z]{2,4});/g, (whole, name: string) => {
    if (!name.startsWith('#')) return ownValue(XML_ENTITIES, name) ?? whole;
    const code = name.startsWith('#x') ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    // A reference past the last code point stays as written (fromCodePoint would throw).
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** The value of attribute `name` (`Name='x'` or `Name="x"`) at the first `<tag ` in `xml`, or undefined. */
function xmlAttribute(xml: string, tag: string, name: string): string | undefined {
  const at = xml.indexOf(`<${tag} `);
  if (at < 0) return undefined;
  const attr = xml.indexOf(`${name}=`, at);
  const close = xml.indexOf('>', at);
  if (attr < 0 || attr > close) return undefined;
  const quote = xml[attr + name.length + 1];
  if (quote !== "'" && quote !== '"') return undefined;
  const start = attr + name.length + 2;
  const end = xml.indexOf(quote, start);
  return end < 0 ? undefined : xmlText(xml.slice(start, end));
}

/** The text of the first `<tag>...</tag>` in `xml`, or undefined. */
function xmlElement(xml: string, tag: string): string | undefined {
  const at = xml.indexOf(`<${tag}>`);
  if (at < 0) return undefined;
  const end = xml.indexOf(`</${tag}>`, at);
  return end < 0 ? undefined : xmlText(xml.slice(at + tag.length + 2, end));
}

/** The event data of an XML event: every `<Data Name='X'>value</Data>` (or empty `<Data Name='X'/>`). */
function xmlData(xml: string): Obj {
  const data: Obj = {};
  let at = xml.indexOf('<Data Name=');
  while (at >= 0) {
    const quote = xml[at + 11];
    const nameEnd = quote === "'" || quote === '"' ? xml.indexOf(quote, at + 12) : -1;
    if (nameEnd < 0) break;
    const name = xml.slice(at + 12, nameEnd);
    let next = nameEnd + 1;
    if (xml.startsWith('/>', next)) data[name] = '';
    else if (xml[next] === '>') {
      const close = xml.indexOf('</Data>', next);
      if (close < 0) break;
      data[name] = xmlText(xml.slice(next + 1, close));
      next = close + 7;
    }
    at = xml.indexOf('<Data Name=', next);
  }
  return data;
}

/** One `<Event>...</Event>` element: an event, a non-traffic record, an error, or null when not the firewall's. */
function parseXmlEvent(xml: string, env: Envelope, ctx: ParseContext): ParseResult {
  const provider = xmlAttribute(xml, 'Provider', 'Name');
  const id = eventId(xmlElement(xml, 'EventID'));
  if (provider === undefined || id === undefined) {
    return namesProvider(xml) ? damaged('parse.wfp.xmlNoProvider') : null;
  }
  const kind = classify(provider, id);
  if (kind === null || typeof kind === 'object') return kind;
  const data = xmlData(xml);
  const ev = trafficEvent(kind, {
    direction: data.Direction,
    sourceAddress: data.SourceAddress,
    sourcePort: data.SourcePort,
    destAddress: data.DestAddress,
    destPort: data.DestPort,
    protocol: data.Protocol,
    application: data.Application,
  });
  if ('error' in ev) return ev;
  const time = timeValue(xmlAttribute(xml, 'TimeCreated', 'SystemTime'), ctx) ?? env.timestamp;
  if (time !== undefined) ev.timestamp = time;
  const host = xmlElement(xml, 'Computer');
  if (host !== undefined && host !== '') ev.observerHost = host;
  else if (env.host !== undefined) ev.observerHost = env.host;
  return ev;
}

/**
 * A line of XML events: one `<Event>` element (`ToXml()` writes one a line), or several side by side as `wevtutil qe
 * /f:xml` may print them. Of several, the traffic events are kept (the line is counted once); a line of several
 * with no traffic is counted as its first record's kind.
 */
function parseXml(env: Envelope, ctx: ParseContext): RecordResult {
  const text = env.message;
  const results: ParseResult[] = [];
  let at = 0;
  while (at < text.length) {
    const end = text.indexOf('</Event>', at);
    const slice = end < 0 ? text.slice(at) : text.slice(at, end + 8);
    results.push(parseXmlEvent(slice, env, ctx));
    if (end < 0) break;
    at = text.indexOf(XML_START, end);
    if (at < 0) break;
  }
  if (results.length === 1) return results[0]!;
  const events = results.filter((r): r is FwEvent => r !== null && 'format' in r);
  if (events.length > 0) return events;
  return results.find((r) => r !== null) ?? null;
}

function parse(env: Envelope, ctx: ParseContext): RecordResult {
  const snare = snareText(env);
  if (snare !== undefined) return parseSnare(snare, env, ctx);
  if (startsJson(env.message)) return parseJson(env, ctx);
  if (env.message.startsWith(XML_START)) return parseXml(env, ctx);
  return null;
}

/** Windows Filtering Platform audit events and Windows Firewall channel events. */
export const windowsWfp: LogFormat = {
  id: FORMAT_ID,
  label: 'Windows Filtering Platform audit events',
  description:
    'Windows Security log Filtering Platform audit events (5152/5153/5157 blocked, 5156 permitted; listen and bind 5154/5155/5158/5159, 5031) and Windows Firewall With Advanced Security channel events (rule and setting changes 2002-2099) as NXLog or Winlogbeat JSON lines, Snare MSWinEventLog syslog, or event XML one event a line (Get-WinEvent ToXml, wevtutil); non-traffic records are counted by kind.',
  example:
    '{"EventTime":"2026-06-03T10:15:00.000Z","Hostname":"WS01.example.test","EventID":5157,"SourceName":"Microsoft-Windows-Security-Auditing","Channel":"Security","ProcessID":"1048","Application":"\\\\device\\\\harddiskvolume2\\\\windows\\\\system32\\\\svchost.exe","Direction":"%%14592","SourceAddress":"203.0.113.7","SourcePort":"51544","DestAddress":"192.0.2.10","DestPort":"3389","Protocol":"6","FilterRTID":"70201","LayerName":"%%14610","LayerRTID":"44"}',
  fields: [...TRAFFIC_FIELDS, 'ianaNumber', 'ipVersion', 'ruleName', ...OBSERVER_FIELDS],
  detect(message: string, env: Envelope): number {
    if (env.program === SNARE_TAG || message.startsWith(`${SNARE_TAG}\t`))
      return namesProvider(message) ? 0.95 : 0;
    if (message.startsWith(XML_START)) return namesProvider(message) ? 0.95 : 0;
    return detectJson(message);
  },
  createParser(ctx: ParseContext) {
    return (env) => parse(env, ctx);
  },
};
