// More ASA/FTD traffic messages, after Cisco's syslog message guide: routing and fragment drops (110xxx, 209xxx),
// GRE, stub, state-bypass and H.245 connections (302xxx), NAT failures (305xxx), invalid ICMP (313009), IPS
// signatures (400xxx), TCP normalisation (419003), packet checks (500xxx), to-the-box limits (710xxx), inspection
// and SFR verdicts (434xxx, 507xxx), offload and URL records (805xxx, 304001).
import type { TcpFlag } from '../../event.js';
import {
  type Draft,
  dir,
  flags,
  ifcEndpoint,
  LAYOUTS,
  type Layout,
  plainEndpoint,
  proto,
} from './messages.js';

/** The ICMP type an ASA IPS signature in the 2000-2012 range reports (signature 2000 is an echo reply). */
const IPS_ICMP_TYPES = [0, 3, 4, 5, 8, 11, 12, 13, 14, 15, 16, 17, 18];

/** TCP flags of the IPS flag signatures: 3040 no flags, 3041 SYN+FIN, 3042 FIN only. */
const IPS_TCP_FLAGS: Record<number, TcpFlag[]> = { 3040: [], 3041: ['SYN', 'FIN'], 3042: ['FIN'] };

/** What an ASA IPS signature number says about the packet: 2xxx ICMP, 3xxx TCP, 4xxx UDP. */
function ipsSignature(sig: number): Pick<Draft, 'protocol' | 'icmpType' | 'tcpFlags'> {
  if (sig >= 2000 && sig <= 2012) return { protocol: 'icmp', icmpType: IPS_ICMP_TYPES[sig - 2000] };
  if (sig >= 2000 && sig < 3000) return { protocol: 'icmp' };
  if (sig >= 3000 && sig < 4000) return { protocol: 'tcp', tcpFlags: IPS_TCP_FLAGS[sig] };
  if (sig >= 4000 && sig < 5000) return { protocol: 'udp' };
  return {};
}

/** Layouts of the messages this file reads, by family. */
export const CATALOG_LAYOUTS: Layout[] = [
  {
    // 106013: Dropping echo request from A to PAT address B
    ids: ['106013'],
    re: /^Dropping echo request from (\S+) to PAT address (\S+?)\.?\s*$/,
    read: (m) => ({
      action: 'deny',
      protocol: 'icmp',
      icmpType: 8,
      src: plainEndpoint(m[1]!),
      dst: plainEndpoint(m[2]!),
    }),
  },
  {
    // 106016: Deny IP spoof from (A) to B on interface X
    ids: ['106016'],
    re: /^Deny IP spoof from \(?([^\s()]+)\)? to (\S+?) on interface (\S+?)\.?\s*$/,
    read: (m) => ({
      action: 'deny',
      src: plainEndpoint(m[1]!),
      dst: plainEndpoint(m[2]!),
      onInterface: m[3],
    }),
  },
  {
    // 110002: Failed to locate egress interface for proto from ifc:A/p to B/p
    // 110003: Routing failed to locate next hop for proto from ifc:A/p to ifc:B/p
    ids: ['110002', '110003'],
    re: /^(?:Failed to locate egress interface|Routing failed to locate next hop) for (protocol \d+|\S+) from (\S+) to (\S+?)\.?\s*$/,
    read: (m) => ({
      action: 'deny',
      protocol: proto(m[1]!),
      src: ifcEndpoint(m[2]!),
      dst: ifcEndpoint(m[3]!),
    }),
  },
  {
    // 209003/209004/209005: fragment drops, `...: src = A, dest = B, proto = P, id = N`
    ids: ['209003', '209004', '209005'],
    re: /^(?:Fragment database limit of \d+ exceeded|Invalid IP fragment, size = \d+ exceeds maximum size = \d+|Discard IP fragment set with more than \d+ elements): src = ([^\s,]+), dest = ([^\s,]+), proto = ([^\s,]+), id = \d+/,
    read: (m) => ({
      action: 'deny',
      protocol: m[3],
      src: plainEndpoint(m[1]!),
      dst: plainEndpoint(m[2]!),
    }),
  },
  {
    // 302003: Built H245 connection for foreign_address A/p local_address B/p
    ids: ['302003'],
    re: /^Built H245 connection for foreign_address (\S+) local_address (\S+?)\.?\s*$/,
    read: (m) => ({ action: 'allow', protocol: 'tcp', src: plainEndpoint(m[1]!), dst: plainEndpoint(m[2]!) }),
  },
  {
    // 302017/302018: Built {inbound|outbound} GRE connection N from ifc:A (mapped) to ifc:B/cid (mapped/cid) / Teardown ...
    ids: ['302017', '302018'],
    re: /^(?:Built (inbound|outbound)|Teardown) GRE connection (\d+) from (\S+) \S+ to (\S+)/,
    read: (m) => {
      // The number after the second address is a PPTP call id, not a port.
      const src = ifcEndpoint(m[3]!);
      const dst = ifcEndpoint(m[4]!);
      delete src.port;
      delete dst.port;
      return {
        action: 'allow',
        direction: dir(m[1]),
        protocol: 'gre',
        src,
        dst,
        swap: m[1] === 'outbound',
        phase: m[1] === undefined ? 'end' : 'start',
        sessionId: m[2]!,
      };
    },
  },
  {
    // 302022/302024/302026: Built [director|backup|forwarder] stub {TCP|UDP|ICMP} connection for ifc:A/p (m) to ifc:B/p (m)
    ids: ['302022', '302024', '302026'],
    re: /^Built (?:[a-z]+ )?stub (TCP|UDP|ICMP|SCTP) connection for (\S+) \S+ to (\S+)/,
    read: (m) => ({ action: 'allow', protocol: m[1]!, src: ifcEndpoint(m[2]!), dst: ifcEndpoint(m[3]!) }),
  },
  {
    // 302023/302025/302027: Teardown stub {TCP|UDP|ICMP} connection for ifc:A/p to ifc:B/p duration T forwarded bytes N reason
    ids: ['302023', '302025', '302027'],
    re: /^Teardown stub (TCP|UDP|ICMP|SCTP) connection for (\S+) to (\S+) duration \S+ forwarded bytes \d+/,
    read: (m) => ({ action: 'allow', protocol: m[1]!, src: ifcEndpoint(m[2]!), dst: ifcEndpoint(m[3]!) }),
  },
  {
    // 302303/302305: Built {TCP|SCTP} state-bypass connection N from ifc:A/p (m/p) to ifc:B/p (m/p)
    // 302304/302306: Teardown {TCP|SCTP} state-bypass connection N from ifc:A/p to ifc:B/p duration T bytes N reason
    ids: ['302303', '302304', '302305', '302306'],
    re: /^(Built|Teardown) (TCP|SCTP) state-bypass connection (\d+) from (\S+) (?:\(\S+\) )?to (\S+)/,
    read: (m) => ({
      action: 'allow',
      protocol: m[2]!,
      src: ifcEndpoint(m[4]!),
      dst: ifcEndpoint(m[5]!),
      phase: m[1] === 'Built' ? 'start' : 'end',
      sessionId: m[3]!,
    }),
  },
  {
    // 304001: A Accessed [JAVA] URL B:http://...
    ids: ['304001'],
    // The URL after the server's address may have its scheme (`http://...`) or only its path (PIX: `/index.html`).
    re: /^(\S+?)(?:\([^()]*\))? Accessed (?:JAVA )?URL (?:[^\s@]*@)?(\[[0-9A-Fa-f:.]+\]|[\d.]+):/,
    read: (m) => ({
      action: 'allow',
      protocol: 'tcp',
      src: plainEndpoint(m[1]!),
      dst: { ip: m[2]!.replace(/^\[|\]$/g, '') },
    }),
  },
  {
    // 305005: No translation group found for proto src ifc:A/p dst ifc:B/p
    // 305006: {outbound static|identity|portmap|regular} translation creation failed for proto src ifc:A/p dst ifc:B/p
    ids: ['305005', '305006'],
    re: /^(?:No translation group found|[\w ]{1,40}translation creation failed) for (protocol \d+|\S+) src (\S+) dst (\S+)/,
    read: (m) => ({
      action: 'deny',
      protocol: proto(m[1]!),
      src: ifcEndpoint(m[2]!),
      dst: ifcEndpoint(m[3]!),
    }),
  },
  {
    // 305013: Asymmetric NAT rules matched for forward and reverse flows; Connection proto src ifc:A/p dst ifc:B/p denied due to NAT reverse path failure.
    ids: ['305013'],
    re: /^Asymmetric NAT rules matched for forward and reverse flows; Connection (protocol \d+|\S+) src (\S+) dst (\S+) denied/,
    read: (m) => ({
      action: 'deny',
      protocol: proto(m[1]!),
      src: ifcEndpoint(m[2]!),
      dst: ifcEndpoint(m[3]!),
    }),
  },
  {
    // 305016: Unable to create proto connection from ifc:A/p to ifc:B/p due to reason.
    ids: ['305016'],
    re: /^Unable to create (protocol \d+|\S+) connection from (\S+) to (\S+) due to /,
    read: (m) => ({
      action: 'deny',
      protocol: proto(m[1]!),
      src: ifcEndpoint(m[2]!),
      dst: ifcEndpoint(m[3]!),
    }),
  },
  {
    // 313009: Denied invalid ICMP code C, for ifc:A/id (m/id) to ifc:B/0 (m/0), ICMP id N, ICMP type T
    ids: ['313009'],
    re: /^Denied invalid ICMP code (\d+), for (\S+) \S+ to (\S+) \S+ ICMP id \d+, ICMP type (\d+)/,
    read: (m) => ({
      action: 'deny',
      protocol: 'icmp',
      src: ifcEndpoint(m[2]!),
      dst: ifcEndpoint(m[3]!),
      icmpType: Number(m[4]),
      icmpCode: Number(m[1]),
    }),
  },
  {
    // 400000-400050: IPS:sig message from A to B on interface X (`IDS:` on PIX)
    ids: Array.from({ length: 51 }, (_, i) => String(400000 + i)),
    re: /^I[PD]S:(\d{4}) [^:]{1,80}? from (\S+) to (\S+) on interface (\S+?)\.?\s*$/,
    read: (m) => ({
      action: 'log',
      ...ipsSignature(Number(m[1])),
      src: plainEndpoint(m[2]!),
      dst: plainEndpoint(m[3]!),
      onInterface: m[4],
      ruleName: `IPS:${m[1]}`,
    }),
  },
  {
    // 402117: IPSEC: Received a non-IPSec packet (protocol=P) from A to B.
    ids: ['402117'],
    re: /^IPSEC: Received a non-IPSec packet \(protocol= ?(\S+?)\) from (\S+) to (\S+?)\.?\s*$/,
    read: (m) => ({ action: 'deny', protocol: m[1], src: plainEndpoint(m[2]!), dst: plainEndpoint(m[3]!) }),
  },
  {
    // 402116/402119: IPSEC: Received an {ESP|AH} packet (SPI= x, sequence number= y) from A (user= u) to B {that failed
    // anti-replay checking | . The decapsulated inner packet doesn't match the negotiated policy ...}: dropped.
    ids: ['402116', '402119'],
    re: /^IPSEC: Received an? (ESP|AH) packet \([^()]*\) from (\S+) \(user= ?[^()]*\) to (\S+?)\.? (?:that failed anti-replay|The decapsulated)/,
    read: (m) => ({ action: 'deny', protocol: m[1], src: plainEndpoint(m[2]!), dst: plainEndpoint(m[3]!) }),
  },
  {
    // 410001: Dropped UDP DNS {request|query|reply} from ifc:A/p to ifc:B/p; reason
    ids: ['410001'],
    re: /^Dropped UDP DNS (?:request|query|reply) from (\S+) to (\S+?);/,
    read: (m) => ({ action: 'deny', protocol: 'udp', src: ifcEndpoint(m[1]!), dst: ifcEndpoint(m[2]!) }),
  },
  {
    // 419003: Cleared TCP urgent flag from ifc:A/p to ifc:B/p.
    ids: ['419003'],
    re: /^Cleared TCP urgent flag from (\S+) to (\S+?)\.?\s*$/,
    read: (m) => ({
      action: 'log',
      protocol: 'tcp',
      src: ifcEndpoint(m[1]!),
      dst: ifcEndpoint(m[2]!),
      tcpFlags: ['URG'],
    }),
  },
  {
    // 434002: SFR requested to drop proto packet from ifc:A/p to ifc:B/p
    // 434004: SFR requested {ASA|device} to bypass further packet redirection and process proto flow from ifc:A/p to ifc:B/p locally
    ids: ['434002', '434004'],
    re: /^SFR requested (?:to drop (\S+) packet|\S+ to bypass further packet redirection and process (\S+) flow) from (\S+) to (\S+)/,
    read: (m) => ({
      action: m[1] === undefined ? 'allow' : 'deny',
      protocol: m[1] ?? m[2],
      src: ifcEndpoint(m[3]!),
      dst: ifcEndpoint(m[4]!),
    }),
  },
  {
    // 500003: Bad TCP hdr length (hdrlen=N, pktlen=N) from A/p to B/p, flags: F, on interface X
    ids: ['500003'],
    re: /^Bad TCP hdr length \(hdrlen=\d+, pktlen=\d+\) from (\S+) to (\S+?), flags: ([A-Z ]{0,40}?),? on interface (\S+?)\.?\s*$/,
    read: (m) => ({
      action: 'deny',
      protocol: 'tcp',
      src: plainEndpoint(m[1]!),
      dst: plainEndpoint(m[2]!),
      tcpFlags: flags(m[3]!),
      onInterface: m[4],
    }),
  },
  {
    // 500005: connection terminated for proto from ifc:A/p to ifc:B/p due to invalid combination of inspections on same flow.
    ids: ['500005'],
    re: /^connection terminated for (\S+) from (\S+) to (\S+) due to /,
    read: (m) => ({ action: 'deny', protocol: m[1], src: ifcEndpoint(m[2]!), dst: ifcEndpoint(m[3]!) }),
  },
  {
    // 507003: proto flow from ifc:A/p to ifc:B/p terminated by inspection engine, reason - ...
    ids: ['507003'],
    re: /^(\S+) flow from (\S+) to (\S+) terminated by inspection engine/,
    read: (m) => ({ action: 'deny', protocol: m[1], src: ifcEndpoint(m[2]!), dst: ifcEndpoint(m[3]!) }),
  },
  {
    // 710004: TCP connection limit exceeded from A/p to ifc:B/p (current connections/connection limit = N/N)
    ids: ['710004'],
    re: /^TCP connection limit exceeded from (\S+) to (\S+) \(current connections/,
    read: (m) => {
      const dst = ifcEndpoint(m[2]!);
      return {
        action: 'deny',
        direction: 'inbound',
        protocol: 'tcp',
        src: plainEndpoint(m[1]!),
        dst,
        onInterface: dst.ifc,
      };
    },
  },
  {
    // 710007: NAT-T keepalive received from A/p to ifc:B/p
    ids: ['710007'],
    re: /^NAT-T keepalive received from (\S+) to (\S+?)\.?\s*$/,
    read: (m) => {
      const dst = ifcEndpoint(m[2]!);
      return {
        action: 'allow',
        direction: 'inbound',
        protocol: 'udp',
        src: plainEndpoint(m[1]!),
        dst,
        onInterface: dst.ifc,
      };
    },
  },
  {
    // 805001/805002/805003: [TCP Flow is no longer offloaded | Offloaded TCP Flow | ...] for connection N from ifc:A/p (m/p) to ifc:B/p (m/p)
    ids: ['805001', '805002', '805003'],
    re: /^(?:Offloaded (TCP|UDP) Flow|(TCP|UDP) Flow is no longer offloaded|Flow offload[^:]{0,40}) for connection \d+ from (\S+) \S+ to (\S+)/,
    read: (m) => ({
      action: 'allow',
      protocol: m[1] ?? m[2],
      src: ifcEndpoint(m[3]!),
      dst: ifcEndpoint(m[4]!),
    }),
  },
  {
    // 852001: Received Lightweight to full proxy event from application Snort for TCP flow A/p to B/p
    ids: ['852001', '852002'],
    re: /^Received (?:Lightweight to full|full to Lightweight) proxy event from application \S+ for (\S+) flow (\S+) to (\S+?)\.?\s*$/,
    read: (m) => ({ action: 'allow', protocol: m[1], src: ifcEndpoint(m[2]!), dst: ifcEndpoint(m[3]!) }),
  },
];

/** Layouts by message id: the common messages (messages.ts) and the rest of the catalogue (above). */
export const LAYOUTS_BY_ID = new Map<string, Layout>();
for (const layout of [...LAYOUTS, ...CATALOG_LAYOUTS])
  for (const id of layout.ids) LAYOUTS_BY_ID.set(id, layout);
