// Planted ICMP and backscatter: Windows tracert, errors about our own packets, smurf replies, SYN-ACK/RST backscatter, IPv6 ping.
import { AMPLIFIERS, CAST } from './cast.js';
import type { Ip4, Quote } from './kernel-line.js';
import { at, fromHost, fromWan, HOST_V4, HOST_V6, MINUTE, PREFIX, SECOND } from './network.js';
import type { Plan } from './plan.js';
import type { Rng } from './prng.js';
import type { OsName } from './remote.js';
import { Remote } from './remote.js';

/** Linux sends ICMP errors with precedence 0xC0 (internetwork control). */
const ICMP_ERROR_PREC = 0xc0;

/** Windows tracert.exe: ICMP echo with TTL 1, 2, 3 ...; the ones that reach us arrive with TTL 1, 2, 3 ... */
function plantWindowsTracert(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: 'windows-tracert',
    title: 'Windows tracert to our host (ICMP echo, TTL rising from 1)',
    source: CAST.windowsTracert,
    lookFor: 'echo requests LEN=92, three per TTL, arriving TTL 1,1,1,2,2,2 ... and SEQ +1 each',
  });
  const hops = 14;
  let ipId = rng.int(2000, 30000);
  let t = at(1, 20, 31, 4.52);
  const firstSeq = rng.int(20, 200);
  for (let ttl = hops + 1; ttl <= 30; ttl++) {
    for (let probe = 0; probe < 3; probe++) {
      const seq = firstSeq + (ttl - 1) * 3 + probe;
      ipId = (ipId + 1) % 65536;
      const ip = { src: CAST.windowsTracert, dst: HOST_V4, len: 92, ttl: ttl - hops, id: ipId };
      w.packet(t, fromWan(PREFIX.block), {
        ip,
        transport: { proto: 'ICMP', type: 8, code: 0, echo: [1, seq] },
      });
      t += 4 * SECOND + rng.int(2_000, 15_000);
    }
  }
}

/** Our DNS queries to a dead secondary resolver, answered with port unreachable (type 3 code 3). */
function plantDnsPortUnreachable(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: 'icmp-port-unreachable',
    title: 'ICMP port unreachable quoting our own DNS query (secondary resolver down)',
    source: CAST.deadResolver,
    lookFor: 'type 3 code 3 whose quoted packet is SRC=192.0.2.10 ... DPT=53, right after our query',
  });
  const hops = 11;
  const resolver = new Remote(CAST.deadResolver, 'linux', hops, rng);
  for (const t of [at(0, 12, 30, 1.204), at(0, 12, 30, 6.209), at(2, 8, 10, 44.61)]) {
    const payload = rng.int(28, 45);
    const query: Ip4 = {
      src: HOST_V4,
      dst: CAST.deadResolver,
      len: 28 + payload,
      ttl: 64,
      id: rng.int(1, 65535),
      df: true,
    };
    const udp = { proto: 'UDP' as const, spt: rng.int(32768, 60999), dpt: 53, len: 8 + payload };
    w.packet(t, fromHost(PREFIX.audit), { ip: query, transport: udp });
    const quoted: Quote = { ip: { ...query, ttl: 64 - hops }, transport: udp };
    const outer: Ip4 = {
      src: CAST.deadResolver,
      dst: HOST_V4,
      len: 28 + query.len,
      ttl: resolver.ttl(),
      id: resolver.nextId(),
      prec: ICMP_ERROR_PREC,
    };
    w.packet(t + rng.int(20_000, 30_000), fromWan(PREFIX.audit), {
      ip: outer,
      transport: { proto: 'ICMP', type: 3, code: 3, quoted },
    });
  }
}

/** Fragmentation needed (type 3 code 4) for our backup upload: a tunnel router with MTU 1480, and an old one quoting 8 bytes. */
function plantFragNeeded(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: 'icmp-frag-needed',
    title: 'ICMP fragmentation needed (path MTU discovery) for our uploads',
    source: `${CAST.pmtuRouter}, ${CAST.oldRouter}`,
    lookFor:
      'type 3 code 4 with MTU=; quoted packet is our 1500-byte DF segment (INCOMPLETE [8 bytes] from the old router)',
  });
  const sport = rng.int(32768, 60999);
  let t = at(1, 13, 45, 10.03);
  let ourId = rng.int(1, 60000);
  for (let retry = 0; retry < 5; retry++) {
    ourId++;
    const segment: Ip4 = { src: HOST_V4, dst: CAST.backupServer, len: 1500, ttl: 62, id: ourId, df: true };
    const quoted: Quote = {
      ip: segment,
      transport: { proto: 'TCP', spt: sport, dpt: 443, window: 501, flags: ['ACK', 'PSH'] },
    };
    const outer: Ip4 = {
      src: CAST.pmtuRouter,
      dst: HOST_V4,
      len: 576,
      ttl: 253,
      id: rng.int(1, 65535),
      prec: ICMP_ERROR_PREC,
    };
    w.packet(t, fromWan(PREFIX.audit), {
      ip: outer,
      transport: { proto: 'ICMP', type: 3, code: 4, quoted, mtu: 1480 },
    });
    t += 200_000 * 2 ** retry + rng.int(0, 5_000);
  }
  for (const when of [at(2, 9, 12, 3.3), at(2, 9, 12, 3.71)]) {
    const segment: Ip4 = {
      src: HOST_V4,
      dst: CAST.mirrorServer,
      len: 1500,
      ttl: 57,
      id: rng.int(1, 65535),
      df: true,
    };
    const outer: Ip4 = {
      src: CAST.oldRouter,
      dst: HOST_V4,
      len: 56,
      ttl: 248,
      id: rng.int(1, 65535),
      prec: ICMP_ERROR_PREC,
    };
    const quoted: Quote = { ip: segment, transport: { proto: 'TCP-INCOMPLETE', bytes: 8 } };
    w.packet(when, fromWan(PREFIX.audit), {
      ip: outer,
      transport: { proto: 'ICMP', type: 3, code: 4, quoted, mtu: 1476 },
    });
  }
}

/** Our own traceroute (-q 1): TTL-exceeded (type 11) from each router, port unreachable from the target. */
function plantTimeExceeded(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: 'icmp-time-exceeded',
    title: 'Our own traceroute: ICMP time exceeded (type 11) from each router',
    source: `${CAST.tracerouteHops.join(', ')}, ${CAST.tracerouteTarget}`,
    lookFor:
      'outbound UDP probes TTL 1-7, type 11 answers quoting them with TTL=1, type 3 code 3 from the target',
  });
  const sport = rng.int(32768, 60999);
  let id = rng.int(1, 60000);
  let t = at(2, 15, 2, 0.118);
  const routers = [...CAST.tracerouteHops, CAST.tracerouteTarget];
  routers.forEach((router, i) => {
    const hop = i + 1;
    id++;
    const probe: Ip4 = { src: HOST_V4, dst: CAST.tracerouteTarget, len: 60, ttl: hop, id };
    const udp = { proto: 'UDP' as const, spt: sport, dpt: 33434 + i, len: 40 };
    w.packet(t, fromHost(PREFIX.audit), { ip: probe, transport: udp });
    const isTarget = router === CAST.tracerouteTarget;
    // The first routers quote the whole probe; the far ones (older gear) only its first 28 bytes.
    const quotedLen = hop <= 3 || isTarget ? 60 : 28;
    const outer: Ip4 = {
      src: router,
      dst: HOST_V4,
      len: 28 + quotedLen,
      ttl: (isTarget ? 64 : 255) - (hop - 1),
      id: rng.int(1, 65535),
      prec: ICMP_ERROR_PREC,
    };
    const quoted: Quote = { ip: { ...probe, ttl: 1 }, transport: udp };
    const icmp = isTarget
      ? { proto: 'ICMP' as const, type: 3, code: 3, quoted }
      : { proto: 'ICMP' as const, type: 11, code: 0, quoted };
    w.packet(t + hop * rng.int(1_500, 4_000), fromWan(PREFIX.audit), { ip: outer, transport: icmp });
    t += rng.int(40_000, 60_000);
  });
}

/** Echo replies from two networks' hosts to pings we never sent: backscatter of a smurf attack forging our address. */
function plantSmurfBackscatter(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: 'smurf-backscatter',
    title: 'Unsolicited ICMP echo replies from many hosts (smurf backscatter)',
    source: `${AMPLIFIERS.length} hosts of 203.0.113.224/27 and 198.51.100.224/28`,
    lookFor: 'burst of type 0 replies with the same ID and SEQ from dozens of hosts, no echo request of ours',
  });
  const oses: [OsName, number][] = [
    ['linux', 5],
    ['windows', 3],
    ['solaris', 2],
  ];
  const amplifiers = AMPLIFIERS.map((ip) => new Remote(ip, rng.weighted(oses), rng.int(13, 17), rng));
  const echoId = rng.int(1000, 60000);
  const start = at(1, 22, 47, 10.4);
  for (let round = 0; round < 2; round++) {
    for (const amp of amplifiers) {
      const t = start + round * 3 * SECOND + rng.int(5_000, 900_000);
      const ip: Ip4 = { src: amp.ip, dst: HOST_V4, len: 1028, ttl: amp.ttl(), id: amp.nextId() };
      w.packet(t, fromWan(PREFIX.dropInput), {
        ip,
        transport: { proto: 'ICMP', type: 0, code: 0, echo: [echoId, round + 1] },
      });
    }
  }
}

/** A web server answering a SYN flood that forged our address: SYN-ACKs (retried) and RSTs to our high ports. */
function plantSynAckBackscatter(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: 'synack-backscatter',
    title: 'SYN-ACK / RST backscatter from one web server port 80',
    source: CAST.synFloodVictim,
    lookFor: 'SPT=80 with ACK SYN or ACK RST to many random high ports of ours; nothing of ours went out',
  });
  const server = new Remote(CAST.synFloodVictim, 'linux', 9, rng);
  const start = at(0, 16, 5, 0.7);
  const ports = new Set<number>();
  while (ports.size < 50) ports.add(rng.int(1024, 65535));
  for (const dpt of ports) {
    const t = start + rng.int(0, 20 * MINUTE);
    if (rng.chance(0.25)) {
      const ip: Ip4 = { src: server.ip, dst: HOST_V4, len: 40, ttl: server.ttl(), id: 0, df: true };
      w.packet(t, fromWan(PREFIX.block), {
        ip,
        transport: { proto: 'TCP', spt: 80, dpt, window: 0, flags: ['ACK', 'RST'] },
      });
      continue;
    }
    // Linux resends an unanswered SYN-ACK after 1 s, 3 s, 7 s ...
    const copies = rng.int(1, 3);
    for (const offset of [0, 1, 3].slice(0, copies)) {
      const ip: Ip4 = { src: server.ip, dst: HOST_V4, len: 60, ttl: server.ttl(), id: 0, df: true };
      const transport = {
        proto: 'TCP' as const,
        spt: 80,
        dpt,
        window: 65160,
        flags: ['ACK', 'SYN'] as const,
      };
      w.packet(t + offset * SECOND + rng.int(0, 30_000), fromWan(PREFIX.block), { ip, transport });
    }
  }
}

/** An IPv6 ping to our host. */
function plantIpv6Ping(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: 'ipv6-ping',
    title: 'ICMPv6 echo requests to our IPv6 address',
    source: CAST.ipv6Pinger,
    lookFor: 'PROTO=ICMPv6 TYPE=128, SEQ 1-4 a second apart',
  });
  const pinger = new Remote(CAST.ipv6Pinger, 'linux', 10, rng);
  const id = rng.int(1, 65535);
  const flowLabel = rng.int(1, 0xfffff);
  for (let seq = 1; seq <= 4; seq++) {
    const ip = pinger.ipHeader(HOST_V6, 84, { flowLabel });
    const t = at(0, 10, 10, 10.1) + (seq - 1) * SECOND + rng.int(0, 3_000);
    w.packet(t, fromWan(PREFIX.block, { v6: true }), {
      ip,
      transport: { proto: 'ICMPv6', type: 128, code: 0, echo: [id, seq] },
    });
  }
}

/** Plant every ICMP and backscatter scenario. */
export function plantIcmp(plan: Plan, rng: Rng): void {
  plantWindowsTracert(plan, rng.fork('tracert'));
  plantDnsPortUnreachable(plan, rng.fork('port-unreachable'));
  plantFragNeeded(plan, rng.fork('frag-needed'));
  plantTimeExceeded(plan, rng.fork('time-exceeded'));
  plantSmurfBackscatter(plan, rng.fork('smurf'));
  plantSynAckBackscatter(plan, rng.fork('synack'));
  plantIpv6Ping(plan, rng.fork('ipv6-ping'));
}
