// Zeek conn.log: tab-separated with `#separator`/`#fields` headers (kept per stream), a bare field-name header
// line, or JSON (one object per line). Zeek watches traffic and blocks nothing, so every event's action is `log`.
// Only conn records are connections: dns, http, ssl, notice, weird ... records (a stream of several Zeek logs, or
// JSON that names `id.orig_h` everywhere) are context and counted by type (`zeek dns record`), never as traffic.
import type { Direction, FwEvent, TcpFlag } from '../event.js';
import { FLOW_FIELDS, TRAFFIC_COUNT_FIELDS } from './common-fields.js';
import { damaged } from './damaged.js';
import {
  countValue,
  flowEvent,
  isUnset,
  parseJsonObject,
  recordTime,
  SENSOR_EARLIEST,
  setTrafficCounts,
  startsJson,
} from './flow-record.js';
import type { Envelope, LogFormat, ParseContext, ParseError, ParseResult, RecordParser } from './types.js';

/** conn.log columns of Zeek's default layout, used when a TSV stream starts without a header. */
export const DEFAULT_CONN_FIELDS = [
  'ts',
  'uid',
  'id.orig_h',
  'id.orig_p',
  'id.resp_h',
  'id.resp_p',
  'proto',
  'service',
  'duration',
  'orig_bytes',
  'resp_bytes',
  'conn_state',
  'local_orig',
  'local_resp',
  'missed_bytes',
  'history',
  'orig_pkts',
  'orig_ip_bytes',
  'resp_pkts',
  'resp_ip_bytes',
  'tunnel_parents',
];

/** ICMP types Zeek pairs with a reply type (echo, timestamp, information, mask, router discovery). */
const ICMP4_REQUEST_REPLY = new Set([0, 8, 9, 10, 13, 14, 15, 16, 17, 18]);
/** ICMPv6 types Zeek pairs with a reply type (echo, MLD, router/neighbor discovery, node information). */
const ICMP6_REQUEST_REPLY = new Set([128, 129, 130, 131, 133, 134, 135, 136, 139, 140]);

/** The `ts` column, as a damaged line's reason names it. */
const TS_FIELD = { en: 'connection time', zh: '连接时间' };

/** Originator letters of Zeek's `history` that name a TCP flag the originator sent. */
const HISTORY_FLAGS: [string, TcpFlag[]][] = [
  ['S', ['SYN']],
  ['H', ['SYN', 'ACK']],
  ['A', ['ACK']],
  ['F', ['FIN']],
  ['R', ['RST']],
];

/** Flags the originator sent over the connection, from the upper-case letters of `history`. */
function originatorFlags(history: unknown): TcpFlag[] | undefined {
  if (typeof history !== 'string' || isUnset(history)) return undefined;
  const seen = new Set<TcpFlag>();
  for (const [letter, flags] of HISTORY_FLAGS)
    if (history.includes(letter)) for (const f of flags) seen.add(f);
  if (seen.size === 0) return undefined;
  return (['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN'] as TcpFlag[]).filter((f) => seen.has(f));
}

function isTrue(v: unknown): boolean | undefined {
  if (v === true || v === 'T') return true;
  if (v === false || v === 'F') return false;
  return undefined;
}

/** Direction from Zeek's local_orig/local_resp (which ends are inside the monitored networks). */
function connDirection(rec: Record<string, unknown>): Direction {
  const orig = isTrue(rec.local_orig);
  const resp = isTrue(rec.local_resp);
  if (orig === true && resp === false) return 'outbound';
  if (orig === false && resp === true) return 'inbound';
  return 'unknown';
}

/** Turn one conn record (field name -> value, TSV text or JSON values) into an event. */
function connToEvent(rec: Record<string, unknown>, ctx: ParseContext): FwEvent | ParseError {
  const proto = String(rec.proto ?? '');
  const icmp = proto === 'icmp';
  const ev = flowEvent('zeek-conn', 'log', connDirection(rec), {
    sourceIp: rec['id.orig_h'],
    destinationIp: rec['id.resp_h'],
    // Zeek writes the ICMP type and code in the port columns.
    sourcePort: icmp ? undefined : rec['id.orig_p'],
    destinationPort: icmp ? undefined : rec['id.resp_p'],
    protocol: rec.proto,
  });
  if ('error' in ev) return ev;
  if (icmp) {
    // Zeek says `icmp` for ICMPv6 too.
    if (ev.ipVersion === 6) {
      ev.transport = 'ipv6-icmp';
      ev.ianaNumber = 58;
    }
    // orig_p is the ICMP type; resp_p is the code for one-way messages but the answer's type for
    // request/reply pairs (echo 8 -> 0), and then the code is not recorded.
    const type = countValue(rec['id.orig_p']);
    const code = countValue(rec['id.resp_p']);
    if (type !== undefined && type <= 255) {
      ev.icmpType = type;
      const pairs = ev.ipVersion === 6 ? ICMP6_REQUEST_REPLY : ICMP4_REQUEST_REPLY;
      if (code !== undefined && code <= 255 && !pairs.has(type)) ev.icmpCode = code;
    }
  }
  const ts = recordTime(rec.ts, TS_FIELD, ctx, SENSOR_EARLIEST);
  if (ts === undefined) return damaged('parse.zeek.ts', { value: JSON.stringify(rec.ts) });
  if (typeof ts === 'object') return ts;
  ev.timestamp = ts;
  if (ev.transport === 'tcp') {
    // The originator's flags over the connection: one packet's only when it sent one.
    const flags = originatorFlags(rec.history);
    if (flags && countValue(rec.orig_pkts) === 1) ev.tcpFlags = flags;
    else if (flags) ev.flowTcpFlags = flags;
  }
  // A one-packet connection tells that packet's IP length.
  if (countValue(rec.orig_pkts) === 1) {
    const bytes = countValue(rec.orig_ip_bytes);
    if (bytes !== undefined) ev.length = bytes;
  }
  // The whole connection's traffic each way at the IP layer, as a firewall's session and a flow log count it:
  // orig_pkts / orig_ip_bytes ("Number of IP level bytes that the originator sent (as seen on the wire, taken from
  // the IP total_length header field)"), resp_pkts / resp_ip_bytes. Not orig_bytes / resp_bytes, the payload Zeek
  // reckons from TCP sequence numbers: a gap or a missed start can make it larger than what was sent, and it
  // counts no header, so a SYN scan's attempt is 0 bytes.
  setTrafficCounts(ev, {
    sourcePackets: rec.orig_pkts,
    sourceBytes: rec.orig_ip_bytes,
    destinationPackets: rec.resp_pkts,
    destinationBytes: rec.resp_ip_bytes,
  });
  // Zeek writes one conn record per connection, when it ends or times out (base/protocols/conn/main.zeek: "For UDP
  // and ICMP, 'connections' are to be interpreted using flow semantics"), attempts included (S0: "Connection
  // attempt seen, no reply"; REJ: "Connection attempt rejected"): the whole connection.
  ev.connectionPhase = 'whole';
  ev.observerProduct = 'zeek';
  return ev;
}

/**
 * Fields only a record of one Zeek log has, to name the type of a JSON record written without `_path`, in the
 * order they are tried (conn first: `conn_state` is in every conn record and in no other log).
 */
const RECORD_TYPE_FIELDS: [string, string][] = [
  ['conn_state', 'conn'],
  ['note', 'notice'],
  ['qtype_name', 'dns'],
  ['query', 'dns'],
  ['trans_id', 'dns'],
  ['method', 'http'],
  ['status_code', 'http'],
  ['cipher', 'ssl'],
  ['server_name', 'ssl'],
  ['auth_success', 'ssh'],
  ['hassh', 'ssh'],
  ['assigned_addr', 'dhcp'],
  ['mailfrom', 'smtp'],
  ['helo', 'smtp'],
  ['command', 'ftp'],
  ['cookie', 'rdp'],
  ['request_type', 'kerberos'],
  ['community', 'snmp'],
  ['tunnel_type', 'tunnel'],
  ['operation', 'dce_rpc'],
  ['software_type', 'software'],
  ['name', 'weird'],
];

/** The Zeek log a record belongs to: its `_path` (Corelight, zeek-kafka), else told by its fields. */
function recordType(rec: Record<string, unknown>): string {
  if (typeof rec._path === 'string' && /^[a-z0-9_]{1,40}$/.test(rec._path)) return rec._path;
  for (const [field, type] of RECORD_TYPE_FIELDS) if (field in rec) return type;
  // A short conn record (hand-made, or cut by a shipper) still names its transport.
  return 'proto' in rec ? 'conn' : 'non-conn';
}

/** The non-traffic kind of a Zeek record that is not a conn record. */
const contextKind = (type: string) => ({ skip: `zeek ${type} record` });

/** Per-stream TSV state: the separator and field list the header lines declared. */
interface TsvState {
  separator: string;
  /** The log the `#path` header named (`conn`, `dns` ...), until the next `#separator`. */
  path?: string;
  fields?: string[];
  unset: string;
  empty: string;
}

function unescapeSeparator(escaped: string): string {
  // A separator is one character (`\x09`): a longer declaration is read no further than this.
  const text = escaped.slice(0, 64);
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

/** Handle a `#` header line; returns the skip result, or null when the line is not a Zeek header. */
function headerLine(line: string, st: TsvState): ParseResult {
  if (line.startsWith('#separator ')) {
    st.separator = unescapeSeparator(line.slice(11).trim());
    st.fields = undefined;
    st.path = undefined;
    return { skip: 'header' };
  }
  const sep = line.indexOf(st.separator);
  const key = sep > 0 ? line.slice(1, sep) : line.slice(1);
  const value = sep > 0 ? line.slice(sep + st.separator.length) : '';
  switch (key) {
    case 'fields':
      st.fields = value.split(st.separator);
      return { skip: 'header' };
    case 'unset_field':
      st.unset = value;
      return { skip: 'header' };
    case 'empty_field':
      st.empty = value;
      return { skip: 'header' };
    case 'path':
      st.path = value.trim().slice(0, 64);
      return { skip: 'header' };
    case 'set_separator':
    case 'open':
    case 'close':
    case 'types':
      return { skip: 'header' };
    default:
      return st.fields ? { skip: 'comment' } : null;
  }
}

function parseTsv(line: string, st: TsvState, ctx: ParseContext): ParseResult {
  if (line.charCodeAt(0) === 35 /* # */) return headerLine(line, st);
  const values = line.split(st.separator);
  // A header of bare field names (as `zeek-cut` and spreadsheet exports write it).
  if (values[0] === 'ts' && values.includes('id.orig_h')) {
    st.fields = values;
    return { skip: 'header' };
  }
  const fields =
    st.fields ??
    (values.length === DEFAULT_CONN_FIELDS.length && looksLikeConn(values) ? DEFAULT_CONN_FIELDS : undefined);
  if (!fields) return looksLikeConn(values) ? damaged('parse.zeek.noHeader', { count: values.length }) : null;
  // Another Zeek log (dns.log, http.log ...): its records are context, counted by the type its header named.
  if (st.path !== undefined && st.path !== 'conn') return contextKind(st.path);
  if (!fields.includes('id.orig_h')) return null;
  if (st.path === undefined && !fields.includes('conn_state')) return contextKind('non-conn');
  if (values.length !== fields.length) {
    return looksLikeConn(values)
      ? damaged('parse.zeek.fieldCount', { count: values.length, declared: fields.length })
      : null;
  }
  const rec: Record<string, unknown> = {};
  for (let i = 0; i < fields.length; i++) {
    const v = values[i]!;
    if (v !== st.unset && v !== st.empty) rec[fields[i]!] = v;
  }
  return connToEvent(rec, ctx);
}

/** A TSV data line: epoch-seconds time, then a connection uid (`C` + base62). */
function looksLikeConn(values: string[]): boolean {
  return values.length > 6 && /^\d{9,10}\.\d+$/.test(values[0]!) && /^C[0-9A-Za-z]{10,20}$/.test(values[1]!);
}

function parseJson(message: string, ctx: ParseContext): ParseResult {
  const parsed = parseJsonObject(message);
  if (parsed === undefined) return null;
  if ('error' in parsed) return message.includes('"id.orig_h"') ? parsed : null;
  const rec = parsed.record;
  if (!('id.orig_h' in rec) || !('uid' in rec)) return null;
  const type = recordType(rec);
  return type === 'conn' ? connToEvent(rec, ctx) : contextKind(type);
}

/** Zeek conn.log. */
export const zeekConn: LogFormat = {
  id: 'zeek-conn',
  label: 'Zeek conn.log',
  description:
    'Zeek (Bro) connection log, tab-separated with its #fields header or JSON; a sensor record of each connection, so the action is always log (Zeek blocks nothing). Records of the other Zeek logs (dns, http, ssl, notice, weird ...) in the same stream are counted as context by type, not as connections.',
  example:
    '{"ts":1547188415.857497,"uid":"CAcJw21BbVedgFnYH3","id.orig_h":"198.51.100.167","id.orig_p":38339,"id.resp_h":"192.0.2.1","id.resp_p":53,"proto":"udp","service":"dns","duration":0.076967,"orig_bytes":75,"resp_bytes":178,"conn_state":"SF","local_orig":false,"local_resp":true,"missed_bytes":0,"history":"Dd","orig_pkts":1,"orig_ip_bytes":103,"resp_pkts":1,"resp_ip_bytes":206}',
  fields: [
    ...FLOW_FIELDS,
    'icmpType',
    'icmpCode',
    'tcpFlags',
    'flowTcpFlags',
    'length',
    ...TRAFFIC_COUNT_FIELDS,
    'observerProduct',
    'connectionPhase',
  ],
  detect(message: string): number {
    if (startsJson(message)) return message.includes('"id.orig_h"') && message.includes('"uid"') ? 0.9 : 0;
    const c = message.charCodeAt(0);
    if (c === 35)
      return message.startsWith('#separator ') || message.startsWith('#fields\tts\tuid\tid.orig_h') ? 0.9 : 0;
    if (message.startsWith('ts\tuid\tid.orig_h\t')) return 0.9;
    if (c >= 48 && c <= 57 && message.includes('\t'))
      return /^\d{9,10}\.\d+\tC[0-9A-Za-z]{10,20}\t/.test(message) ? 0.8 : 0;
    return 0;
  },
  createParser(ctx: ParseContext): RecordParser {
    const st: TsvState = { separator: '\t', unset: '-', empty: '(empty)' };
    return (env: Envelope) =>
      startsJson(env.message) ? parseJson(env.message, ctx) : parseTsv(env.message, st, ctx);
  },
};
