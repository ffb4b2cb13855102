// Stormshield Network Security (SNS) key=value logs (`time="..." fw="..." tz=+0100 ... logtype="filter"`):
// connection, filter, alarm and plugin records carry traffic; auth, system, vpn, monitor ... are non-traffic.
import { actionFromWord, type KeyedValues, keyedEvent, pick } from './cef-event.js';
import { APPLIANCE_FIELDS, UNDIRECTED_TRAFFIC_FIELDS } from './common-fields.js';
import { parseIsoStamp } from './envelope/time.js';
import { setTrafficCounts } from './flow-record.js';
import { isoZone, parseKeyValues } from './key-value.js';
import { statelessParser } from './parser-helpers.js';
import type { Envelope, LogFormat, ParseContext, ParseResult } from './types.js';

const FORMAT_ID = 'stormshield';

/** SNS log types (`logtype=`) whose records describe a packet or a connection. */
const TRAFFIC_LOG_TYPES = new Set(['connection', 'filter', 'alarm', 'plugin']);

/** Every SNS record opens with `[id=firewall ]time=... fw=... tz=...` (time quoted or not). */
const SNS_RE =
  /^(?:id=firewall\s+)?time="?\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"?\s+fw="?[^\s"]+"?\s+tz=[+-]\d{4}\b/;

/** `time` (local wall time of the firewall) with the `tz` offset it names. */
function snsTime(message: string, f: Map<string, string>, ctx: ParseContext): number | undefined {
  // Unquoted `time=2025-10-29 09:56:16` splits at the space: read the stamp from the text itself.
  const m = /\btime="?(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})/.exec(message);
  if (!m) return undefined;
  return parseIsoStamp(`${m[1]}T${m[2]}${isoZone(f.get('tz')) ?? ''}`, ctx)?.[0];
}

/** SNS writes `00:00:00:00:00:00` when it does not know the MAC (proxied or routed-in traffic). */
function knownMac(mac: string | undefined): string | undefined {
  return mac === undefined || /^(?:00:){5}00$/.test(mac) ? undefined : mac;
}

function parse(env: Envelope, ctx: ParseContext): ParseResult {
  const message = env.message;
  if (!SNS_RE.test(message)) return null;
  const f = parseKeyValues(message);
  const type = (f.get('logtype') ?? '').toLowerCase();
  // Monitor records (CPU and interface counters) carry no logtype.
  if (!TRAFFIC_LOG_TYPES.has(type)) return { skip: `${type || 'monitor'} record` };
  if (!f.has('src') && !f.has('dst')) return { skip: `${type} record without addresses` };
  const ruleId = f.get('ruleid');
  const values: KeyedValues = {
    sourceIp: f.get('src'),
    destinationIp: f.get('dst'),
    sourcePort: f.get('srcport'),
    destinationPort: f.get('dstport'),
    protocol: f.get('ipproto'),
    // A record without `action` (a filter rule set to log only) states no decision.
    action: actionFromWord(f.get('action')) ?? 'log',
    timestamp: snsTime(message, f, ctx) ?? env.timestamp,
    inInterface: f.get('srcif'),
    outInterface: f.get('dstif'),
    ruleName: pick(f, 'rulename') ?? (ruleId && /^\d+$/.test(ruleId) ? `rule ${ruleId}` : undefined),
    observerHost: pick(f, 'fw') ?? env.host,
    observerProduct: 'stormshield sns',
    sourceMac: knownMac(f.get('srcmac')),
    destinationMac: knownMac(f.get('dstmac')),
    icmpType: f.get('icmptype'),
    icmpCode: f.get('icmpcode'),
  };
  const ev = keyedEvent(FORMAT_ID, values);
  // A connection record's bytes (Stormshield log fields: `sent` by the source, the client; `rcvd` by it, sent
  // back by the destination).
  if (!('error' in ev)) setTrafficCounts(ev, { sourceBytes: f.get('sent'), destinationBytes: f.get('rcvd') });
  return ev;
}

/** Stormshield Network Security (SNS) firewall logs. */
export const stormshield: LogFormat = {
  id: FORMAT_ID,
  label: 'Stormshield Network Security',
  description:
    'Stormshield SNS syslog key=value records (time/fw/tz header, logtype=connection|filter|alarm|plugin); authentication, system, VPN and monitor records are counted as non-traffic.',
  example:
    'id=firewall time="2026-11-25 16:46:39" fw="SN310A00000001" tz=+0100 startime="2026-11-25 16:46:39" pri=5 confid=01 slotlevel=2 ruleid=7 srcif="Ethernet0" srcifname="out" ipproto=tcp dstif="Ethernet1" dstifname="in" proto=ssh src=203.0.113.7 srcport=40112 dst=192.0.2.10 dstport=22 ipv=4 action=block logtype="filter"',
  fields: [
    ...UNDIRECTED_TRAFFIC_FIELDS,
    'sourceMac',
    'destinationMac',
    'icmpType',
    'icmpCode',
    'sourceBytes',
    'destinationBytes',
    ...APPLIANCE_FIELDS,
  ],
  detect(message: string): number {
    return SNS_RE.test(message) ? 0.9 : 0;
  },
  createParser: statelessParser(parse),
};
