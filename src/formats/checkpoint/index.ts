// Check Point firewall logs: Log Exporter syslog (`[action:"Drop"; src:"..."]`), CEF and LEEF, LEA `key=value|`
// lines and the positional quoted export, all read with Check Point's own field names.
import type { Direction, EventAction } from '../../event.js';
import { ownValue } from '../../util/own.js';
import { findCefStart, parseCefExtension, parseCefHeader } from '../cef.js';
import {
  actionFromWord,
  cefValues,
  connDirection,
  customString,
  type KeyedValues,
  keyedEvent,
  parseVendorTime,
  pick,
} from '../cef-event.js';
import { INTERFACE_RULE_FIELDS, OBSERVER_FIELDS, TRAFFIC_FIELDS } from '../common-fields.js';
import { localTime, monthIndex } from '../envelope/time.js';
import { findLeefStart, leefValues, parseLeef } from '../leef.js';
import { statelessParser } from '../parser-helpers.js';
import { type AlarmKind, markAlarm, NON_TRAFFIC, notUnderstood } from '../skip-kinds.js';
import type { Envelope, LogFormat, ParseContext, ParseResult } from '../types.js';
import {
  isFwLogText,
  isPositionalExport,
  parseColonQuoted,
  parseFwLogText,
  parseLeaPairs,
  parseLogExporterJson,
  parsePositionalExport,
} from './fields.js';

const FORMAT_ID = 'checkpoint';

/** Check Point action words that are not traffic decisions but records of their own. */
const NON_TRAFFIC_ACTIONS: Record<string, string> = {
  'key install': 'VPN key exchange',
  update: 'management record',
  login: NON_TRAFFIC.authentication,
  logout: NON_TRAFFIC.authentication,
  'log in': NON_TRAFFIC.authentication,
  'log out': NON_TRAFFIC.authentication,
  'failed log in': NON_TRAFFIC.authentication,
};

/**
 * Products (blades) whose records without addresses carry no traffic, by family (Check Point Log Exporter
 * field reference): gateway and management system records, policy and object audit, identity and VPN logins.
 */
const NON_TRAFFIC_PRODUCTS: Record<string, string> = {
  'system monitor': NON_TRAFFIC.system,
  'security gateway/management': NON_TRAFFIC.system,
  'log update': NON_TRAFFIC.system,
  'application control': NON_TRAFFIC.system,
  'url filtering': NON_TRAFFIC.system,
  'threat emulation': NON_TRAFFIC.system,
  'anti-virus': NON_TRAFFIC.system,
  'anti-bot': NON_TRAFFIC.system,
  smartconsole: NON_TRAFFIC.configuration,
  smartdashboard: NON_TRAFFIC.configuration,
  web_api: NON_TRAFFIC.configuration,
  'security management': NON_TRAFFIC.configuration,
  'identity awareness': NON_TRAFFIC.authentication,
  'mobile access': NON_TRAFFIC.authentication,
  'endpoint security': NON_TRAFFIC.system,
  cluster: NON_TRAFFIC.highAvailability,
  clusterxl: NON_TRAFFIC.highAvailability,
  'vpn-1 & firewall-1': NON_TRAFFIC.system,
  vpn: NON_TRAFFIC.vpn,
  ike: NON_TRAFFIC.vpn,
};

/** Threat-prevention blades: their records with addresses are the gateway's own alarm about a connection. */
const THREAT_PRODUCTS: Record<string, AlarmKind> = {
  smartdefense: 'ids',
  ips: 'ids',
  'anti-bot': 'threat',
  'anti-virus': 'threat',
  'anti malware': 'threat',
  'threat emulation': 'threat',
  'threat extraction': 'threat',
  'core protections': 'ids',
};

/** A Check Point record in any of its syntaxes, as one field map. */
interface Located {
  fields: Map<string, string>;
  /** Set for CEF/LEEF, whose standard keys are read first. */
  kind: 'native' | 'cef' | 'leef';
  product?: string;
  /** CEF name (the header's event name), for an alarm without a protection name field. */
  name?: string;
}

const CEF_CHECKPOINT_RE = /^(?:CEF: ?)?\d\|Check Point\|/;

function locate(env: Envelope): Located | null {
  const message = env.message;
  const cefAt = findCefStart(message);
  const bareCef = cefAt < 0 && CEF_CHECKPOINT_RE.test(message);
  if (cefAt >= 0 || bareCef) {
    const header = parseCefHeader(message.slice(Math.max(cefAt, 0)));
    if (header?.vendor !== 'Check Point') return null;
    return {
      kind: 'cef',
      fields: parseCefExtension(header.extension),
      product: header.product,
      name: header.name,
    };
  }
  const leefAt = findLeefStart(message);
  if (leefAt >= 0) {
    const record = parseLeef(message.slice(leefAt));
    if (record?.vendor !== 'Check Point') return null;
    return { kind: 'leef', fields: record.attributes, product: record.product };
  }
  // RFC 5424 Log Exporter: the whole record is the structured data (any first key: `[flags:"..."; ...]` too).
  if (
    (env.structuredData !== undefined && logExporterBracket(env.structuredData) === 0) ||
    env.program === 'CheckPoint'
  ) {
    const fields = parseColonQuoted(env.structuredData ?? message);
    if (fields.has('action') || fields.has('origin')) return { kind: 'native', fields };
  }
  const bracket = logExporterBracket(message);
  if (bracket >= 0) return { kind: 'native', fields: parseColonQuoted(message.slice(bracket)) };
  if (isPositionalExport(message)) return { kind: 'native', fields: parsePositionalExport(message) };
  if (message.startsWith('{"')) {
    const fields = parseLogExporterJson(message);
    if (fields) return { kind: 'native', fields };
  }
  const fwLog = isFwLogText(message) ? parseFwLogText(message) : null;
  if (fwLog) return { kind: 'native', fields: fwLog };
  if (/(?:^|\|)action=/.test(message) && /(?:^|\|)(?:orig|origin)=/.test(message))
    return { kind: 'native', fields: parseLeaPairs(message) };
  return null;
}

/**
 * Where a Log Exporter syslog record starts (`[action:"Drop"; ...]`, `[flags:"133440"; ...]`): a `[` within the
 * first 40 characters opening a `key:"value"` list that names the gateway (`origin`) or the log (`loguid`); -1 if none.
 */
function logExporterBracket(text: string): number {
  const bracket = text.indexOf('[');
  if (bracket < 0 || bracket >= 40) return -1;
  let i = bracket + 1;
  while (i < text.length && i < bracket + 40 && /[\w.-]/.test(text[i]!)) i++;
  if (i === bracket + 1 || text[i] !== ':' || (text[i + 1] !== '"' && text[i + 1] !== ':')) return -1;
  if (text.startsWith('[action:', bracket)) return bracket;
  return text.includes('origin:"') || text.includes('loguid:"') ? bracket : -1;
}

/**
 * Traffic direction from the zones (`inzone: External`, `outzone: Internal`), used only when the record has no
 * `ifdir` / `deviceDirection` of its own: the gateway's own word wins, as Elastic's and Sekoia's parsers read it.
 */
function directionFromZones(f: Map<string, string>): Direction | undefined {
  const inZone = pick(f, 'inzone');
  const outZone = pick(f, 'outzone');
  const external = (z: string | undefined) => z !== undefined && /^external$/i.test(z);
  if (inZone && outZone) {
    if (external(inZone) && !external(outZone)) return 'inbound';
    if (external(outZone) && !external(inZone)) return 'outbound';
    return 'unknown';
  }
  return undefined;
}

/** `20Dec2019 12:04:05` / `14Mar2026  8:50:10` (positional export and LEA, device local time). */
function exportTime(text: string | undefined, ctx: ParseContext): number | undefined {
  const m = text && /^(\d{1,2})([A-Z][a-z]{2})(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const month = monthIndex(m[2]!);
  if (month < 0) return undefined;
  return localTime(ctx, Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
}

function nativeValues(f: Map<string, string>, action: EventAction, ctx: ParseContext): KeyedValues {
  const ifdir = pick(f, 'ifdir', 'i/f_dir');
  const ifname = pick(f, 'ifname', 'i/f_name');
  const service = pick(f, 'service');
  return {
    sourceIp: pick(f, 'src'),
    destinationIp: pick(f, 'dst'),
    sourcePort: pick(f, 's_port', 'sport'),
    // `service` holds the destination port number (its name is in `service_id`).
    destinationPort: service && /^\d+$/.test(service) ? service : pick(f, 'dport'),
    protocol: pick(f, 'proto'),
    action,
    direction:
      connDirection(pick(f, 'conn_direction')) ??
      (ifdir === 'inbound' || ifdir === 'outbound' ? ifdir : undefined),
    timestamp:
      parseVendorTime(pick(f, 'time'), ctx) ??
      exportTime(f.get('time'), ctx) ??
      exportTime(`${f.get('date')} ${f.get('time')}`, ctx),
    inInterface: ifdir === 'outbound' ? undefined : ifname,
    outInterface: ifdir === 'outbound' ? ifname : undefined,
    ruleName: pick(f, 'rule_name', 'rule'),
    observerHost: pick(f, 'origin', 'orig'),
    icmpType: pick(f, 'icmp_type', 'ICMP Type'),
    icmpCode: pick(f, 'icmp_code', 'ICMP Code'),
  };
}

function parse(env: Envelope, ctx: ParseContext): ParseResult {
  const loc = locate(env);
  if (!loc) return null;
  const f = loc.fields;
  const actionText = pick(f, 'act', 'action', 'rule_action');
  const nonTraffic = actionText && ownValue(NON_TRAFFIC_ACTIONS, actionText.toLowerCase());
  if (nonTraffic) return { skip: nonTraffic };
  const action = actionFromWord(actionText) ?? 'log';
  let values: KeyedValues;
  if (loc.kind === 'native') values = nativeValues(f, action, ctx);
  else {
    const native = nativeValues(f, action, ctx);
    const std = loc.kind === 'cef' ? cefValues(f, action, ctx) : leefValues(f, action, ctx);
    // Standard keys first; Check Point's own names fill what they lack.
    values = { ...native };
    for (const [k, v] of Object.entries(std))
      if (v !== undefined) (values as unknown as Record<string, unknown>)[k] = v;
    values.ruleName = customString(f, /rule name/i) ?? native.ruleName;
    values.observerHost = native.observerHost ?? std.observerHost;
  }
  values.direction ??= directionFromZones(f);
  const product = (pick(f, 'product') ?? loc.product ?? '').trim();
  if (values.sourceIp === undefined && values.destinationIp === undefined) {
    const kind = ownValue(NON_TRAFFIC_PRODUCTS, product.toLowerCase());
    if (kind) return { skip: kind };
    if (f.has('operation') || f.has('audit_status')) return { skip: NON_TRAFFIC.configuration };
    return notUnderstood(
      product ? `product ${product}` : `record without product (${actionText ?? 'no action'})`,
    );
  }
  values.timestamp ??= env.timestamp;
  values.observerProduct = `check point ${loc.product ?? pick(f, 'product') ?? ''}`.trim().toLowerCase();
  const ev = keyedEvent(FORMAT_ID, values);
  const alarm = ownValue(THREAT_PRODUCTS, product.toLowerCase());
  if (alarm && !('error' in ev))
    markAlarm(
      ev,
      alarm,
      product,
      pick(f, 'protection_name', 'attack', 'malware_family', 'protection_type') ??
        loc.name ??
        values.ruleName,
    );
  return ev;
}

/** Check Point gateways: Log Exporter (syslog, CEF, LEEF), LEA and positional exports. */
export const checkpoint: LogFormat = {
  id: FORMAT_ID,
  label: 'Check Point',
  description:
    'Check Point Security Gateway logs: Log Exporter in all its forms (syslog [action:"Drop"; src:"..."] with or without RFC 5424 framing and whatever its first key, CEF, LEEF, JSON, key=value), the older fw log text and positional OPSEC/LEA exports; IPS, Anti-Bot and Anti-Virus records are marked as the gateway\'s alarms, system, audit, login and VPN records counted as non-traffic.',
  example:
    '<134>1 2026-03-14T08:14:00Z gw-01 CheckPoint 2211 - [action:"Drop"; ifdir:"inbound"; ifname:"eth1"; origin:"192.0.2.1"; time:"1773476040"; inzone:"External"; outzone:"Internal"; src:"203.0.113.7"; dst:"192.0.2.10"; proto:"6"; s_port:"40112"; service:"22"; rule_name:"Cleanup rule"]',
  fields: [
    ...TRAFFIC_FIELDS,
    ...INTERFACE_RULE_FIELDS,
    'prefix',
    'alarmName',
    'icmpType',
    'icmpCode',
    ...OBSERVER_FIELDS,
  ],
  detect(message: string, envelope: Envelope): number {
    if (envelope.program === 'CheckPoint') return 0.9;
    if (envelope.structuredData !== undefined && logExporterBracket(envelope.structuredData) === 0)
      return 0.9;
    if (message.includes('Check Point|')) return 0.9;
    if (logExporterBracket(message) >= 0) return 0.9;
    if (isPositionalExport(message)) return 0.7;
    if (isFwLogText(message)) return 0.7;
    if (message.startsWith('{"') && message.includes('"loguid"') && message.includes('"origin"')) return 0.85;
    if (message.includes('action=') && /(?:^|\|)(?:orig|origin)=/.test(message)) return 0.6;
    return 0;
  },
  createParser: statelessParser(parse),
};
