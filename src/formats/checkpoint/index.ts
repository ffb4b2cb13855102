// Check Point firewall logs: Log Exporter syslog (`[action:"Drop"; src:"..."]`), CEF and LEEF, LEA `key=value|`
// lines and the positional quoted export, all read with Check Point's own field names.
import type { Direction, EventAction } from '../../event.js';
import { findCefStart, parseCefExtension, parseCefHeader } from '../cef.js';
import {
  actionFromWord,
  cefValues,
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
import type { Envelope, LogFormat, ParseContext, ParseResult } from '../types.js';
import { isPositionalExport, parseColonQuoted, parseLeaPairs, parsePositionalExport } from './fields.js';

const FORMAT_ID = 'checkpoint';

/** Check Point action words that are not traffic decisions but records of their own. */
const NON_TRAFFIC_ACTIONS: Record<string, string> = {
  'key install': 'VPN key exchange',
  update: 'management record',
  login: 'authentication',
  logout: 'authentication',
  'failed log in': 'authentication',
};

/** A Check Point record in any of its syntaxes, as one field map. */
interface Located {
  fields: Map<string, string>;
  /** Set for CEF/LEEF, whose standard keys are read first. */
  kind: 'native' | 'cef' | 'leef';
  product?: string;
}

const CEF_CHECKPOINT_RE = /^(?:CEF: ?)?\d\|Check Point\|/;

function locate(env: Envelope): Located | null {
  const message = env.message;
  const cefAt = findCefStart(message);
  const bareCef = cefAt < 0 && CEF_CHECKPOINT_RE.test(message);
  if (cefAt >= 0 || bareCef) {
    const header = parseCefHeader(message.slice(Math.max(cefAt, 0)));
    if (header?.vendor !== 'Check Point') return null;
    return { kind: 'cef', fields: parseCefExtension(header.extension), product: header.product };
  }
  const leefAt = findLeefStart(message);
  if (leefAt >= 0) {
    const record = parseLeef(message.slice(leefAt));
    if (record?.vendor !== 'Check Point') return null;
    return { kind: 'leef', fields: record.attributes, product: record.product };
  }
  // RFC 5424 Log Exporter: the whole record is the structured data.
  if (env.structuredData?.startsWith('[action:') || env.program === 'CheckPoint') {
    const fields = parseColonQuoted(env.structuredData ?? message);
    if (fields.has('action') || fields.has('origin')) return { kind: 'native', fields };
  }
  const bracket = message.indexOf('[action:');
  if (bracket >= 0 && bracket < 40)
    return { kind: 'native', fields: parseColonQuoted(message.slice(bracket)) };
  if (isPositionalExport(message)) return { kind: 'native', fields: parsePositionalExport(message) };
  if (/(?:^|\|)action=/.test(message) && /(?:^|\|)(?:orig|origin)=/.test(message))
    return { kind: 'native', fields: parseLeaPairs(message) };
  return null;
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
    direction: ifdir === 'inbound' || ifdir === 'outbound' ? ifdir : undefined,
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
  const nonTraffic = actionText && NON_TRAFFIC_ACTIONS[actionText.toLowerCase()];
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
  if (values.sourceIp === undefined && values.destinationIp === undefined)
    return { skip: 'non-traffic record' };
  values.timestamp ??= env.timestamp;
  values.observerProduct = `check point ${loc.product ?? pick(f, 'product') ?? ''}`.trim().toLowerCase();
  return keyedEvent(FORMAT_ID, values);
}

/** Check Point gateways: Log Exporter (syslog, CEF, LEEF), LEA and positional exports. */
export const checkpoint: LogFormat = {
  id: FORMAT_ID,
  label: 'Check Point',
  description:
    'Check Point Security Gateway logs: Log Exporter syslog ([action:"Drop"; src:"..."]), its CEF and LEEF forms, LEA key=value lines and the positional fw log export.',
  example:
    '<134>1 2026-03-14T08:14:00Z gw-01 CheckPoint 2211 - [action:"Drop"; ifdir:"inbound"; ifname:"eth1"; origin:"192.0.2.1"; time:"1773476040"; inzone:"External"; outzone:"Internal"; src:"203.0.113.7"; dst:"192.0.2.10"; proto:"6"; s_port:"40112"; service:"22"; rule_name:"Cleanup rule"]',
  fields: [...TRAFFIC_FIELDS, ...INTERFACE_RULE_FIELDS, 'icmpType', 'icmpCode', ...OBSERVER_FIELDS],
  detect(message: string, envelope: Envelope): number {
    if (envelope.structuredData?.startsWith('[action:') || envelope.program === 'CheckPoint') return 0.9;
    if (message.includes('Check Point|')) return 0.9;
    const bracket = message.indexOf('[action:');
    if (bracket >= 0 && bracket < 40) return 0.9;
    if (isPositionalExport(message)) return 0.7;
    if (message.includes('action=') && /(?:^|\|)(?:orig|origin)=/.test(message)) return 0.6;
    return 0;
  },
  createParser: statelessParser(parse),
};
