// The Cisco ASA/PIX/FTD traffic messages fwlens reads, one layout per message id, as drafts of an event.
import type { ConnectionPhase, Direction, EventAction, InnerPacket, TcpFlag } from '../../event.js';
import { canonicalIp } from '../../net/ip.js';
import { parseProtocol } from '../../net/wire.js';
import { stripTrailingParenGroups } from '../../util/text-scan.js';
import type { TrafficValues } from '../flow-record.js';
import { asaPort } from './service-names.js';

/** One side of a connection as the message writes it: `outside:192.0.2.1/443`. */
export interface Endpoint {
  ifc?: string;
  ip?: string;
  port?: string | number;
}

/** What a message says about the packet, before validation. */
export interface Draft {
  action: EventAction;
  direction?: Direction;
  protocol?: string;
  src: Endpoint;
  dst: Endpoint;
  icmpType?: number;
  icmpCode?: number;
  tcpFlags?: TcpFlag[];
  ruleName?: string;
  /** Interface named by `on interface X`: the one the packet arrived on. */
  onInterface?: string;
  /** A Teardown's `bytes N`: both ways, the sum alone (FwEvent.networkBytes). */
  bytes?: string;
  /** An FTD connection event's counts, the initiator (`src`) as the source. */
  counts?: TrafficValues;
  inner?: InnerPacket;
  /** The connection is described from the responder's side (`Built outbound`): swap the ends. */
  swap?: boolean;
  /** A connection's Built (start) or Teardown (end) message. */
  phase?: ConnectionPhase;
  /** The connection number the Built and Teardown messages share. */
  sessionId?: string;
  /**
   * A time the message writes in its body (FTD's `FirstPacketSecond: 2023-07-27T08:13:09Z`), as written: the
   * event's time when the line carries no other stamp.
   */
  bodyTime?: string;
}

/** A message layout: the ids it covers, its text shape and how to read it. */
export interface Layout {
  ids: string[];
  re: RegExp;
  read(m: RegExpExecArray, id: string): Draft;
}

const TCP_FLAGS = new Set(['SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG', 'ECE', 'CWR']);

export function flags(text: string): TcpFlag[] {
  return text
    .split(/\s+/)
    .map((f) => f.toUpperCase())
    .filter((f): f is TcpFlag => TCP_FLAGS.has(f));
}

/** Drop a trailing `(user)` / `(DOMAIN\user)` tag, `.` or `,` from an endpoint text. */
function clean(text: string): string {
  return stripTrailingParenGroups(text.trim()).replace(/[.,]$/, '');
}

/** `1.2.3.4/80`, `2001:db8::1/53`, `1.2.3.4` (no interface). */
export function plainEndpoint(text: string): Endpoint {
  const t = clean(text);
  const slash = t.lastIndexOf('/');
  if (slash < 0) return { ip: t };
  return { ip: t.slice(0, slash), port: asaPort(t.slice(slash + 1)) };
}

/** `outside:1.2.3.4/80`, `NP Identity Ifc: 10.0.0.2/22`, `fw111:10.10.10.11`; interface optional. */
export function ifcEndpoint(text: string): Endpoint {
  const t = clean(text);
  const plain = plainEndpoint(t);
  if (plain.ip !== undefined && canonicalIp(plain.ip) !== null) return plain;
  const colon = t.indexOf(':');
  if (colon < 0) return plain;
  return { ifc: t.slice(0, colon).trim(), ...plainEndpoint(t.slice(colon + 1)) };
}

/** `outside/1.2.3.4(80)` as access-list lines write it. */
export function aclEndpoint(ifcAndIp: string, port: string): Endpoint {
  const slash = ifcAndIp.lastIndexOf('/');
  return { ifc: ifcAndIp.slice(0, slash), ip: ifcAndIp.slice(slash + 1), port: asaPort(port) };
}

export function dir(word: string | undefined): Direction | undefined {
  if (!word) return undefined;
  const w = word.toLowerCase();
  return w === 'inbound' ? 'inbound' : w === 'outbound' ? 'outbound' : undefined;
}

/** `protocol 103` -> `103`; `tcp` -> `tcp`. */
export function proto(text: string): string {
  return text.startsWith('protocol ') ? text.slice(9) : text;
}

export const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));

/** Message layouts, most common first. */
export const LAYOUTS: Layout[] = [
  {
    // 302013/302015/302035: Built {inbound|outbound} {TCP|UDP|SCTP} connection N for A (mapped) to B (mapped)
    ids: ['302013', '302015', '302035'],
    // The first end is text without parentheses plus tags written right after it (`1.2.3.4/5(LOCAL\\u)`), so
    // a try of it stops at the first ` (`, not at every later one.
    re: /^Built (inbound|outbound) (TCP|UDP|SCTP) connection (\d+) for ([^()]+?(?:\([^()]*\))*) \([^()]*\)(?:\s*\([^()]*\))* to (.+?) \([^()]*\)/,
    read: (m) => ({
      action: 'allow',
      direction: dir(m[1]),
      protocol: m[2]!,
      src: ifcEndpoint(m[4]!),
      dst: ifcEndpoint(m[5]!),
      // In an outbound connection the first end is the outside responder.
      swap: m[1] === 'outbound',
      phase: 'start',
      sessionId: m[3]!,
    }),
  },
  {
    // 302014/302016: Teardown TCP connection N for A to B duration h:mm:ss bytes N [reason]
    ids: ['302014', '302016', '302036'],
    // The first end runs to the first ` to ` (a later one fits only where the first does too).
    re: /^Teardown (TCP|UDP|SCTP) connection (\d+) for ((?:(?! to ).)+?) to (.+?) duration \S+ bytes (\d+)/,
    read: (m) => ({
      action: 'allow',
      // A teardown keeps the ends in the order of its Built message, so the first is not always the initiator.
      direction: 'unknown',
      protocol: m[1]!,
      src: ifcEndpoint(m[3]!),
      dst: ifcEndpoint(m[4]!),
      bytes: m[5],
      phase: 'end',
      sessionId: m[2]!,
    }),
  },
  {
    // 302020/302021: ICMP connections name the foreign, global and local addresses.
    ids: ['302020', '302021'],
    // Addresses may carry their interface (`faddr outside:A/0`) and user tags; releases add text after the
    // type and code (a teardown reason, a user), so the end of the line is not part of the layout.
    re: /^(?:Built (inbound|outbound)|Teardown) (ICMP|ICMPv6) connection for faddr (\S+?)(?:\([^()]*\))? gaddr (\S+?)(?:\([^()]*\))? laddr ([^\s(]+)(?:\s*\([^()]*\))*(?: type (\d+) code (\d+)\b)?/,
    read: (m) => {
      const { ifc: foreignIfc, ip: foreignIp } = ifcEndpoint(m[3]!);
      const { ifc: localIfc, ip: localIp } = ifcEndpoint(m[5]!);
      const foreign: Endpoint = { ifc: foreignIfc, ip: foreignIp };
      const local: Endpoint = { ifc: localIfc, ip: localIp };
      const outbound = m[1] === 'outbound';
      return {
        action: 'allow',
        direction: dir(m[1]),
        protocol: m[2] === 'ICMPv6' ? 'ipv6-icmp' : 'icmp',
        src: outbound ? local : foreign,
        dst: outbound ? foreign : local,
        icmpType: num(m[6]),
        icmpCode: num(m[7]),
        phase: m[1] === undefined ? 'end' : 'start',
      };
    },
  },
  {
    // 106023: Deny tcp src outside:A/p dst inside:B/p [(type 8, code 0)] by access-group "acl" [hash]
    ids: ['106023'],
    // The source runs to the first ` dst `; the destination ends on a non-blank (the blanks after it, trimmed
    // anyway, go to the type clause or to the ` by` that follows), so no two blank runs trade characters.
    // Some releases write the type clause without parentheses: `type 3, code 0, by access-group`.
    re: /^Deny (protocol \d+|\S+) src ((?:(?! dst ).)+?) dst (.*?\S)(?:\s*\(?type (\d+), code (\d+)\)?,? by|\s* by) access-group "([^"]*)"/,
    read: (m) => ({
      action: 'deny',
      protocol: proto(m[1]!),
      src: ifcEndpoint(m[2]!),
      dst: ifcEndpoint(m[3]!),
      icmpType: num(m[4]),
      icmpCode: num(m[5]),
      ruleName: m[6],
    }),
  },
  {
    // 106100: access-list acl {permitted|denied|est-allowed} tcp in/A(p) -> out/B(p) hit-cnt ...
    // 106102/106103 (VPN filters) name the user first: `... tcp for user 'jdoe' in/A(p) -> out/B(p)`.
    ids: ['106100', '106102', '106103'],
    re: /^access-list (\S+) (permitted|denied|est-allowed) (\S+) (?:for user (?:'[^']*'|\S+) )?(\S+?)\((\d+)\)(?:\([^()]*\))? -> (\S+?)\((\d+)\)/,
    read: (m) => {
      const isIcmp = /^icmp/i.test(m[3]!);
      const src = aclEndpoint(m[4]!, m[5]!);
      const dst = aclEndpoint(m[6]!, m[7]!);
      const draft: Draft = {
        action: m[2] === 'denied' ? 'deny' : 'allow',
        protocol: m[3]!,
        src,
        dst,
        ruleName: m[1],
      };
      // For ICMP the parentheses hold the type and code, not ports.
      if (isIcmp) {
        draft.icmpType = Number(m[5]);
        draft.icmpCode = Number(m[7]);
        delete src.port;
        delete dst.port;
      }
      return draft;
    },
  },
  {
    // 106010/106011/106014: Deny inbound [(No xlate)] proto src ifc:A[/p] dst ifc:B[/p] [(type t, code c)]
    ids: ['106010', '106011', '106014'],
    // As 106023; the optional type and `.` are one alternation so no two blank runs can trade characters.
    re: /^Deny inbound (?:\(No xlate\) )?(protocol \d+|\S+) src ((?:(?! dst ).)+?) dst (.*?\S)(?:\s*\(type (\d+), code (\d+)\)\.?|\s*\.)?\s*$/,
    read: (m) => ({
      action: 'deny',
      direction: 'inbound',
      protocol: proto(m[1]!),
      src: ifcEndpoint(m[2]!),
      dst: ifcEndpoint(m[3]!),
      icmpType: num(m[4]),
      icmpCode: num(m[5]),
    }),
  },
  {
    // 106001: Inbound TCP connection denied from A/p to B/p flags F on interface X
    ids: ['106001'],
    re: /^Inbound (TCP) connection denied from (\S+) to (\S+) flags ((?:.*?\S)?)\s+on interface (\S+?)\.?\s*$/,
    read: (m) => ({
      action: 'deny',
      direction: 'inbound',
      protocol: m[1]!,
      src: plainEndpoint(m[2]!),
      dst: plainEndpoint(m[3]!),
      tcpFlags: flags(m[4]!),
      onInterface: m[5],
    }),
  },
  {
    // 106015: Deny TCP (no connection) from A/p to B/p flags F on interface X
    ids: ['106015'],
    re: /^Deny (TCP) \(no connection\) from (\S+) to (\S+) flags ((?:.*?\S)?)\s+on interface (\S+?)\.?\s*$/,
    read: (m) => ({
      action: 'deny',
      protocol: m[1]!,
      src: plainEndpoint(m[2]!),
      dst: plainEndpoint(m[3]!),
      tcpFlags: flags(m[4]!),
      onInterface: m[5],
    }),
  },
  {
    // 106006/106007: Deny inbound UDP from A/p to B/p {on interface X | due to DNS Query}
    ids: ['106006', '106007'],
    re: /^Deny inbound (\S+) from (\S+) to (\S+?)(?: on\s+interface (\S+?)\.?\s*| due to .*)$/,
    read: (m) => ({
      action: 'deny',
      direction: 'inbound',
      protocol: m[1]!,
      src: plainEndpoint(m[2]!),
      dst: plainEndpoint(m[3]!),
      onInterface: m[4],
    }),
  },
  {
    // 106021/106022: Deny proto {reverse path check|connection spoof} from A to B on interface X
    ids: ['106021', '106022'],
    re: /^Deny (protocol \d+|\S+) (?:reverse path check|connection spoof) from (\S+) to (\S+) on interface (\S+?)\.?\s*$/,
    read: (m) => ({
      action: 'deny',
      protocol: proto(m[1]!),
      src: plainEndpoint(m[2]!),
      dst: plainEndpoint(m[3]!),
      onInterface: m[4],
    }),
  },
  {
    // 106012/106017/106020: Deny IP {from|due to Land Attack from|teardrop fragment (...) from} A to B
    ids: ['106012', '106017', '106020'],
    re: /^Deny IP (?:due to Land Attack |teardrop fragment \([^)]*\) )?from (\S+?) to (\S+?)(?:,|\.?\s*$)/,
    read: (m) => ({ action: 'deny', src: plainEndpoint(m[1]!), dst: plainEndpoint(m[2]!) }),
  },
  {
    // 106002: proto Connection denied by outbound list acl src A dest B
    ids: ['106002'],
    re: /^(\S+) connection denied by outbound list (\S+) src (\S+) dest (\S+?)\.?\s*$/i,
    read: (m) => ({
      action: 'deny',
      direction: 'outbound',
      protocol: proto(m[1]!),
      src: plainEndpoint(m[3]!),
      dst: plainEndpoint(m[4]!),
      ruleName: m[2],
    }),
  },
  {
    // 106018: ICMP packet type T denied by outbound list acl src A dest B
    ids: ['106018'],
    re: /^ICMP packet type (\S+) denied by outbound list (\S+) src (\S+) dest (\S+?)\.?\s*$/,
    read: (m) => ({
      action: 'deny',
      direction: 'outbound',
      protocol: 'icmp',
      src: plainEndpoint(m[3]!),
      dst: plainEndpoint(m[4]!),
      icmpType: /^\d+$/.test(m[1]!) ? Number(m[1]) : undefined,
      ruleName: m[2],
    }),
  },
  {
    // 313001/313008: Denied ICMP type=T, code=C from A on interface X
    ids: ['313001', '313008'],
    re: /^Denied (ICMP|IPv6-ICMP) type=(\d+), code=(\d+) from (\S+) on interface (\S+?)\.?\s*$/,
    read: (m) => ({
      action: 'deny',
      protocol: m[1] === 'ICMP' ? 'icmp' : 'ipv6-icmp',
      src: plainEndpoint(m[4]!),
      dst: {},
      icmpType: Number(m[2]),
      icmpCode: Number(m[3]),
      onInterface: m[5],
    }),
  },
  {
    // 313004: Denied ICMP type=T, from laddr A on interface X to B: no matching session
    ids: ['313004'],
    re: /^Denied ICMP type=(\d+), from (?:laddr )?(\S+) on interface (\S+) to (\S+?):? no matching session/,
    read: (m) => ({
      action: 'deny',
      protocol: 'icmp',
      src: plainEndpoint(m[2]!),
      dst: plainEndpoint(m[4]!),
      icmpType: Number(m[1]),
      onInterface: m[3],
    }),
  },
  {
    // 313005: an ICMP error with no matching connection; the quoted packet follows "Original IP payload".
    ids: ['313005'],
    re: /^No matching connection for ICMP error message: icmp src ((?:(?! dst ).)+?) dst ((?:(?! \(type ).)+?) \(type (\d+), code (\d+)\) on (\S+) interface\.\s*Original IP payload: (protocol \d+|\S+) src (\S+?) dst (\S+?)(?: \(type (\d+), code (\d+)\))?\.?\s*$/,
    read: (m) => {
      const innerSrc = plainEndpoint(m[7]!);
      const innerDst = plainEndpoint(m[8]!);
      const inner: InnerPacket = {
        transport: parseProtocol(proto(m[6]!))?.transport ?? proto(m[6]!).toLowerCase(),
      };
      const innerSrcIp = innerSrc.ip === undefined ? null : canonicalIp(innerSrc.ip);
      const innerDstIp = innerDst.ip === undefined ? null : canonicalIp(innerDst.ip);
      if (innerSrcIp) inner.sourceIp = innerSrcIp;
      if (innerDstIp) inner.destinationIp = innerDstIp;
      if (typeof innerSrc.port === 'string' && /^\d+$/.test(innerSrc.port))
        inner.sourcePort = Number(innerSrc.port);
      if (typeof innerDst.port === 'string' && /^\d+$/.test(innerDst.port))
        inner.destinationPort = Number(innerDst.port);
      if (m[9] !== undefined) inner.icmpType = Number(m[9]);
      if (m[10] !== undefined) inner.icmpCode = Number(m[10]);
      return {
        action: 'deny',
        protocol: 'icmp',
        src: ifcEndpoint(m[1]!),
        dst: ifcEndpoint(m[2]!),
        icmpType: Number(m[3]),
        icmpCode: Number(m[4]),
        onInterface: m[5],
        inner,
      };
    },
  },
  {
    // 419001: Dropping TCP packet from ifc:A/p to ifc:B/p, reason: ...
    ids: ['419001'],
    re: /^Dropping (\S+) packet from (\S+) to (\S+?), reason:/,
    read: (m) => ({
      action: 'deny',
      protocol: m[1]!,
      src: ifcEndpoint(m[2]!),
      dst: ifcEndpoint(m[3]!),
    }),
  },
  {
    // 419002: [Received] Duplicate TCP SYN from ifc:A/p to ifc:B/p with different initial sequence number.
    ids: ['419002'],
    re: /^(?:Received d|D)uplicate TCP SYN from (\S+) to (\S+) with different initial sequence number/,
    read: (m) => ({
      action: 'deny',
      protocol: 'tcp',
      src: ifcEndpoint(m[1]!),
      dst: ifcEndpoint(m[2]!),
      tcpFlags: ['SYN'],
    }),
  },
  {
    // 500004: Invalid transport field for protocol=P, from A/p to B/p
    ids: ['500004'],
    re: /^Invalid transport field for protocol=(\S+?), from (\S+) to (\S+?)\.?\s*$/,
    read: (m) => ({
      action: 'deny',
      protocol: m[1]!,
      src: plainEndpoint(m[2]!),
      dst: plainEndpoint(m[3]!),
    }),
  },
  {
    // 710001/710002/710003/710005/710006: traffic to the appliance itself (ssh, https, snmp ... to an interface);
    // 710006 names other protocols without ports (`VRRP request discarded from A to ifc:B`).
    ids: ['710001', '710002', '710003', '710005', '710006'],
    re: /^([A-Za-z][\w-]{0,15}) (access requested|access permitted|access denied by ACL|request discarded) from (\S+) to (\S+?)\.?\s*$/,
    read: (m) => {
      const dst = ifcEndpoint(m[4]!);
      return {
        action: m[2] === 'access permitted' ? 'allow' : m[2] === 'access requested' ? 'log' : 'deny',
        direction: 'inbound',
        protocol: m[1]!,
        src: plainEndpoint(m[3]!),
        dst,
        onInterface: dst.ifc,
      };
    },
  },
];

/** Find the layout of a message body written without its `%ASA-n-NNNNNN:` id (some relays strip it). */
export function layoutByText(body: string): { id: string; layout: Layout; match: RegExpExecArray } | null {
  for (const layout of LAYOUTS) {
    const m = layout.re.exec(body);
    if (m) return { id: layout.ids[0]!, layout, match: m };
  }
  return null;
}
