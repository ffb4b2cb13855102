// Suricata eve.json: flow, netflow, alert and drop records become events; protocol records (dns, http, tls,
// ssh ...), anomalies and stats are counted as non-traffic.
import type { EventAction, FwEvent, TcpFlag } from '../event.js';
import { tcpFlagsFromBits } from '../net/wire.js';
import { wordTable } from '../util/word-table.js';
import { FLOW_HEAD_FIELDS, MAC_ENDPOINT_FIELDS, TRAFFIC_COUNT_FIELDS } from './common-fields.js';
import { damaged } from './damaged.js';
import {
  countValue,
  flowEvent,
  parseJsonObject,
  recordTime,
  SENSOR_EARLIEST,
  setTrafficCounts,
  startsJson,
} from './flow-record.js';
import { statelessParser } from './parser-helpers.js';
import { markAlarm } from './skip-kinds.js';
import type { Envelope, LogFormat, ParseContext, ParseError, ParseResult } from './types.js';

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

/** Event types that describe traffic; every other type is a protocol or engine record. */
const TRAFFIC_TYPES = new Set(['flow', 'netflow', 'alert', 'drop']);

/** The `timestamp` field, as a damaged line's reason names it. */
const TIME_FIELD = { en: 'event time', zh: '事件时间' };

/** alert.action / flow.action words: `allowed` (IDS, or IPS letting it pass), `blocked` (IPS dropped it). */
const ACTION_WORDS: Record<string, EventAction> = wordTable({
  allowed: 'allow',
  pass: 'allow',
  blocked: 'deny',
  drop: 'deny',
  reject: 'reject',
  rejected: 'reject',
});

/** Flag booleans of a drop record's packet, in the kernel's printing order. */
const DROP_FLAGS: [string, TcpFlag][] = [
  ['cwr', 'CWR'],
  ['ece', 'ECE'],
  ['urg', 'URG'],
  ['ack', 'ACK'],
  ['psh', 'PSH'],
  ['rst', 'RST'],
  ['syn', 'SYN'],
  ['fin', 'FIN'],
];

function actionOf(type: string, rec: Obj): EventAction | ParseError {
  if (type === 'drop') return 'deny';
  const word = type === 'alert' ? obj(rec.alert)?.action : obj(rec.flow)?.action;
  if (word === undefined) return type === 'alert' ? 'allow' : 'log';
  const action = ACTION_WORDS[String(word)];
  return action ?? damaged('parse.eve.action', { type, value: JSON.stringify(word) });
}

/** Fields of the dropped packet itself (`drop` object): only drop records describe one packet. */
function addDropPacket(ev: FwEvent, drop: Obj): void {
  const num = (k: string) => countValue(drop[k]);
  if (num('len') !== undefined) ev.length = num('len');
  if (num('ttl') !== undefined) ev.ttl = num('ttl');
  if (num('ipid') !== undefined) ev.ipId = num('ipid');
  if (num('tos') !== undefined) ev.tos = num('tos');
  if (ev.transport === 'tcp') {
    if (num('tcpseq') !== undefined) ev.tcpSeq = num('tcpseq');
    if (num('tcpack') !== undefined) ev.tcpAck = num('tcpack');
    if (num('tcpwin') !== undefined) ev.tcpWindow = num('tcpwin');
    const flags = DROP_FLAGS.filter(([k]) => drop[k] === true).map(([, f]) => f);
    if (flags.length) ev.tcpFlags = flags;
  }
}

function parse(env: Envelope, ctx: ParseContext): ParseResult {
  const parsed = parseJsonObject(env.message);
  if (parsed === undefined) return null;
  if ('error' in parsed) return detectEve(env.message) ? parsed : null;
  return readEveRecord(parsed.record, ctx, 'suricata-eve', 'suricata');
}

/**
 * One EVE record (Suricata's own, or the inner `event` of an AWS Network Firewall log) read as an event of
 * `format`: traffic types become events, other types `<type> record` non-traffic; null when it is no EVE record.
 */
export function readEveRecord(rec: Obj, ctx: ParseContext, format: string, product: string): ParseResult {
  let type = typeof rec.event_type === 'string' ? rec.event_type : undefined;
  // Some shippers drop event_type: a record with an alert object is an alert, other flow records are protocol logs.
  if (type === undefined) {
    if (!('flow_id' in rec) || !('src_ip' in rec)) return null;
    type = obj(rec.alert) ? 'alert' : 'protocol';
  }
  if (!TRAFFIC_TYPES.has(type)) return { skip: type === 'stats' ? 'engine statistics' : `${type} record` };

  const action = actionOf(type, rec);
  if (typeof action !== 'string') return action;
  const ev = flowEvent(format, action, 'unknown', {
    sourceIp: rec.src_ip,
    destinationIp: rec.dest_ip,
    sourcePort: rec.src_port,
    destinationPort: rec.dest_port,
    protocol: rec.proto,
  });
  if ('error' in ev) return ev;
  if (ev.sourceIp === undefined || ev.destinationIp === undefined)
    return damaged('parse.eve.noAddress', { type });
  const ts = recordTime(rec.timestamp, TIME_FIELD, ctx, SENSOR_EARLIEST);
  if (ts === undefined) return damaged('parse.eve.timestamp', { value: JSON.stringify(rec.timestamp) });
  if (typeof ts === 'object') return ts;
  ev.timestamp = ts;
  if (ev.transport === 'icmp' || ev.transport === 'ipv6-icmp') {
    const icmpType = countValue(rec.icmp_type);
    const code = countValue(rec.icmp_code);
    if (icmpType !== undefined) ev.icmpType = icmpType;
    if (code !== undefined) ev.icmpCode = code;
  }
  if (typeof rec.in_iface === 'string') ev.inInterface = rec.in_iface;
  const ether = obj(rec.ether);
  if (typeof ether?.src_mac === 'string') ev.sourceMac = ether.src_mac;
  if (typeof ether?.dest_mac === 'string') ev.destinationMac = ether.dest_mac;
  const alert = obj(rec.alert);
  if (typeof alert?.signature === 'string') ev.ruleName = alert.signature;
  // Suricata's own alarm: a signature of severity 1 or 2 (of 1-3; 3 is informational and protocol noise such as
  // "SURICATA HTTP missing Host header") is an IDS alarm, a finding of its own whether the packet was let through
  // or not. AWS Network Firewall's alerts are its policy's drops, not signatures: they stay plain events.
  const severity = countValue(alert?.severity);
  if (
    format === 'suricata-eve' &&
    type === 'alert' &&
    severity !== undefined &&
    severity >= 1 &&
    severity <= 2
  ) {
    const category = typeof alert?.category === 'string' && alert.category !== '' ? alert.category : 'alert';
    markAlarm(
      ev,
      'ids',
      `${category} (severity ${severity})`,
      typeof alert?.signature === 'string' ? alert.signature : undefined,
    );
  }

  const drop = obj(rec.drop);
  if (type === 'drop' && drop) addDropPacket(ev, drop);
  // Flow and netflow records: the flags seen over the whole flow; one-packet netflows tell that packet's length.
  const tcp = obj(rec.tcp);
  const netflow = obj(rec.netflow);
  if (type !== 'drop' && ev.transport === 'tcp' && typeof tcp?.tcp_flags === 'string') {
    const bits = Number.parseInt(tcp.tcp_flags, 16);
    // Every packet's flags together (both ways in a flow record): one packet's only when there was one.
    const flow = obj(rec.flow);
    const packets =
      type === 'netflow'
        ? countValue(netflow?.pkts)
        : (countValue(flow?.pkts_toserver) ?? 0) + (countValue(flow?.pkts_toclient) ?? 0);
    if (bits > 0 && packets === 1) ev.tcpFlags = tcpFlagsFromBits(bits);
    else if (bits > 0) ev.flowTcpFlags = tcpFlagsFromBits(bits);
  }
  if (type === 'netflow' && countValue(netflow?.pkts) === 1) {
    const bytes = countValue(netflow?.bytes);
    if (bytes !== undefined) ev.length = bytes;
  }
  // What the flow carried each way (flow: to the server from the source, the client; to the client from the
  // destination), or one direction's netflow record (its source the sender). An alert's flow counts are the flow
  // so far when it fired: left out, the alert is no record of the flow.
  const flowCounts = obj(rec.flow);
  if (type === 'flow' && flowCounts)
    setTrafficCounts(ev, {
      sourcePackets: flowCounts.pkts_toserver,
      sourceBytes: flowCounts.bytes_toserver,
      destinationPackets: flowCounts.pkts_toclient,
      destinationBytes: flowCounts.bytes_toclient,
    });
  else if (type === 'netflow' && netflow)
    setTrafficCounts(ev, { sourcePackets: netflow.pkts, sourceBytes: netflow.bytes });
  ev.observerProduct = product;
  return ev;
}

function detectEve(message: string): boolean {
  return (
    (message.includes('"event_type"') && (message.includes('"flow_id"') || message.includes('"stats"'))) ||
    (message.includes('"flow_id"') && message.includes('"src_ip"') && message.includes('"dest_ip"'))
  );
}

/** Suricata EVE JSON. */
export const suricataEve: LogFormat = {
  id: 'suricata-eve',
  label: 'Suricata eve.json',
  description:
    'Suricata EVE JSON output: flow, netflow, alert (allowed/blocked) and IPS drop records; protocol records and stats are counted as non-traffic.',
  example:
    '{"timestamp":"2024-01-07T19:54:41.712927+0000","flow_id":1258832998001901,"in_iface":"eth0","event_type":"alert","src_ip":"198.51.100.4","src_port":44244,"dest_ip":"192.0.2.4","dest_port":2375,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":2024217,"rev":3,"signature":"ET POLICY Possible Docker API Access","category":"Potentially Bad Traffic","severity":2}}',
  fields: [
    ...FLOW_HEAD_FIELDS,
    ...MAC_ENDPOINT_FIELDS,
    'inInterface',
    'ruleName',
    'prefix',
    'alarmName',
    'icmpType',
    'icmpCode',
    'tcpFlags',
    'flowTcpFlags',
    'length',
    ...TRAFFIC_COUNT_FIELDS,
    'ttl',
    'ipId',
    'tos',
    'tcpSeq',
    'tcpAck',
    'tcpWindow',
    'observerProduct',
  ],
  detect(message: string): number {
    return startsJson(message) && detectEve(message) ? 0.85 : 0;
  },
  createParser: statelessParser(parse),
};
