// The imaginary network behind the bundled sample log: our edge host, its LAN, MAC addresses, clock and log prefixes.
import type { Hook } from './kernel-line.js';

/** Host name rsyslog writes on every line. */
export const HOSTNAME = 'edge';
/** Our public IPv4 address on eth0. */
export const HOST_V4 = '192.0.2.10';
/** Our public IPv6 address on eth0. */
export const HOST_V6 = '2001:db8:10::10';
/** The LAN (eth1) broadcast address. */
export const LAN_BROADCAST = '10.0.0.255';

/** Our eth0 (WAN) MAC address. */
export const ETH0_MAC = '52:54:00:8a:1e:10';
/** Our eth1 (LAN) MAC address. */
export const ETH1_MAC = '52:54:00:8a:1e:11';
/** The ISP router in front of eth0: every packet from the Internet carries its MAC as source. */
export const UPSTREAM_MAC = '00:1b:21:3c:9d:01';
/** Link-local address of that router (its IPv6 multicast chatter comes from here). */
export const UPSTREAM_LINK_LOCAL = 'fe80::21b:21ff:fe3c:9d01';
/** Ethernet broadcast MAC. */
export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';

/** A machine on our LAN (10.0.0.0/24 behind eth1). */
export interface LanHost {
  ip: string;
  mac: string;
  /** Initial TTL of its operating system. */
  ttl: number;
  linkLocal?: string;
}

/** The LAN machines that appear in the log. */
export const LAN_HOSTS = {
  /** Old Windows PC with an adware-bundled shareware installed. */
  adwarePc: { ip: '10.0.0.23', mac: '00:0c:29:4b:17:23', ttl: 128 },
  /** Windows PC running Inoculan and NetBIOS browsing. */
  officePc: { ip: '10.0.0.31', mac: '00:0c:29:7e:02:31', ttl: 128 },
  /** Windows PC whose user plays RealAudio streams. */
  mediaPc: { ip: '10.0.0.45', mac: '00:0c:29:c1:5a:45', ttl: 128 },
  /** A Mac laptop: mDNS and SSDP chatter. */
  laptop: { ip: '10.0.0.52', mac: 'a4:83:e7:20:31:52', ttl: 64, linkLocal: 'fe80::1c2b:7aff:fe90:3152' },
} satisfies Record<string, LanHost>;

/** One second, one minute, one hour and one day in microseconds. */
export const SECOND = 1_000_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** 2026-11-20T00:00:00Z in microseconds: the first moment the sample covers. */
export const START_US = Date.UTC(2026, 10, 20) * 1000;
/** The sample covers three days. */
export const END_US = START_US + 3 * DAY;
/** The edge host booted on 2026-11-19 at 21:36:03.781563 UTC; kernel uptime stamps count from here. */
export const BOOT_US = START_US - 8_636_218_437;

/** Microseconds of day `day` (0 = Nov 20) at hh:mm:ss (seconds may carry a fraction). */
export function at(day: number, hh: number, mm: number, ss = 0): number {
  return START_US + day * DAY + hh * HOUR + mm * MINUTE + Math.round(ss * SECOND);
}

/** The log prefixes in use: ufw's own and two from the admin's hand-written rules. */
export const PREFIX = {
  block: '[UFW BLOCK] ',
  allow: '[UFW ALLOW] ',
  audit: '[UFW AUDIT] ',
  limitBlock: '[UFW LIMIT BLOCK] ',
  /** Admin's custom input chain: drops Windows/database ports and all inbound ICMP except echo. */
  dropInput: 'iptables DROP_INPUT: ',
  /** Admin's last rule for UDP: reject with port-unreachable. */
  finalReject: 'FINAL_REJECT: ',
} as const;

/** A packet that came in from the Internet on eth0 and is addressed to us (or to a broadcast/multicast MAC). */
export function fromWan(prefix: string, opts: { v6?: boolean; dstMac?: string; srcMac?: string } = {}): Hook {
  const type = opts.v6 ? '86:dd' : '08:00';
  return {
    prefix,
    inIf: 'eth0',
    outIf: '',
    mac: `${opts.dstMac ?? ETH0_MAC}:${opts.srcMac ?? UPSTREAM_MAC}:${type}`,
  };
}

/** A packet our host itself sends out of eth0 (no MAC header yet). */
export function fromHost(prefix: string): Hook {
  return { prefix, inIf: '', outIf: 'eth0' };
}

/** A LAN machine's packet routed out to the Internet (seen in FORWARD, before masquerading). */
export function forwardedFromLan(prefix: string, host: LanHost): Hook {
  return { prefix, inIf: 'eth1', outIf: 'eth0', mac: `${ETH1_MAC}:${host.mac}:08:00` };
}

/** A LAN machine's packet to our host or to a LAN broadcast/multicast address. */
export function fromLan(prefix: string, host: LanHost, dstMac: string, v6 = false): Hook {
  return { prefix, inIf: 'eth1', outIf: '', mac: `${dstMac}:${host.mac}:${v6 ? '86:dd' : '08:00'}` };
}
