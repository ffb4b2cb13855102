// The one normalized event every log format is turned into, and its mapping to ECS field names.

/** What the firewall did with the packet (ECS `event.action` / `event.outcome`). */
export type EventAction = 'allow' | 'deny' | 'reject' | 'log';

/** Which way the packet travelled, seen from the logging host (ECS `network.direction`). */
export type Direction = 'inbound' | 'outbound' | 'forward' | 'unknown';

/**
 * Which part of a connection a record describes, for session logs: `start` when it opened (ASA/FTD Built, 430002;
 * SRX SESSION_CREATE; PAN-OS TRAFFIC start; Windows Firewall OPEN; Azure flow state B; Clavister conn_open;
 * Forcepoint Connection_Allowed; FortiGate action start), `end` when it closed (Teardown, 430003, SESSION_CLOSE,
 * TRAFFIC end, CLOSE, state E, conn_close, Connection_Closed, FortiGate's other traffic actions), `continue` while
 * it lasts (Azure flow state C, written every minute of a long flow; an AWS or Google Cloud flow log record or an
 * Azure denied tuple, one 5-tuple over one aggregation interval, which may be a part of a longer flow), `whole` when
 * the record is all the log says of a connection, written once per session (PAN-OS TRAFFIC drop and deny, FortiGate
 * action deny, SRX SESSION_DENY and SESSION_REJECT, a Zeek conn record). Absent: the record is a packet, or a
 * format that does not say what its records are (most formats).
 */
export type ConnectionPhase = 'start' | 'continue' | 'end' | 'whole';

/** A TCP flag word as the kernel prints it. */
export type TcpFlag = 'SYN' | 'ACK' | 'FIN' | 'RST' | 'PSH' | 'URG' | 'ECE' | 'CWR';

/** The packet quoted inside an ICMP error (`[SRC=... DST=... ]` in netfilter logs). */
export interface InnerPacket {
  sourceIp?: string;
  destinationIp?: string;
  transport?: string;
  sourcePort?: number;
  destinationPort?: number;
  ttl?: number;
  ipId?: number;
  icmpType?: number;
  icmpCode?: number;
}

/**
 * One logged packet or connection, whatever format it came from.
 *
 * Property names are flat camelCase for speed; `ECS_FIELDS` maps each one to its
 * Elastic Common Schema name, and `toEcs` builds the nested ECS document.
 * A field a format does not carry is left undefined: never invented.
 */
export interface FwEvent {
  /** Id of the format module that produced the event (`event.module`). */
  format: string;
  /** Epoch milliseconds (`@timestamp`); undefined when the line carries no usable time. */
  timestamp?: number;
  /** Decision taken (`event.action`). */
  action: EventAction;
  /**
   * The connection's opening, continuing or closing record, when the firewall logs it more than once, or its one
   * record (`event.type` connection, with start / end for an opening / closing record).
   */
  connectionPhase?: ConnectionPhase;
  /**
   * The firewall's own number for the connection, the same on its start and end records (ASA connection id,
   * FTD ConnectionID, SRX session-id-32, PAN-OS Session ID) (`fwlens.session_id`).
   */
  sessionId?: string;
  /** Direction relative to the logging host (`network.direction`). */
  direction: Direction;
  /** Lower-case transport: tcp, udp, icmp, ipv6-icmp, igmp, gre, esp, or `proto-N` (`network.transport`). */
  transport?: string;
  /** IANA protocol number (`network.iana_number`). */
  ianaNumber?: number;
  /** 4 or 6 (`network.type`). */
  ipVersion?: 4 | 6;
  sourceIp?: string;
  sourcePort?: number;
  sourceMac?: string;
  destinationIp?: string;
  destinationPort?: number;
  destinationMac?: string;
  /** Interface the packet came in on (`observer.ingress.interface.name`). */
  inInterface?: string;
  /** Interface the packet would leave by (`observer.egress.interface.name`). */
  outInterface?: string;
  /** Rule or chain name, derived from the log prefix or the device's rule field (`rule.name`). */
  ruleName?: string;
  /** The raw log prefix as written (`fwlens.prefix`). */
  prefix?: string;
  /**
   * The firewall's own alarm name on an alarm record ("SYN flood!", an IPS signature), kept apart from the
   * policy in `ruleName` (`event.reason`); `prefix` says the event is an alarm and of which kind.
   */
  alarmName?: string;
  /** Host that wrote the log line (`observer.hostname`). */
  observerHost?: string;
  /** Firewall product recognised from the line: netfilter, ufw, firewalld, shorewall ... (`observer.product`). */
  observerProduct?: string;
  /** IP packet length in bytes (`network.bytes` for a single packet). */
  length?: number;
  /**
   * Packets the source sent to the destination over the record, for a flow or connection record that counts
   * them (`source.packets`): an AWS or Google Cloud flow record's interval, an Azure tuple, a session's whole life
   * on its closing record. A non-negative integer up to 2^53 - 1 (trafficCount). Absent for a packet line.
   */
  sourcePackets?: number;
  /** Bytes the source sent to the destination over the record (`source.bytes`), as `sourcePackets`. */
  sourceBytes?: number;
  /** Packets the destination sent back to the source over the record (`destination.packets`), as `sourcePackets`. */
  destinationPackets?: number;
  /** Bytes the destination sent back to the source over the record (`destination.bytes`), as `sourcePackets`. */
  destinationBytes?: number;
  /**
   * Bytes both ways over the record, for a connection record that gives only their sum (ASA / PIX Teardown
   * `bytes N`) (`network.bytes`, ECS: "Total bytes transferred in both directions"; a packet line's `length` is
   * the same field for its one packet, and no record has both). As `sourcePackets`.
   */
  networkBytes?: number;
  ttl?: number;
  ipId?: number;
  tos?: number;
  /** IPv6 traffic class. */
  trafficClass?: number;
  flowLabel?: number;
  dontFragment?: boolean;
  moreFragments?: boolean;
  fragmentOffset?: number;
  /** TCP flags present on the packet, upper-case words. */
  tcpFlags?: TcpFlag[];
  /**
   * TCP flags seen over a whole flow of more than one packet (Zeek's `history`, AWS flow logs' `tcp-flags`,
   * Suricata's flow records): every packet's flags together, so SYN with FIN is an ordinary connection that
   * opened and closed, not one packet's impossible combination. A flow of one packet gives `tcpFlags`.
   */
  flowTcpFlags?: TcpFlag[];
  tcpSeq?: number;
  tcpAck?: number;
  tcpWindow?: number;
  icmpType?: number;
  icmpCode?: number;
  icmpId?: number;
  icmpSeq?: number;
  icmpMtu?: number;
  icmpGateway?: string;
  icmpParameter?: number;
  /** Packet quoted inside an ICMP error message. */
  inner?: InnerPacket;
  uid?: number;
  gid?: number;
  mark?: number;
  /** Bytes captured when the kernel marked the packet INCOMPLETE. */
  incompleteBytes?: number;
  /** File the line came from (`log.file.path`), `-` for stdin. */
  file?: string;
  /** 1-based line number in that file (`fwlens.log.line`). */
  line?: number;
}

/** ECS name of every `FwEvent` property, the one place the mapping lives. */
export const ECS_FIELDS: Record<Exclude<keyof FwEvent, 'inner' | 'tcpFlags'>, string> = {
  format: 'event.module',
  timestamp: '@timestamp',
  action: 'event.action',
  // Added to the event.type list next to allowed / denied / info (see toEcs).
  connectionPhase: 'event.type',
  // ECS has no connection or session number field.
  sessionId: 'fwlens.session_id',
  direction: 'network.direction',
  transport: 'network.transport',
  ianaNumber: 'network.iana_number',
  ipVersion: 'network.type',
  sourceIp: 'source.ip',
  sourcePort: 'source.port',
  sourceMac: 'source.mac',
  destinationIp: 'destination.ip',
  destinationPort: 'destination.port',
  destinationMac: 'destination.mac',
  inInterface: 'observer.ingress.interface.name',
  outInterface: 'observer.egress.interface.name',
  ruleName: 'rule.name',
  prefix: 'fwlens.prefix',
  alarmName: 'event.reason',
  observerHost: 'observer.hostname',
  observerProduct: 'observer.product',
  length: 'network.bytes',
  // ECS: "Packets sent from the source to the destination", "Bytes sent from the source to the destination",
  // "Packets / Bytes sent from the destination to the source".
  sourcePackets: 'source.packets',
  sourceBytes: 'source.bytes',
  destinationPackets: 'destination.packets',
  destinationBytes: 'destination.bytes',
  // ECS network.bytes: "If source.bytes and destination.bytes are known, network.bytes is their sum"; kept only
  // for records that give the sum alone, and never beside `length` (see FwEvent.networkBytes).
  networkBytes: 'network.bytes',
  ttl: 'fwlens.ip.ttl',
  ipId: 'fwlens.ip.id',
  tos: 'fwlens.ip.tos',
  trafficClass: 'fwlens.ip.traffic_class',
  flowLabel: 'fwlens.ip.flow_label',
  dontFragment: 'fwlens.ip.df',
  moreFragments: 'fwlens.ip.mf',
  fragmentOffset: 'fwlens.ip.fragment_offset',
  tcpSeq: 'fwlens.tcp.seq',
  tcpAck: 'fwlens.tcp.ack',
  tcpWindow: 'fwlens.tcp.window',
  flowTcpFlags: 'fwlens.flow.tcp_flags',
  // ECS has no icmp.* field set: ICMP type and code live in our namespace.
  icmpType: 'fwlens.icmp.type',
  icmpCode: 'fwlens.icmp.code',
  icmpId: 'fwlens.icmp.id',
  icmpSeq: 'fwlens.icmp.seq',
  icmpMtu: 'fwlens.icmp.mtu',
  icmpGateway: 'fwlens.icmp.gateway',
  icmpParameter: 'fwlens.icmp.parameter',
  uid: 'user.id',
  gid: 'group.id',
  mark: 'fwlens.mark',
  incompleteBytes: 'fwlens.incomplete_bytes',
  file: 'log.file.path',
  // ECS has log.file.path but no line number field.
  line: 'fwlens.log.line',
};

function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const key = parts[i]!;
    let next = node[key] as Record<string, unknown> | undefined;
    if (next === undefined) {
      next = {};
      node[key] = next;
    }
    node = next;
  }
  node[parts[parts.length - 1]!] = value;
}

/** The Elastic Common Schema version every document conforms to (`ecs.version`); a test holds it to @elastic/ecs. */
export const ECS_VERSION = '9.4.0';

/**
 * A MAC address in ECS form (RFC 7042: upper-case hex octets joined by hyphens, `00-1B-21-3C-9D-01`), from
 * colon, hyphen, dot (Cisco `001b.213c.9d01`) or bare hex notation; undefined for anything else.
 */
export function ecsMac(text: string): string | undefined {
  const hex = text.replace(/[:.-]/g, '');
  if (hex.length < 12 || hex.length % 2 !== 0 || !/^[0-9A-Fa-f]+$/.test(hex)) return undefined;
  return hex.toUpperCase().replace(/(..)(?!$)/g, '$1-');
}

/** Build the nested ECS document for an event (used by JSON/NDJSON output). */
export function toEcs(event: FwEvent): Record<string, unknown> {
  const doc: Record<string, unknown> = { ecs: { version: ECS_VERSION } };
  for (const [key, path] of Object.entries(ECS_FIELDS) as [keyof typeof ECS_FIELDS, string][]) {
    const value = event[key];
    if (value === undefined || key === 'connectionPhase') continue;
    if (key === 'timestamp') setPath(doc, path, new Date(value as number).toISOString());
    else if (key === 'ipVersion') setPath(doc, path, value === 6 ? 'ipv6' : 'ipv4');
    // ECS types these as keyword: strings, not numbers.
    else if (key === 'ianaNumber' || key === 'uid' || key === 'gid') setPath(doc, path, String(value));
    // ECS network.direction has no "forward": a packet routed through the firewall keeps it in our namespace.
    else if (key === 'direction' && value === 'forward') setPath(doc, 'fwlens.direction', value);
    else if (key === 'sourceMac' || key === 'destinationMac') {
      // ECS wants RFC 7042 form; a value that is no MAC address stays, as written, in our namespace.
      const mac = ecsMac(value as string);
      if (mac !== undefined) setPath(doc, path, mac);
      else setPath(doc, key === 'sourceMac' ? 'fwlens.source_mac' : 'fwlens.destination_mac', value);
    } else setPath(doc, path, value);
  }
  if (event.tcpFlags) setPath(doc, 'fwlens.tcp.flags', event.tcpFlags);
  if (event.inner) setPath(doc, 'fwlens.inner', event.inner);
  setPath(doc, 'event.kind', 'event');
  setPath(doc, 'event.category', ['network']);
  const decision = event.action === 'allow' ? 'allowed' : event.action === 'log' ? 'info' : 'denied';
  // ECS event.type `connection` is "the subset of network traffic that includes sufficient information for the
  // event to be included in flow or connection analysis", flow records and NGFW session records included: every
  // record of a connection (FwEvent.connectionPhase set) carries it, beside `start` / `end` for its opening and
  // closing records (ECS's own filter for completed connections is `connection AND end`) and the decision. A record
  // of a connection still open, or a whole connection's one record, has no type of its own but `connection`. A
  // packet is no connection: the decision alone.
  const phase = event.connectionPhase;
  const types =
    phase === undefined
      ? [decision]
      : phase === 'start' || phase === 'end'
        ? ['connection', phase, decision]
        : ['connection', decision];
  setPath(doc, 'event.type', types);
  if (event.action !== 'log') setPath(doc, 'event.outcome', event.action === 'allow' ? 'success' : 'failure');
  return doc;
}
