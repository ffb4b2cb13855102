// Google Cloud VPC flow logs and VPC firewall rules logs: Cloud Logging LogEntry JSON (one per line) whose
// jsonPayload holds `connection` {src_ip, src_port, dest_ip, dest_port, protocol}, or that payload alone.
import type { Direction, EventAction } from '../event.js';
import { wordTable } from '../util/word-table.js';
import { FLOW_FIELDS } from './common-fields.js';
import { damaged } from './damaged.js';
import {
  countValue,
  FLOW_INTERVAL_PHASE,
  flowEvent,
  parseJsonObject,
  recordTime,
  setTrafficCounts,
  startsJson,
} from './flow-record.js';
import { statelessParser } from './parser-helpers.js';
import type { Envelope, LogFormat, ParseContext, ParseResult } from './types.js';

type Obj = Record<string, unknown>;

/** VPC flow logs: which VM wrote the record, the sender (SRC) or the receiver (DEST). */
const REPORTER_DIRECTIONS: Record<string, Direction> = wordTable({ SRC: 'outbound', DEST: 'inbound' });
/** Firewall rules logging: the rule's direction. */
const RULE_DIRECTIONS: Record<string, Direction> = wordTable({ INGRESS: 'inbound', EGRESS: 'outbound' });
/** Firewall rules logging: what the rule did (INTERCEPTED = handed to the intrusion prevention service). */
const DISPOSITIONS: Record<string, EventAction> = wordTable({
  ALLOWED: 'allow',
  DENIED: 'deny',
  INTERCEPTED: 'log',
});
/** `start_time` (else the entry's `timestamp`), as a damaged line's reason names it. */
const TIME_FIELD = { en: 'flow time', zh: '流时间' };

function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

function parse(env: Envelope, ctx: ParseContext): ParseResult {
  const parsed = parseJsonObject(env.message);
  if (parsed === undefined) return null;
  if ('error' in parsed) return detectGcp(env.message) ? parsed : null;
  const entry = parsed.record;
  const payload = obj(entry.jsonPayload) ?? entry;
  const conn = obj(payload.connection);
  if (!conn || !('src_ip' in conn || 'dest_ip' in conn)) return null;

  const disposition = payload.disposition;
  let action: EventAction = 'log';
  if (disposition !== undefined) {
    const a = DISPOSITIONS[String(disposition)];
    if (a === undefined) return damaged('parse.gcp.disposition', { value: JSON.stringify(disposition) });
    action = a;
  }
  const rule = obj(payload.rule_details);
  const reporter = String(payload.reporter ?? '');
  const direction = RULE_DIRECTIONS[String(rule?.direction)] ?? REPORTER_DIRECTIONS[reporter] ?? 'unknown';
  const ev = flowEvent('gcp-vpc-flow', action, direction, {
    sourceIp: conn.src_ip,
    destinationIp: conn.dest_ip,
    sourcePort: conn.src_port,
    destinationPort: conn.dest_port,
    protocol: conn.protocol,
  });
  if ('error' in ev) return ev;
  const time = payload.start_time ?? entry.timestamp ?? payload.timestamp;
  const ms = recordTime(time, TIME_FIELD, ctx);
  if (typeof ms === 'object') return ms;
  if (ms !== undefined) ev.timestamp = ms;
  else if (time !== undefined) return damaged('parse.gcp.time', { value: JSON.stringify(time) });
  if (typeof rule?.reference === 'string') ev.ruleName = rule.reference;
  // The VM the record speaks for: the firewall's instance, or the reporting end of a flow.
  const vm = obj(payload.instance) ?? obj(reporter === 'SRC' ? payload.src_instance : payload.dest_instance);
  if (typeof vm?.vm_name === 'string') ev.observerHost = vm.vm_name;
  // A one-packet flow tells that packet's length; larger counts are totals, not lengths.
  if (countValue(payload.packets_sent) === 1) {
    const bytes = countValue(payload.bytes_sent);
    if (bytes !== undefined) ev.length = bytes;
  }
  // What the sampled packets of the entry's direction carried, source to destination (connection.src_ip to
  // dest_ip): the reporter (SRC or DEST) is only which VM wrote the entry, not who sent. The reply is an entry of
  // its own with the addresses swapped, so no destination counts. Firewall rules logs have no counts.
  setTrafficCounts(ev, { sourcePackets: payload.packets_sent, sourceBytes: payload.bytes_sent });
  // A VPC flow log entry sums one 5-tuple's sampled packets over an aggregation interval (5 s by default), and a
  // firewall policy rule repeats a denied connection's entry every 5 s while its packets keep coming: either is a
  // record of a connection, and the same 5-tuple again is the same connection.
  ev.connectionPhase = FLOW_INTERVAL_PHASE;
  ev.observerProduct = 'gcp-vpc';
  return ev;
}

function detectGcp(message: string): boolean {
  return message.includes('"connection"') && message.includes('"src_ip"');
}

/** Google Cloud VPC flow logs and firewall rules logs. */
export const gcpVpcFlow: LogFormat = {
  id: 'gcp-vpc-flow',
  label: 'Google Cloud VPC flow / firewall logs',
  description:
    "Google Cloud VPC flow logs (reporter SRC/DEST, sampled flows) and VPC firewall rules logs (disposition ALLOWED/DENIED, rule reference) as Cloud Logging JSON entries; each entry is a connection's over an aggregation interval, and the same 5-tuple again (a long flow, a denied connection logged every 5 s) counts once.",
  example:
    '{"insertId":"1x9k2f3e4d5c","jsonPayload":{"connection":{"src_ip":"198.51.100.23","src_port":51514,"dest_ip":"192.0.2.10","dest_port":3389,"protocol":6},"disposition":"DENIED","rule_details":{"reference":"network:default/firewall:deny-rdp","priority":1000,"action":"DENY","direction":"INGRESS"},"instance":{"project_id":"example-project","vm_name":"web-1","region":"us-central1","zone":"us-central1-a"}},"logName":"projects/example-project/logs/compute.googleapis.com%2Ffirewall","timestamp":"2024-03-05T10:15:02.123456Z"}',
  fields: [
    ...FLOW_FIELDS,
    'ruleName',
    'observerHost',
    'length',
    'sourcePackets',
    'sourceBytes',
    'observerProduct',
    'connectionPhase',
  ],
  detect(message: string): number {
    return startsJson(message) && detectGcp(message) ? 0.9 : 0;
  },
  createParser: statelessParser(parse),
};
