// AWS Network Firewall logs (S3 / CloudWatch / Firehose): `{"firewall_name", "availability_zone", "event_timestamp",
// "event": {...}}` where the event is a Suricata EVE record: netflow (flow logs) and alert (allowed/blocked) records
// become events, TLS-inspection and other inner records are counted as non-traffic.
import { ENDPOINT_FIELDS, FLOW_HEAD_FIELDS } from './common-fields.js';
import { damaged } from './damaged.js';
import { parseJsonObject, startsJson } from './flow-record.js';
import { statelessParser } from './parser-helpers.js';
import { readEveRecord } from './suricata-eve.js';
import type { Envelope, LogFormat, ParseContext, ParseResult } from './types.js';

const FORMAT_ID = 'aws-network-firewall';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function looksLikeNfw(message: string): boolean {
  return message.includes('"firewall_name"') && message.includes('"event"');
}

function parse(env: Envelope, ctx: ParseContext): ParseResult {
  const parsed = parseJsonObject(env.message);
  if (parsed === undefined) return null;
  if ('error' in parsed) return looksLikeNfw(env.message) ? parsed : null;
  const rec = parsed.record;
  if (typeof rec.firewall_name !== 'string' || !('event' in rec)) return null;
  if (!isObj(rec.event)) return damaged('parse.nfw.eventNotObject');
  let inner = rec.event;
  // The inner stamp is the packet's; `event_timestamp` (epoch seconds) is when the log was written: the fallback.
  if (inner.timestamp === undefined && rec.event_timestamp !== undefined)
    inner = { ...inner, timestamp: rec.event_timestamp };
  if (typeof inner.event_type !== 'string') return damaged('parse.nfw.noEventType');
  const result = readEveRecord(inner, ctx, FORMAT_ID, 'aws network firewall');
  if (result === null) return damaged('parse.nfw.notFlowOrAlert');
  if ('format' in result) result.observerHost = rec.firewall_name;
  return result;
}

/** AWS Network Firewall flow and alert logs. */
export const awsNetworkFirewall: LogFormat = {
  id: FORMAT_ID,
  label: 'AWS Network Firewall',
  description:
    'AWS Network Firewall flow and alert logs (JSON with firewall_name, availability_zone, event_timestamp and a Suricata-style event): netflow records and alerts (allowed/blocked) become events; TLS-inspection records are counted as non-traffic.',
  example:
    '{"firewall_name":"edge-nfw","availability_zone":"us-east-1a","event_timestamp":"1780481700","event":{"timestamp":"2026-06-03T10:15:00.123456+0000","flow_id":706471429191862,"event_type":"alert","src_ip":"203.0.113.7","src_port":51254,"dest_ip":"192.0.2.10","dest_port":22,"proto":"TCP","alert":{"action":"blocked","signature_id":1000003,"rev":1,"signature":"Deny inbound SSH","category":"","severity":3}}}',
  fields: [
    ...FLOW_HEAD_FIELDS,
    ...ENDPOINT_FIELDS,
    'ruleName',
    'icmpType',
    'icmpCode',
    'tcpFlags',
    'flowTcpFlags',
    'length',
    // A netflow record is one direction: what its source sent.
    'sourcePackets',
    'sourceBytes',
    'observerHost',
    'observerProduct',
  ],
  detect(message: string): number {
    return startsJson(message) && looksLikeNfw(message) ? 0.95 : 0;
  },
  createParser: statelessParser(parse),
};
