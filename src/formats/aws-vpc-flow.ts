// AWS VPC Flow Logs: space-separated records (v2 default, v3-v5 cumulative layouts, custom field lists named
// by a header line) and the same record as JSON with underscore keys (Firehose / S3 exports).
import type { Direction, EventAction } from '../event.js';
import { tcpFlagsFromBits } from '../net/wire.js';
import { wordTable } from '../util/word-table.js';
import { FLOW_FIELDS } from './common-fields.js';
import { damaged } from './damaged.js';
import {
  countValue,
  FLOW_INTERVAL_PHASE,
  flowEvent,
  isUnset,
  parseJsonObject,
  recordTime,
  setTrafficCounts,
  startsJson,
} from './flow-record.js';
import type { Envelope, LogFormat, ParseContext, ParseResult, RecordParser } from './types.js';

/** Fields of the v2 default format, then the fields versions 3, 4 and 5 append, in AWS's documented order. */
const V2_FIELDS = [
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
];
const V3_FIELDS = ['vpc-id', 'subnet-id', 'instance-id', 'tcp-flags', 'type', 'pkt-srcaddr', 'pkt-dstaddr'];
const V4_FIELDS = ['region', 'az-id', 'sublocation-type', 'sublocation-id'];
const V5_FIELDS = ['pkt-src-aws-service', 'pkt-dst-aws-service', 'flow-direction', 'traffic-path'];

/** Layouts of header-less records, by field count: default v2, and the v3/v4/v5 "all fields" orders. */
const LAYOUT_BY_COUNT = new Map<number, string[]>(
  [V2_FIELDS, [...V2_FIELDS, ...V3_FIELDS], [...V2_FIELDS, ...V3_FIELDS, ...V4_FIELDS]]
    .concat([[...V2_FIELDS, ...V3_FIELDS, ...V4_FIELDS, ...V5_FIELDS]])
    .map((l) => [l.length, l]),
);

const FIELD_NAME_RE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** True for a header line naming the fields of a custom format (`version account-id ... srcaddr ...`). */
function isHeader(tokens: string[]): boolean {
  return (
    tokens.length >= 3 &&
    (tokens.includes('srcaddr') || tokens.includes('pkt-srcaddr')) &&
    tokens.every((t) => FIELD_NAME_RE.test(t))
  );
}

// AWS's own word is kept: REJECT means a security group or network ACL did not permit the flow. Security
// groups drop silently (no RST or ICMP goes back), so a REJECT flow does not tell that the sender got an answer.
const ACTIONS: Record<string, EventAction> = wordTable({ ACCEPT: 'allow', REJECT: 'reject' });
const DIRECTIONS: Record<string, Direction> = wordTable({ ingress: 'inbound', egress: 'outbound' });
/** `reject-reason` words (version 8) and what refused the flow. */
const REJECT_REASONS: Record<string, string> = wordTable({ BPA: 'VPC Block Public Access' });

/** The `start` column, as a damaged line's reason names it. */
const START_FIELD = { en: 'start time', zh: '开始时间' };

/** Turn one record, as field name -> value, into an event (or a skip / error). */
function recordToEvent(rec: Record<string, unknown>, ctx: ParseContext): ParseResult {
  const status = rec['log-status'];
  if (status === 'NODATA') return { skip: 'no data (no traffic in the interval)' };
  if (status === 'SKIPDATA') return { skip: 'skipped data (records lost in the interval)' };
  const actionWord = rec.action;
  let action: EventAction = 'log';
  if (!isUnset(actionWord)) {
    const a = ACTIONS[String(actionWord)];
    if (a === undefined) return damaged('parse.vpc.action', { value: JSON.stringify(actionWord) });
    action = a;
  }
  const direction = DIRECTIONS[String(rec['flow-direction'])] ?? 'unknown';
  const ev = flowEvent('aws-vpc-flow', action, direction, {
    sourceIp: rec.srcaddr ?? rec['pkt-srcaddr'],
    destinationIp: rec.dstaddr ?? rec['pkt-dstaddr'],
    sourcePort: rec.srcport,
    destinationPort: rec.dstport,
    protocol: rec.protocol,
  });
  if ('error' in ev) return ev;
  if (ev.sourceIp === undefined && ev.destinationIp === undefined) return damaged('parse.vpc.noAddress');
  // ICMP flows carry 0 in both port columns: no ports, and no type/code either.
  if (ev.transport === 'icmp' || ev.transport === 'ipv6-icmp') {
    delete ev.sourcePort;
    delete ev.destinationPort;
  }
  const start = recordTime(rec.start, START_FIELD, ctx);
  if (typeof start === 'object') return start;
  if (start !== undefined) ev.timestamp = start;
  else if (!isUnset(rec.start)) return damaged('parse.vpc.start', { value: JSON.stringify(rec.start) });
  const flags = countValue(rec['tcp-flags']);
  // The flags of every packet of the flow OR-ed together (AWS: "3" is SYN and FIN of a short connection); one
  // packet's flags only when the flow is one packet.
  if (flags !== undefined && flags > 0 && ev.transport === 'tcp') {
    if (countValue(rec.packets) === 1) ev.tcpFlags = tcpFlagsFromBits(flags);
    else ev.flowTcpFlags = tcpFlagsFromBits(flags);
  }
  // A flow of one packet tells that packet's length; for more packets the byte total is no packet length.
  if (countValue(rec.packets) === 1) ev.length = countValue(rec.bytes);
  if (ev.length === undefined) delete ev.length;
  // AWS: packets and bytes "transferred during the flow", the flow being one direction of the 5-tuple (the reply
  // is a record of its own, source and destination swapped): what the source sent in the interval.
  setTrafficCounts(ev, { sourcePackets: rec.packets, sourceBytes: rec.bytes });
  const eni = rec['interface-id'];
  if (typeof eni === 'string' && !isUnset(eni)) {
    if (direction === 'outbound') ev.outInterface = eni;
    else ev.inInterface = eni;
  }
  // Version 8 `reject-reason`: BPA when VPC Block Public Access, not a security group or ACL, refused the flow.
  const rejectReason = rec['reject-reason'];
  if (typeof rejectReason === 'string' && !isUnset(rejectReason))
    ev.ruleName = REJECT_REASONS[rejectReason] ?? rejectReason;
  // One 5-tuple over one aggregation interval: a connection's record, counted once however many intervals it spans.
  ev.connectionPhase = FLOW_INTERVAL_PHASE;
  ev.observerProduct = 'aws-vpc';
  return ev;
}

/** Parse a JSON export of a flow record (keys with underscores: `account_id`, `log_status`). */
function parseJsonRecord(message: string, ctx: ParseContext): ParseResult {
  const parsed = parseJsonObject(message);
  if (parsed === undefined) return null;
  if ('error' in parsed) return message.includes('"srcaddr"') ? parsed : null;
  const rec: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parsed.record)) rec[k.replace(/_/g, '-')] = v;
  return recordToEvent(rec, ctx);
}

/** More space-separated fields than any flow-log layout (default 14, custom formats at most ~40). */
const MAX_FIELDS = 64;

function createParser(ctx: ParseContext): RecordParser {
  let header: string[] | undefined;
  return (env: Envelope): ParseResult => {
    const message = env.message.trim();
    if (startsJson(message)) return detectJson(message) ? parseJsonRecord(message, ctx) : null;
    // A split that stops past any layout's width: a line of thousands of words is declined at once.
    const tokens = message.split(/\s+/, MAX_FIELDS + 1);
    if (tokens.length > MAX_FIELDS) return null;
    if (isHeader(tokens)) {
      header = tokens;
      return { skip: 'header' };
    }
    const looksAws = looksLikeRecord(tokens);
    let layout: string[] | undefined;
    if (header && tokens.length === header.length) layout = header;
    else if (looksAws) layout = LAYOUT_BY_COUNT.get(tokens.length);
    if (!layout) {
      return looksAws ? damaged('parse.vpc.customFields', { count: tokens.length }) : null;
    }
    const rec: Record<string, string> = {};
    for (let i = 0; i < layout.length; i++) rec[layout[i]!] = tokens[i]!;
    if (rec.version !== undefined && !/^\d{1,2}$/.test(rec.version))
      return looksAws ? damaged('parse.vpc.version', { value: JSON.stringify(rec.version) }) : null;
    return recordToEvent(rec, ctx);
  };
}

/** A header-less record: version number, account id, then an `eni-` interface id somewhere. */
function looksLikeRecord(tokens: string[]): boolean {
  return tokens.length >= 10 && /^\d{1,2}$/.test(tokens[0]!) && tokens.some((t) => t.startsWith('eni-'));
}

function detectJson(message: string): boolean {
  return (
    message.includes('"srcaddr"') &&
    message.includes('"dstaddr"') &&
    (message.includes('"log_status"') ||
      message.includes('"interface_id"') ||
      message.includes('"account_id"'))
  );
}

/** AWS VPC Flow Logs. */
export const awsVpcFlow: LogFormat = {
  id: 'aws-vpc-flow',
  label: 'AWS VPC Flow Logs',
  description:
    'Amazon VPC flow log records (default v2 layout, v3-v5 fields, custom field lists with their header line up to version 8 with the ECS fields and reject-reason, JSON exports); one record summarises a flow over an aggregation interval and is counted as a connection, once however many intervals the flow spans and however many packets a record sums; NODATA and SKIPDATA records are counted as non-traffic.',
  example:
    '2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK',
  fields: [
    ...FLOW_FIELDS,
    'tcpFlags',
    'flowTcpFlags',
    'length',
    'sourcePackets',
    'sourceBytes',
    'inInterface',
    'outInterface',
    'ruleName',
    'observerProduct',
    'connectionPhase',
  ],
  detect(message: string): number {
    if (startsJson(message)) return detectJson(message) ? 0.9 : 0;
    const c = message.charCodeAt(0);
    if (c >= 48 && c <= 57)
      return message.includes(' eni-') && looksLikeRecord(message.split(/\s+/)) ? 0.85 : 0;
    if (message.startsWith('version ') || message.includes(' srcaddr ') || message.includes(' pkt-srcaddr '))
      return isHeader(message.trim().split(/\s+/)) ? 0.9 : 0;
    return 0;
  },
  createParser,
};
