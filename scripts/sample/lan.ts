// Planted LAN and link noise: NetBIOS, DHCP, SSDP, mDNS, Inoculan, IPv6 multicast, RealAudio, and the adware beacon.
import { CAST, CONDUCENT_SERVERS, NEIGHBOUR_MAC } from './cast.js';
import type { Ip4, Ip6 } from './kernel-line.js';
import type { LanHost } from './network.js';
import {
  at,
  BROADCAST_MAC,
  forwardedFromLan,
  fromLan,
  fromWan,
  HOST_V4,
  HOUR,
  LAN_BROADCAST,
  LAN_HOSTS,
  MINUTE,
  PREFIX,
  SECOND,
  START_US,
  UPSTREAM_LINK_LOCAL,
  UPSTREAM_MAC,
} from './network.js';
import type { Plan } from './plan.js';
import type { Rng } from './prng.js';
import { Remote } from './remote.js';

/** A LAN machine's IPv4 packets with a Windows-style counting IP ID. */
class LanSender {
  private id: number;
  constructor(
    readonly host: LanHost,
    private readonly rng: Rng,
  ) {
    this.id = rng.int(1000, 40000);
  }

  /** IPv4 header from this host; `forwarded` packets have already lost one TTL in our router. */
  ip(
    dst: string,
    len: number,
    opts: { ttl?: number; df?: boolean; forwarded?: boolean; tos?: number } = {},
  ): Ip4 {
    this.id = (this.id + this.rng.int(1, 30)) % 65536;
    const ttl = (opts.ttl ?? this.host.ttl) - (opts.forwarded ? 1 : 0);
    return { src: this.host.ip, dst, len, ttl, id: this.id, df: opts.df, tos: opts.tos };
  }
}

/** Windows browser announcements (138) and name registrations (137) to the LAN broadcast address. */
function plantNetbios(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: 'netbios-broadcast',
    title: 'NetBIOS name (137) and browser (138) broadcasts from LAN PCs',
    source: `${LAN_HOSTS.officePc.ip}, ${LAN_HOSTS.mediaPc.ip}`,
    lookFor: 'IN=eth1 to 10.0.0.255, 137->137 and 138->138, every ~12 minutes while the PC is on',
  });
  const sessions: [LanHost, number, number][] = [
    [LAN_HOSTS.officePc, at(0, 8, 2, 17.3), at(0, 18, 0)],
    [LAN_HOSTS.mediaPc, at(2, 9, 0, 41.9), at(2, 12, 0)],
  ];
  for (const [host, boot, off] of sessions) {
    const pc = new LanSender(host, rng);
    const hook = fromLan(PREFIX.block, host, BROADCAST_MAC);
    // Name registration: three names, each sent three times.
    for (let i = 0; i < 9; i++) {
      const t = boot + i * 750_000 + rng.int(0, 20_000);
      w.packet(t, hook, {
        ip: pc.ip(LAN_BROADCAST, 96),
        transport: { proto: 'UDP', spt: 137, dpt: 137, len: 76 },
      });
    }
    // Host announcements: 1, 2, 4, 8 minutes after start, then every 12 minutes.
    let t = boot + MINUTE;
    for (let gap = 1; t < off; gap = Math.min(gap * 2, 12)) {
      w.packet(t, hook, {
        ip: pc.ip(LAN_BROADCAST, 229),
        transport: { proto: 'UDP', spt: 138, dpt: 138, len: 209 },
      });
      t += gap * MINUTE + rng.int(0, 2_000_000);
    }
  }
}

/** DHCP on the ISP segment: neighbours' DISCOVER broadcasts and the ISP server's offers. */
function plantDhcp(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: 'dhcp-broadcast',
    title: 'DHCP broadcasts on the ISP segment (67/68)',
    source: `0.0.0.0 (neighbours), ${CAST.ispGateway} (ISP DHCP server)`,
    lookFor: '0.0.0.0:68 -> 255.255.255.255:67 and 67 -> 68 replies, Ethernet broadcast',
  });
  for (let i = 0; i < 7; i++) {
    const t = START_US + rng.int(1 * HOUR, 71 * HOUR);
    const windowsClient = rng.chance(0.5);
    const mac = `00:16:3e:${rng.int(16, 255).toString(16)}:${rng.int(16, 255).toString(16)}:${rng.int(16, 255).toString(16)}`;
    const discover: Ip4 = {
      src: '0.0.0.0',
      dst: '255.255.255.255',
      len: 328,
      ttl: windowsClient ? 128 : 64,
      id: windowsClient ? rng.int(1, 65535) : 0,
      tos: windowsClient ? 0 : 0x10,
    };
    w.packet(t, fromWan(PREFIX.block, { dstMac: BROADCAST_MAC, srcMac: mac }), {
      ip: discover,
      transport: { proto: 'UDP', spt: 68, dpt: 67, len: 308 },
    });
    const offer: Ip4 = { src: CAST.ispGateway, dst: '255.255.255.255', len: 342, ttl: 64, id: 0 };
    w.packet(t + rng.int(3_000, 40_000), fromWan(PREFIX.block, { dstMac: BROADCAST_MAC }), {
      ip: offer,
      transport: { proto: 'UDP', spt: 67, dpt: 68, len: 322 },
    });
  }
}

/** SSDP M-SEARCH bursts and mDNS announcements from LAN machines. */
function plantSsdpAndMdns(plan: Plan, rng: Rng): void {
  const ssdp = plan.scenario({
    id: 'ssdp-multicast',
    title: 'SSDP discovery (1900) to 239.255.255.250',
    source: `${LAN_HOSTS.mediaPc.ip}, ${LAN_HOSTS.laptop.ip}`,
    lookFor: 'UDP to 239.255.255.250:1900 in bursts of three, IN=eth1',
  });
  const senders = [new LanSender(LAN_HOSTS.mediaPc, rng), new LanSender(LAN_HOSTS.laptop, rng)];
  for (let i = 0; i < 6; i++) {
    const pc = senders[i % 2];
    const t = at(Math.floor(i / 2), rng.int(8, 21), rng.int(0, 59), rng.int(0, 59));
    const sport = rng.int(49152, 65535);
    const ttl = pc.host.ttl === 128 ? 1 : 2;
    const hook = fromLan(PREFIX.block, pc.host, '01:00:5e:7f:ff:fa');
    for (let copy = 0; copy < 3; copy++) {
      ssdp.packet(t + copy * 100_000 + rng.int(0, 5_000), hook, {
        ip: pc.ip('239.255.255.250', 153, { ttl }),
        transport: { proto: 'UDP', spt: sport, dpt: 1900, len: 133 },
      });
    }
  }

  const mdns = plan.scenario({
    id: 'mdns-multicast',
    title: 'mDNS (5353) from a LAN laptop, IPv4 and IPv6',
    source: `${LAN_HOSTS.laptop.ip}, ${LAN_HOSTS.laptop.linkLocal}`,
    lookFor: 'UDP 5353 -> 224.0.0.251 and ff02::fb with TTL/HOPLIMIT 255',
  });
  const laptop = new LanSender(LAN_HOSTS.laptop, rng);
  for (const wake of [at(0, 7, 58, 3.3), at(1, 8, 12, 40.1), at(2, 7, 49, 55.5)]) {
    for (let i = 0; i < 3; i++) {
      const t = wake + i * SECOND + rng.int(0, 250_000);
      const payload = rng.int(60, 380);
      const hook4 = fromLan(PREFIX.block, LAN_HOSTS.laptop, '01:00:5e:00:00:fb');
      mdns.packet(t, hook4, {
        ip: laptop.ip('224.0.0.251', 28 + payload, { ttl: 255 }),
        transport: { proto: 'UDP', spt: 5353, dpt: 5353, len: 8 + payload },
      });
      const ip6: Ip6 = {
        src: LAN_HOSTS.laptop.linkLocal,
        dst: 'ff02::fb',
        len: 48 + payload,
        hopLimit: 255,
        flowLabel: 0,
      };
      const hook6 = fromLan(PREFIX.block, LAN_HOSTS.laptop, '33:33:00:00:00:fb', true);
      mdns.packet(t + 300, hook6, {
        ip: ip6,
        transport: { proto: 'UDP', spt: 5353, dpt: 5353, len: 8 + payload },
      });
    }
  }
}

/** Old Inoculan copies looking for each other: UDP 41508 broadcasts every ~5 minutes. */
function plantInoculan(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: 'inoculan',
    title: 'Inoculan antivirus broadcasts (41508/udp)',
    source: LAN_HOSTS.officePc.ip,
    lookFor: 'UDP 41508 -> 10.0.0.255:41508 every ~5 minutes for two hours',
  });
  const pc = new LanSender(LAN_HOSTS.officePc, rng);
  const hook = fromLan(PREFIX.block, LAN_HOSTS.officePc, BROADCAST_MAC);
  for (let t = at(1, 9, 0, 12.8); t < at(1, 11, 0); t += 5 * MINUTE + rng.int(-30, 30) * SECOND) {
    w.packet(t, hook, {
      ip: pc.ip(LAN_BROADCAST, 84),
      transport: { proto: 'UDP', spt: 41508, dpt: 41508, len: 64 },
    });
  }
}

/** IPv6 link-local chatter to ff02::1: the ISP router's MLD queries and a neighbour pinging all nodes. */
function plantLinkLocalV6(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: 'ipv6-link-local-multicast',
    title: 'IPv6 link-local multicast to ff02::1 (MLD queries, all-nodes ping)',
    source: `${UPSTREAM_LINK_LOCAL}, ${CAST.linkLocalNeighbour}`,
    lookFor: 'fe80:: sources to ff02::1, HOPLIMIT 1, ICMPv6 types 130 and 128',
  });
  const allNodesMac = '33:33:00:00:00:01';
  for (
    let t = START_US + rng.int(5, 60) * MINUTE;
    t < START_US + 72 * HOUR;
    t += 2 * HOUR + rng.int(-10, 10) * MINUTE
  ) {
    const ip: Ip6 = { src: UPSTREAM_LINK_LOCAL, dst: 'ff02::1', len: 76, hopLimit: 1, flowLabel: 0 };
    w.packet(t, fromWan(PREFIX.block, { v6: true, dstMac: allNodesMac, srcMac: UPSTREAM_MAC }), {
      ip,
      transport: { proto: 'ICMPv6', type: 130, code: 0 },
    });
  }
  const id = rng.int(1, 65535);
  for (let seq = 1; seq <= 3; seq++) {
    const ip: Ip6 = {
      src: CAST.linkLocalNeighbour,
      dst: 'ff02::1',
      len: 104,
      hopLimit: 1,
      flowLabel: rng.int(1, 0xfffff),
    };
    w.packet(
      at(2, 4, 44, seq),
      fromWan(PREFIX.block, { v6: true, dstMac: allNodesMac, srcMac: NEIGHBOUR_MAC }),
      {
        ip,
        transport: { proto: 'ICMPv6', type: 128, code: 0, echo: [id, seq] },
      },
    );
  }
}

/** A RealAudio stream: the outbound TCP 7070 control connection is allowed, the UDP data coming back is not. */
function plantRealAudio(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: 'realaudio',
    title: 'RealAudio: outbound TCP 7070 allowed, inbound UDP 6970-7170 stream blocked',
    source: `${LAN_HOSTS.mediaPc.ip} -> ${CAST.realAudioServer}`,
    lookFor: '[UFW ALLOW] IN=eth1 OUT=eth0 to 7070, then UDP from the same server to 6970-7170',
  });
  const pc = new LanSender(LAN_HOSTS.mediaPc, rng);
  const server = new Remote(CAST.realAudioServer, 'linux', 12, rng);
  for (const [start, packets] of [
    [at(0, 20, 5, 12.06), 30],
    [at(2, 19, 40, 3.7), 20],
  ] as const) {
    const syn = {
      ip: pc.ip(CAST.realAudioServer, 52, { df: true, forwarded: true }),
      transport: {
        proto: 'TCP' as const,
        spt: rng.int(49152, 65535),
        dpt: 7070,
        window: 64240,
        flags: ['SYN'] as const,
      },
    };
    w.packet(start, forwardedFromLan(PREFIX.allow, LAN_HOSTS.mediaPc), syn);
    const dpt = 6970 + 2 * rng.int(0, 100);
    let t = start + rng.int(1_500_000, 2_200_000);
    for (let i = 0; i < packets; i++) {
      w.packet(
        t,
        fromWan(PREFIX.block),
        server.udp(HOST_V4, dpt, rng.int(240, 1100), { sport: 6970, df: false }),
      );
      t += rng.int(150_000, 600_000);
    }
  }
}

/** The adware PC phoning Conducent's ad servers on 17027, blocked on the way out. */
function plantAdwareBeacon(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: 'adware-beacon',
    title: 'Outbound adware beacon to Conducent ad servers (17027)',
    source: `${LAN_HOSTS.adwarePc.ip} -> ${CONDUCENT_SERVERS.join(', ')}`,
    lookFor:
      'IN=eth1 OUT=eth0 SYN to 216.33.210.40:17027 every ~10 minutes (3 tries each), then a burst to all five servers',
  });
  const pc = new LanSender(LAN_HOSTS.adwarePc, rng);
  const hook = forwardedFromLan(PREFIX.block, LAN_HOSTS.adwarePc);
  let sport = rng.int(1025, 1500);
  const syn = (dst: string, port: number) => ({
    ip: pc.ip(dst, 48, { df: true, forwarded: true }),
    transport: { proto: 'TCP' as const, spt: port, dpt: 17027, window: 65535, flags: ['SYN'] as const },
  });
  for (let t = at(1, 9, 2, 4.4); t < at(1, 17, 0); t += 10 * MINUTE + rng.int(-120, 120) * SECOND) {
    sport = sport >= 5000 ? 1025 : sport + rng.int(1, 6);
    for (const offset of [0, 3, 9])
      w.packet(t + offset * SECOND + rng.int(0, 30_000), hook, syn(CONDUCENT_SERVERS[0], sport));
  }
  let t = at(2, 10, 14, 2.01);
  for (let i = 0; i < 30; i++) {
    sport = sport >= 5000 ? 1025 : sport + 1;
    w.packet(t, hook, syn(CONDUCENT_SERVERS[i % CONDUCENT_SERVERS.length], sport));
    t += rng.int(150_000, 350_000);
  }
}

/** Plant every LAN and link-noise scenario. */
export function plantLan(plan: Plan, rng: Rng): void {
  plantNetbios(plan, rng.fork('netbios'));
  plantDhcp(plan, rng.fork('dhcp'));
  plantSsdpAndMdns(plan, rng.fork('ssdp-mdns'));
  plantInoculan(plan, rng.fork('inoculan'));
  plantLinkLocalV6(plan, rng.fork('link-local'));
  plantRealAudio(plan, rng.fork('realaudio'));
  plantAdwareBeacon(plan, rng.fork('adware'));
}
