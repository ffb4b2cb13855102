// Writes packets the way the kernel's netfilter LOG target prints them, wrapped in rsyslog's RFC 3164 line.

/** TCP flag words in the order the kernel prints them. */
export const TCP_FLAG_ORDER = ['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN'] as const;
export type TcpFlag = (typeof TCP_FLAG_ORDER)[number];

/** An IPv4 header as the log shows it. */
export interface Ip4 {
  src: string;
  dst: string;
  /** Total length of the IP packet. */
  len: number;
  ttl: number;
  id: number;
  df?: boolean;
  /** The TOS bits the kernel prints as TOS= (0x1E mask). */
  tos?: number;
  /** The precedence bits the kernel prints as PREC= (0xE0 mask). */
  prec?: number;
}

/** An IPv6 header as the log shows it (addresses may be written compressed; they are printed expanded). */
export interface Ip6 {
  src: string;
  dst: string;
  /** Payload length plus the 40-byte header, as the kernel prints LEN=. */
  len: number;
  hopLimit: number;
  flowLabel: number;
  trafficClass?: number;
}

/** The transport part of a logged packet. */
export type Transport =
  | { proto: 'TCP'; spt: number; dpt: number; window: number; flags: readonly TcpFlag[] }
  | { proto: 'UDP'; spt: number; dpt: number /** UDP header + payload */; len: number }
  | {
      proto: 'ICMP';
      type: number;
      code: number;
      echo?: readonly [id: number, seq: number];
      quoted?: Quote;
      mtu?: number;
    }
  | { proto: 'ICMPv6'; type: number; code: number; echo?: readonly [id: number, seq: number] }
  /** A TCP header cut short inside an ICMP error quote (old routers quote only 8 bytes). */
  | { proto: 'TCP-INCOMPLETE'; bytes: number };

/** The packet an ICMP error quotes. */
export interface Quote {
  ip: Ip4;
  transport: Transport;
}

/** Where the packet was seen: log prefix, interfaces and the raw MAC header (absent for locally sent packets). */
export interface Hook {
  prefix: string;
  inIf: string;
  outIf: string;
  mac?: string;
}

/** Every group of an IPv6 address written out in four hex digits, as the kernel's %pI6 does. */
export function expandIpv6(address: string): string {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups];
  if (groups.length !== 8) throw new Error(`not an IPv6 address: ${address}`);
  return groups.map((g) => g.toLowerCase().padStart(4, '0')).join(':');
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

function ip4Text(ip: Ip4): string {
  const df = ip.df ? 'DF ' : '';
  return (
    `SRC=${ip.src} DST=${ip.dst} LEN=${ip.len} TOS=0x${hex2(ip.tos ?? 0)} PREC=0x${hex2(ip.prec ?? 0)} ` +
    `TTL=${ip.ttl} ID=${ip.id} ${df}`
  );
}

function ip6Text(ip: Ip6): string {
  return (
    `SRC=${expandIpv6(ip.src)} DST=${expandIpv6(ip.dst)} LEN=${ip.len} TC=${ip.trafficClass ?? 0} ` +
    `HOPLIMIT=${ip.hopLimit} FLOWLBL=${ip.flowLabel} `
  );
}

function transportText(t: Transport): string {
  switch (t.proto) {
    case 'TCP': {
      const flags = TCP_FLAG_ORDER.filter((f) => t.flags.includes(f));
      const flagText = flags.length > 0 ? `${flags.join(' ')} ` : '';
      return `PROTO=TCP SPT=${t.spt} DPT=${t.dpt} WINDOW=${t.window} RES=0x00 ${flagText}URGP=0 `;
    }
    case 'UDP':
      return `PROTO=UDP SPT=${t.spt} DPT=${t.dpt} LEN=${t.len} `;
    case 'TCP-INCOMPLETE':
      return `PROTO=TCP INCOMPLETE [${t.bytes} bytes] `;
    case 'ICMP': {
      let out = `PROTO=ICMP TYPE=${t.type} CODE=${t.code} `;
      if (t.echo) out += `ID=${t.echo[0]} SEQ=${t.echo[1]} `;
      if (t.quoted) out += `[${ip4Text(t.quoted.ip)}${transportText(t.quoted.transport)}] `;
      if (t.mtu !== undefined) out += `MTU=${t.mtu} `;
      return out;
    }
    case 'ICMPv6': {
      let out = `PROTO=ICMPv6 TYPE=${t.type} CODE=${t.code} `;
      if (t.echo) out += `ID=${t.echo[0]} SEQ=${t.echo[1]} `;
      return out;
    }
  }
}

/** The netfilter LOG message: prefix, interfaces, MAC header, IP header, transport; with the kernel's trailing space. */
export function netfilterMessage(hook: Hook, ip: Ip4 | Ip6, transport: Transport): string {
  const mac = hook.mac === undefined ? '' : `MAC=${hook.mac} `;
  const ipText = 'hopLimit' in ip ? ip6Text(ip) : ip4Text(ip);
  return `${hook.prefix}IN=${hook.inIf} OUT=${hook.outIf} ${mac}${ipText}${transportText(transport)}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 3164 stamp `Nov 20 03:14:07` (day padded with a space) of a UTC time in microseconds. */
export function syslogStamp(timeUs: number): string {
  const d = new Date(Math.floor(timeUs / 1000));
  const two = (n: number) => n.toString().padStart(2, '0');
  return (
    `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate().toString().padStart(2, ' ')} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
  );
}

/** The kernel's `[ 5916.458488]` uptime stamp (seconds padded to five columns). */
export function uptimeStamp(timeUs: number, bootUs: number): string {
  const up = timeUs - bootUs;
  const seconds = Math.floor(up / 1_000_000);
  const micros = up - seconds * 1_000_000;
  return `[${seconds.toString().padStart(5, ' ')}.${micros.toString().padStart(6, '0')}]`;
}

/** A whole kernel line as rsyslog writes it to /var/log/kern.log or ufw.log. */
export function kernelLine(timeUs: number, bootUs: number, host: string, message: string): string {
  return `${syslogStamp(timeUs)} ${host} kernel: ${uptimeStamp(timeUs, bootUs)} ${message}`;
}
