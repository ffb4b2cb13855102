// Planted scans: proxy hunt, SOCKS sweep, vertical SYN, Xmas and NULL scans, slow scan, UNIX traceroute, SSH limits.
import { CAST } from './cast.js';
import type { TcpFlag } from './kernel-line.js';
import { at, fromWan, HOST_V4, MINUTE, PREFIX, SECOND } from './network.js';
import type { Plan } from './plan.js';
import type { Rng } from './prng.js';
import { Remote } from './remote.js';

/** Ports an nmap-style vertical scan goes through first, then random ones fill it up. */
const POPULAR_PORTS = [
  21, 22, 23, 25, 53, 80, 81, 88, 106, 110, 111, 113, 119, 135, 139, 143, 144, 179, 199, 389, 427, 443, 444,
  445, 465, 513, 514, 515, 543, 544, 548, 554, 587, 631, 646, 873, 990, 993, 995, 1025, 1026, 1027, 1028,
  1029, 1110, 1433, 1720, 1723, 1755, 1900, 2000, 2001, 2049, 2121, 2717, 3000, 3128, 3306, 3389, 3986, 4899,
  5000, 5009, 5051, 5060, 5101, 5190, 5357, 5432, 5631, 5666, 5800, 5900, 6000, 6001, 6646, 7070, 8000, 8008,
  8009, 8080, 8081, 8443, 8888, 9100, 9999, 10000, 32768, 49152, 49153, 49154, 49155, 49156, 49157,
];

/** One source trying the usual proxy ports on our host. */
function plantProxyHunt(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: 'proxy-hunt',
    title: 'Open-proxy hunt (SOCKS 1080, Squid 3128, 8080, 8000, 8888)',
    source: CAST.proxyHunter,
    lookFor: 'one source, five proxy ports within seconds, each SYN retried once',
  });
  const hunter = new Remote(CAST.proxyHunter, 'linux', 17, rng);
  let t = at(0, 9, 41, 10.214);
  for (const port of [1080, 3128, 8080, 8000, 8888]) {
    for (const { offsetUs, packet } of hunter.synWithRetries(HOST_V4, port, 1))
      w.packet(t + offsetUs, fromWan(PREFIX.block), packet);
    t += rng.int(40_000, 400_000);
  }
}

/** A sweep of SOCKS port 1080 across 192.0.2.1-60 (the ISP routes that whole block to us). */
function plantSocksSweep(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: 'socks-sweep',
    title: 'Horizontal sweep of SOCKS 1080 over 192.0.2.1-192.0.2.60',
    source: CAST.socksSweeper,
    lookFor: 'one source, one port, 60 consecutive destination addresses in about a minute',
  });
  const sweeper = new Remote(CAST.socksSweeper, 'masscan', 13, rng);
  let t = at(1, 11, 2, 7.5);
  for (let last = 1; last <= 60; last++) {
    w.packet(t, fromWan(PREFIX.block), sweeper.tcp(`192.0.2.${last}`, 1080));
    t += rng.int(600_000, 1_300_000);
  }
}

/** nmap -sS: about 200 ports from one source in under a minute. */
function plantVerticalScan(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: 'vertical-syn-scan',
    title: 'Vertical SYN scan, ~200 ports in a minute (nmap -sS)',
    source: CAST.verticalScanner,
    lookFor: 'fixed source port, WINDOW=1024, LEN=44, no DF, TTL varying per probe',
  });
  const scanner = new Remote(CAST.verticalScanner, 'nmap', 14, rng);
  const ports = new Set(POPULAR_PORTS);
  while (ports.size < 200) ports.add(rng.int(1, 10_000));
  let t = at(1, 16, 20, 3.2);
  for (const port of rng.shuffled([...ports])) {
    w.packet(t, fromWan(PREFIX.block), scanner.tcp(HOST_V4, port));
    t += rng.int(120_000, 420_000);
  }
}

/** nmap -sX / -sN: ~30 ports with odd flag sets from one source each. */
function plantFlagScan(plan: Plan, rng: Rng, kind: 'xmas' | 'null'): void {
  const xmas = kind === 'xmas';
  const source = xmas ? CAST.xmasScanner : CAST.nullScanner;
  const w = plan.scenario({
    id: `${kind}-scan`,
    title: xmas ? 'Xmas scan, 30 ports, URG PSH FIN (nmap -sX)' : 'NULL scan, 30 ports, no flags (nmap -sN)',
    source,
    lookFor: xmas ? 'flags URG PSH FIN on every packet' : 'TCP packets with no flag at all',
  });
  const scanner = new Remote(source, 'nmap', xmas ? 11 : 16, rng);
  const flags: TcpFlag[] = xmas ? ['URG', 'PSH', 'FIN'] : [];
  const ports = rng.shuffled(POPULAR_PORTS).slice(0, 30);
  let t = xmas ? at(2, 1, 12, 44.1) : at(2, 1, 19, 2.6);
  for (const port of ports) {
    const window = rng.pick([1024, 2048, 3072, 4096]);
    w.packet(t, fromWan(PREFIX.block), scanner.tcp(HOST_V4, port, flags, { len: 40, window }));
    t += rng.int(30_000, 160_000);
  }
}

/** nmap -T0 style: one port every 5-10 minutes for six hours. */
function plantSlowScan(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: 'slow-scan',
    title: 'Slow scan, one port every 5-10 minutes for 6 hours',
    source: CAST.slowScanner,
    lookFor: 'same source and source port, new destination port each time, long even gaps',
  });
  const scanner = new Remote(CAST.slowScanner, 'nmap', 19, rng);
  const ports = rng.shuffled(POPULAR_PORTS);
  const end = at(1, 0, 0);
  let t = at(0, 18, 0, 31.7);
  for (let i = 0; t < end; i++) {
    w.packet(t, fromWan(PREFIX.block), scanner.tcp(HOST_V4, ports[i % ports.length]));
    t += rng.int(5 * MINUTE, 10 * MINUTE);
  }
}

/**
 * A UNIX traceroute to our host: UDP probes to 33434 and up, three per TTL. Probes with a TTL below the
 * hop count die on the way; the rest reach us with TTL 1, 2, 3 ... and we drop them, so it runs to TTL 30.
 */
function plantUnixTraceroute(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: 'unix-traceroute',
    title: 'UNIX traceroute to our host (UDP 33434+, TTL rising from 1)',
    source: CAST.unixTraceroute,
    lookFor: 'UDP to 33434-33523, destination port +1 per probe, arriving TTL 1,1,1,2,2,2 ...',
  });
  const hops = 12;
  const tracer = new Remote(CAST.unixTraceroute, 'linux', hops, rng);
  const sport = 0x8000 | rng.int(0x100, 0x7fff);
  let id = rng.int(1000, 60000);
  let t = at(0, 7, 55, 12.31);
  for (let ttl = hops + 1; ttl <= 30; ttl++) {
    for (let probe = 0; probe < 3; probe++) {
      const dpt = 33434 + (ttl - 1) * 3 + probe;
      id = (id + 1) % 65536;
      const ip = { src: tracer.ip, dst: HOST_V4, len: 60, ttl: ttl - hops, id };
      w.packet(t, fromWan(PREFIX.block), { ip, transport: { proto: 'UDP', spt: sport, dpt, len: 40 } });
      t += 5 * SECOND + rng.int(1_000, 9_000);
    }
  }
}

/** ufw's `limit` on SSH: an admin allowed, a password-guessing bot cut off after 6 tries in 30 s. */
function plantSsh(plan: Plan, rng: Rng): void {
  const admin = plan.scenario({
    id: 'ssh-admin',
    title: 'Admin SSH logins allowed from the office network',
    source: CAST.sshAdmin,
    lookFor: '[UFW ALLOW] to 22, a few per day',
  });
  const mac = new Remote(CAST.sshAdmin, 'macos', 6, rng);
  const logins = [
    at(0, 8, 47, 2.1),
    at(0, 17, 5, 40.3),
    at(1, 8, 31, 9.9),
    at(1, 12, 58, 1.4),
    at(2, 9, 3, 27),
  ];
  for (const t of logins) admin.packet(t, fromWan(PREFIX.allow), mac.tcp(HOST_V4, 22));

  const w = plan.scenario({
    id: 'ssh-brute-force',
    title: 'SSH password guessing, stopped by ufw limit',
    source: CAST.sshBruteForce,
    lookFor: '[UFW ALLOW] x5 then [UFW LIMIT BLOCK] once 6 attempts fall within 30 s',
  });
  const bot = new Remote(CAST.sshBruteForce, 'linux', 8, rng);
  const hits: number[] = [];
  let t = at(2, 2, 7, 0.55);
  for (let attempt = 0; attempt < 42; attempt++) {
    hits.push(t);
    const recent = hits.filter((h) => h > t - 30 * SECOND).length;
    const prefix = recent >= 6 ? PREFIX.limitBlock : PREFIX.allow;
    w.packet(t, fromWan(prefix), bot.tcp(HOST_V4, 22));
    t += rng.int(1_200_000, 2_600_000);
  }
}

/** Plant every scan scenario. */
export function plantScans(plan: Plan, rng: Rng): void {
  plantProxyHunt(plan, rng.fork('proxy-hunt'));
  plantSocksSweep(plan, rng.fork('socks-sweep'));
  plantVerticalScan(plan, rng.fork('vertical'));
  plantFlagScan(plan, rng.fork('xmas'), 'xmas');
  plantFlagScan(plan, rng.fork('null'), 'null');
  plantSlowScan(plan, rng.fork('slow'));
  plantUnixTraceroute(plan, rng.fork('traceroute'));
  plantSsh(plan, rng.fork('ssh'));
}
