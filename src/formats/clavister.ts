// Clavister cOS Core / NetWall logs: `id=<log id> event=<name> [action=...]` with the connection in
// `conn*` fields (flat, or nested as `[conn connsrcip=... ]`) or the packet in `[ippacket srcip=...][tcp srcport=...]`.
import type { ConnectionPhase, EventAction, FwEvent, TcpFlag } from '../event.js';
import { wordTable } from '../util/word-table.js';
import { type KeyedValues, keyedEvent, pick } from './cef-event.js';
import { APPLIANCE_FIELDS, PACKET_DETAIL_FIELDS, UNDIRECTED_TRAFFIC_FIELDS } from './common-fields.js';
import { parseIsoStamp } from './envelope/time.js';
import { setTrafficCounts } from './flow-record.js';
import { parseKeyValues } from './key-value.js';
import { statelessParser } from './parser-helpers.js';
import type { Envelope, LogFormat, ParseContext, ParseResult } from './types.js';

const FORMAT_ID = 'clavister';

/**
 * Log categories (the log id divided by 100000) whose records repeat a connection the CONN records
 * already log, or concern no packet decision: ALG sessions (2), IKE/IPsec (18), user authentication (37),
 * application control (72), IP reputation (82), OneConnect VPN (90).
 */
const NON_TRAFFIC_CATEGORIES = new Map<number, string>([
  [2, 'ALG record'],
  [18, 'IKE/IPsec record'],
  [37, 'user authentication record'],
  [72, 'application control record'],
  [82, 'IP reputation record'],
  [90, 'OneConnect VPN record'],
]);

/** Actions that state no decision on the packet (a look-up result, a policy or cache update). */
const NO_DECISION_ACTIONS = new Set(['none', 'ignore', 'policy_updated', 'connecting', 'user_removed']);

/** `id=00600001 [rev=1] event=conn_open`, after an optional `EFW: CONN: prio=1 ` prefix. */
const CLAVISTER_RE =
  /^(?:\[[\d: -]+\] )?(?:EFW: [A-Z0-9_]+: )?(?:prio=\d+ )?id=(\d{6,8}) (?:rev=\d+ )?event=(\w+)/;

/**
 * CONN records of a connection's opening and closing (with or without address translation, `_natsat`): the
 * detectors count the pair once (src/detect/repeat-records.ts). They carry no connection number.
 */
const CONNECTION_PHASES: Record<string, ConnectionPhase> = wordTable({
  conn_open: 'start',
  conn_open_natsat: 'start',
  conn_close: 'end',
  conn_close_natsat: 'end',
});

/** The decision a Clavister action word (and, for connection records, the event name) states. */
function clavisterAction(action: string | undefined, event: string): EventAction {
  switch (action) {
    case 'drop':
    case 'deny':
    case 'drop_fragments':
      return 'deny';
    case 'reject':
      return 'reject';
    case 'allow':
    case 'allow_processing':
    case 'fwd':
    case 'fwdfast':
    case 'nat':
    case 'sat':
    case 'open':
      return 'allow';
  }
  // A connection opened or closed normally was let through by a rule.
  if (event === 'conn_open' || event === 'conn_close' || (action === 'close' && event.startsWith('conn_')))
    return 'allow';
  return 'log';
}

const FLAG_NAMES: TcpFlag[] = ['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN'];

/** TCP flags from the `[tcpflags ... URG=0 ACK=1 ... SYN=1 FIN=0 ]` block of a logged packet. */
function packetFlags(f: Map<string, string>): TcpFlag[] | undefined {
  if (!f.has('SYN') || !f.has('ACK')) return undefined;
  return FLAG_NAMES.filter((name) => f.get(name) === '1');
}

/** `[2026-11-25 16:46:39] EFW: ...` stamps that Clavister puts in front of its syslog payload. */
function leadingStamp(message: string, ctx: ParseContext): number | undefined {
  const m = /^\[(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})\]/.exec(message);
  return m ? parseIsoStamp(m[1]!, ctx)?.[0] : undefined;
}

function parse(env: Envelope, ctx: ParseContext): ParseResult {
  const m = CLAVISTER_RE.exec(env.message);
  if (!m) return null;
  const id = Number(m[1]);
  const event = m[2]!;
  const category = Math.floor(id / 100000);
  const f = parseKeyValues(env.message);
  const action = f.get('action')?.toLowerCase();
  const nonTraffic = NON_TRAFFIC_CATEGORIES.get(category);
  if (nonTraffic) return { skip: nonTraffic };
  if (action !== undefined && NO_DECISION_ACTIONS.has(action)) return { skip: `${event} record` };
  const conn = f.has('connsrcip') || f.has('conndestip');
  // A quoted packet sits in `[ippacket ...][tcp ...]` after the `[ethernet ... ipproto=Ip4 ]` frame header,
  // whose `ipproto` is the EtherType: read the packet fields from the packet block on.
  const packetAt = env.message.indexOf('[ippacket ');
  const p = packetAt >= 0 ? parseKeyValues(env.message.slice(packetAt)) : f;
  // ARP records quote addresses of an ARP packet, not of an IP packet.
  const ipPacket = (p.has('srcip') || p.has('destip')) && !/^arp$/i.test(f.get('ipproto') ?? '');
  if (!conn && !ipPacket) return { skip: `${event} record` };
  const values: KeyedValues = conn
    ? {
        sourceIp: f.get('connsrcip'),
        destinationIp: f.get('conndestip'),
        sourcePort: f.get('connsrcport'),
        destinationPort: f.get('conndestport'),
        protocol: f.get('connipproto'),
        action: clavisterAction(action, event),
        inInterface: f.get('connrecvif'),
        outInterface: f.get('conndestif'),
      }
    : {
        sourceIp: p.get('srcip'),
        destinationIp: p.get('destip'),
        sourcePort: p.get('srcport'),
        destinationPort: p.get('destport'),
        protocol: p.get('ipproto'),
        action: clavisterAction(action, event),
        inInterface: f.get('recvif'),
      };
  values.timestamp = leadingStamp(env.message, ctx) ?? env.timestamp;
  values.ruleName = pick(f, 'rule');
  values.observerHost = env.host;
  values.observerProduct = 'clavister cos core';
  const ev = keyedEvent(FORMAT_ID, values);
  if ('error' in ev) return ev;
  if (!conn) addPacketDetails(ev, p);
  else {
    const phase = CONNECTION_PHASES[event];
    if (phase !== undefined) ev.connectionPhase = phase;
    // A closed connection's bytes: `origsent` by the originator (the source), `termsent` by the terminator.
    setTrafficCounts(ev, { sourceBytes: f.get('origsent'), destinationBytes: f.get('termsent') });
  }
  return ev;
}

/** TTL, length and TCP details of a logged packet, when the record quotes it. */
function addPacketDetails(ev: FwEvent, f: Map<string, string>): void {
  const num = (k: string) => (/^\d+$/.test(f.get(k) ?? '') ? Number(f.get(k)) : undefined);
  const ttl = num('ttl');
  const length = num('iptotlen');
  if (ttl !== undefined && ttl <= 255) ev.ttl = ttl;
  if (length !== undefined) ev.length = length;
  if (ev.transport === 'tcp') {
    const flags = packetFlags(f);
    if (flags) ev.tcpFlags = flags;
    const seq = num('seqno');
    const window = num('window');
    if (seq !== undefined) ev.tcpSeq = seq;
    if (window !== undefined) ev.tcpWindow = window;
  }
}

/** Clavister cOS Core (NetWall) firewall logs. */
export const clavister: LogFormat = {
  id: FORMAT_ID,
  label: 'Clavister cOS Core',
  description:
    'Clavister cOS Core / NetWall syslog (id=<log id> event=<name> action=...): connection open/close/refused and rule, TCP and IP packet drops (the open and close records of one connection count once); ALG, application control, IPsec, user authentication and system records are counted as non-traffic.',
  example:
    'EFW: CONN: prio=1 id=00600001 rev=1 event=conn_open action=allow rule=lan_to_wan conn=open connipproto=TCP connrecvif=lan connsrcip=192.0.2.10 connsrcport=51000 conndestif=wan conndestip=203.0.113.5 conndestport=443',
  fields: [
    ...UNDIRECTED_TRAFFIC_FIELDS,
    ...APPLIANCE_FIELDS,
    ...PACKET_DETAIL_FIELDS,
    'connectionPhase',
    'sourceBytes',
    'destinationBytes',
  ],
  detect(message: string): number {
    return CLAVISTER_RE.test(message) ? 0.85 : 0;
  },
  createParser: statelessParser(parse),
};
