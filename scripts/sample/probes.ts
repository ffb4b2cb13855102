// Planted one-off probes: trojans (Sub-7, Back Orifice), backdoors and RPC, pcAnywhere, odd source ports, spoofed sources.
import { CAST, NEIGHBOUR_MAC } from './cast.js';
import type { Hook } from './kernel-line.js';
import { at, BROADCAST_MAC, fromWan, HOST_V4, HOST_V6, PREFIX, SECOND } from './network.js';
import type { Plan, ScenarioWriter } from './plan.js';
import type { Rng } from './prng.js';
import { Remote } from './remote.js';

/** A SYN and its retransmissions from `remote` to our IPv4 (or IPv6) address. */
function synTries(
  w: ScenarioWriter,
  hook: Hook,
  remote: Remote,
  t: number,
  dpt: number,
  retries: number,
): void {
  const dst = remote.isV6 ? HOST_V6 : HOST_V4;
  for (const { offsetUs, packet } of remote.synWithRetries(dst, dpt, retries))
    w.packet(t + offsetUs, hook, packet);
}

function plantSub7(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: 'sub7',
    title: 'Sub-7 trojan probes (27374, 1243, 6776)',
    source: CAST.sub7.join(', '),
    lookFor: 'SYNs to 27374, 1243 and 6776 from old Windows stacks',
  });
  const [a, b, c] = CAST.sub7;
  const first = new Remote(a, 'winxp', 15, rng);
  synTries(w, fromWan(PREFIX.block), first, at(0, 2, 13, 5.1), 27374, 2);
  synTries(w, fromWan(PREFIX.block), first, at(0, 2, 13, 27.9), 1243, 2);
  const second = new Remote(b, 'windows', 12, rng);
  synTries(w, fromWan(PREFIX.block), second, at(0, 14, 40, 33.4), 27374, 1);
  synTries(w, fromWan(PREFIX.block), second, at(0, 14, 40, 34.0), 1243, 1);
  synTries(w, fromWan(PREFIX.block), second, at(0, 14, 40, 34.6), 6776, 1);
  const third = new Remote(c, 'winxp', 20, rng);
  synTries(w, fromWan(PREFIX.block), third, at(2, 5, 5, 2.2), 6776, 2);
  synTries(w, fromWan(PREFIX.block), third, at(2, 5, 6, 40.8), 27374, 2);
}

function plantBackOrifice(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: 'back-orifice',
    title: 'Back Orifice probes (31337/udp pings, 31337/tcp)',
    source: `${CAST.backOrificeUdp} (udp), ${CAST.backOrificeTcp} (tcp)`,
    lookFor: 'UDP to 31337 with a 19-byte payload; TCP SYN to 31337',
  });
  const udp = new Remote(CAST.backOrificeUdp, 'winxp', 18, rng);
  const sport = udp.sourcePort();
  for (const t of [
    at(0, 21, 17, 40.2),
    at(0, 21, 17, 41.3),
    at(0, 21, 17, 42.4),
    at(1, 21, 2, 3.9),
    at(1, 21, 2, 5),
  ])
    w.packet(t, fromWan(PREFIX.block), udp.udp(HOST_V4, 31337, 19, { sport, df: false }));
  synTries(
    w,
    fromWan(PREFIX.block),
    new Remote(CAST.backOrificeTcp, 'linux', 10, rng),
    at(1, 3, 33, 20.6),
    31337,
    2,
  );
}

function plantBackdoorsAndRpc(plan: Plan, rng: Rng): void {
  const ingres = plan.scenario({
    id: 'ingreslock',
    title: 'ingreslock backdoor check (1524)',
    source: CAST.ingreslock,
    lookFor: 'SYN to 1524, twice two days apart',
  });
  const prober = new Remote(CAST.ingreslock, 'linux', 13, rng);
  synTries(ingres, fromWan(PREFIX.block), prober, at(0, 11, 11, 9.4), 1524, 2);
  synTries(ingres, fromWan(PREFIX.block), prober, at(2, 3, 40, 0.9), 1524, 1);

  const nfs = plan.scenario({
    id: 'nfs',
    title: 'NFS probe (2049 tcp and udp)',
    source: CAST.nfs,
    lookFor: 'TCP and UDP to 2049; the UDP call comes from a reserved port below 1024',
  });
  const sun = new Remote(CAST.nfs, 'solaris', 16, rng);
  synTries(nfs, fromWan(PREFIX.block), sun, at(1, 5, 20, 30.3), 2049, 2);
  nfs.packet(at(1, 5, 20, 45.8), fromWan(PREFIX.block), sun.udp(HOST_V4, 2049, 40, { sport: 812 }));

  const rpc = plan.scenario({
    id: 'rpc-32771',
    title: 'Solaris RPC portmapper probe (32771)',
    source: CAST.rpc,
    lookFor: 'UDP then TCP to 32771',
  });
  const rpcProber = new Remote(CAST.rpc, 'linux', 11, rng);
  rpc.packet(at(2, 13, 5, 17.1), fromWan(PREFIX.block), rpcProber.udp(HOST_V4, 32771, 56));
  synTries(rpc, fromWan(PREFIX.block), rpcProber, at(2, 13, 5, 19.7), 32771, 1);
}

function plantPcAnywhere(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: 'pcanywhere',
    title: 'pcAnywhere probe (5632/udp with UDP 22, then 5631/tcp)',
    source: CAST.pcAnywhere,
    lookFor: 'tiny UDP datagrams to 5632 and to 22 (not SSH), then a SYN to 5631',
  });
  const pc = new Remote(CAST.pcAnywhere, 'windows', 9, rng);
  let t = at(1, 14, 14, 14.1);
  for (let round = 0; round < 2; round++) {
    w.packet(t, fromWan(PREFIX.block), pc.udp(HOST_V4, 5632, 2, { df: false }));
    w.packet(t + 4_100, fromWan(PREFIX.block), pc.udp(HOST_V4, 22, 2, { df: false }));
    t += 3 * SECOND + rng.int(0, 20_000);
  }
  synTries(w, fromWan(PREFIX.block), pc, t + 2 * SECOND, 5631, 0);
}

function plantOddSourcePorts(plan: Plan, rng: Rng): void {
  const dns = plan.scenario({
    id: 'dns-source-port',
    title: 'SYN from source port 53 to 8080 (firewall evasion)',
    source: CAST.dnsSourcePort,
    lookFor: 'TCP SPT=53 with SYN: no DNS server opens connections like that',
  });
  const evader = new Remote(CAST.dnsSourcePort, 'nmap', 12, rng);
  for (const t of [at(0, 23, 23, 5.5), at(0, 23, 23, 6.6)])
    dns.packet(t, fromWan(PREFIX.block), evader.tcp(HOST_V4, 8080, ['SYN'], { sport: 53 }));

  const sscan = plan.scenario({
    id: 'sscan',
    title: 'sscan: SYNs from source ports 1-5, including 1114',
    source: CAST.sscan,
    lookFor: 'source ports 1-5 and destination 1114 (mSQL)',
  });
  const tool = new Remote(CAST.sscan, 'linux', 14, rng);
  let t = at(2, 20, 20, 1.03);
  const targets = [1114, 21, 23, 25, 53, 80, 110, 111, 143, 1114];
  targets.forEach((dpt, i) => {
    sscan.packet(
      t,
      fromWan(PREFIX.block),
      tool.tcp(HOST_V4, dpt, ['SYN'], { sport: 1 + (i % 5), len: 40, window: 512, df: false }),
    );
    t += rng.int(2_000, 90_000);
  });
}

function plantSpoofedAndZero(plan: Plan, rng: Rng): void {
  const spoof = plan.scenario({
    id: 'private-source-on-wan',
    title: 'Private-range sources arriving from the Internet (spoofing or a leak)',
    source: CAST.privateSources.join(', '),
    lookFor: 'SRC in 10/8 or 172.16/12 with IN=eth0',
  });
  const [ten, oneSevenTwo] = CAST.privateSources;
  synTries(spoof, fromWan(PREFIX.dropInput), new Remote(ten, 'windows', 9, rng), at(1, 7, 7, 7.7), 445, 1);
  const leaker = new Remote(oneSevenTwo, 'winxp', 7, rng);
  for (const t of [at(2, 16, 16, 16.2), at(2, 16, 16, 17.7)])
    spoof.packet(t, fromWan(PREFIX.dropInput), leaker.udp(HOST_V4, 137, 50, { sport: 137, df: false }));

  const zero = plan.scenario({
    id: 'zero-address-and-port',
    title: 'Packets to 0.0.0.0 and to port 0',
    source: `${CAST.zeroProbe}, ${CAST.portZero}`,
    lookFor: 'ACK to 0.0.0.0:0 as an Ethernet broadcast (OS probe); SYN and UDP to port 0',
  });
  const neighbour = new Remote(CAST.zeroProbe, 'linux', 0, rng);
  for (const t of [at(0, 5, 5, 5.05), at(0, 5, 7, 11.4)]) {
    const hook = fromWan(PREFIX.block, { dstMac: BROADCAST_MAC, srcMac: NEIGHBOUR_MAC });
    zero.packet(t, hook, neighbour.tcp('0.0.0.0', 0, ['ACK'], { len: 40, window: 1024, df: false }));
  }
  const scanner = new Remote(CAST.portZero, 'masscan', 15, rng);
  zero.packet(at(2, 11, 11, 11.1), fromWan(PREFIX.block), scanner.tcp(HOST_V4, 0));
  zero.packet(
    at(2, 11, 11, 12.6),
    fromWan(PREFIX.block),
    scanner.udp(HOST_V4, 0, 0, { sport: scanner.scanPort }),
  );
}

function plantIpv6Ssh(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: 'ipv6-ssh',
    title: 'SSH probe over IPv6',
    source: CAST.ipv6SshProber,
    lookFor: 'IPv6 SYN to 22 (the IPv4 SSH allow rule does not cover IPv6)',
  });
  const prober = new Remote(CAST.ipv6SshProber, 'linux', 13, rng);
  synTries(w, fromWan(PREFIX.block, { v6: true }), prober, at(1, 6, 42, 1.3), 22, 3);
  synTries(w, fromWan(PREFIX.block, { v6: true }), prober, at(1, 6, 44, 10.2), 22, 3);
}

/** Plant every one-off probe scenario. */
export function plantProbes(plan: Plan, rng: Rng): void {
  plantSub7(plan, rng.fork('sub7'));
  plantBackOrifice(plan, rng.fork('bo'));
  plantBackdoorsAndRpc(plan, rng.fork('backdoors'));
  plantPcAnywhere(plan, rng.fork('pcanywhere'));
  plantOddSourcePorts(plan, rng.fork('odd-sport'));
  plantSpoofedAndZero(plan, rng.fork('spoof'));
  plantIpv6Ssh(plan, rng.fork('ipv6-ssh'));
}
