// Ordinary background drops: one-shot probes from hundreds of Internet sources spread over the three days.
import { castAddresses, inOfficeNet } from './cast.js';
import { END_US, fromWan, HOST_V4, HOST_V6, HOUR, MINUTE, PREFIX, START_US } from './network.js';
import type { Plan, ScenarioWriter } from './plan.js';
import type { Rng } from './prng.js';
import type { OsName } from './remote.js';
import { Remote } from './remote.js';

/** TCP ports background scanners try, with weights. */
// biome-ignore format: a weight table reads better in rows
const TCP_TARGETS: [number, number][] = [
  [22, 14], [23, 10], [80, 8], [443, 6], [445, 9], [3389, 8], [8080, 5], [1433, 3], [3306, 3], [5900, 3],
  [25, 3], [21, 2], [110, 1], [135, 2], [139, 2], [8443, 2], [2323, 2], [5555, 2], [6379, 2], [9200, 1],
  [81, 2], [8081, 1], [5432, 2], [7547, 2], [2222, 2], [10000, 1], [6443, 1], [9000, 1], [8291, 1], [502, 1],
];
/** What Mirai-style bots go for. */
// biome-ignore format: a weight table reads better in rows
const BOT_TARGETS: [number, number][] = [
  [23, 10], [2323, 4], [22, 3], [80, 3], [8080, 2], [5555, 2], [37215, 1], [52869, 1], [7547, 2], [81, 1],
];
/** UDP ports background scanners try: [port, payload bytes, weight]. */
// biome-ignore format: a weight table reads better in rows
const UDP_TARGETS: [number, number, number][] = [
  [5060, 420, 4], [161, 40, 3], [1900, 94, 3], [123, 48, 2], [53, 33, 3], [11211, 15, 1], [19, 1, 1],
  [389, 52, 1], [3702, 590, 1], [10001, 4, 1], [1434, 1, 1], [137, 50, 2], [500, 408, 1],
];
/** How many favourite ports a background sender has, with weights. */
// biome-ignore format: a weight table reads better in rows
const FAVOURITE_PORT_COUNT = [[1, 70], [2, 30]] as const;
/** How many times a background sender comes back over the three days, with weights. */
// biome-ignore format: a weight table reads better in rows
const VISITS_PER_SOURCE = [[1, 25], [2, 25], [3, 20], [4, 15], [5, 10], [6, 5]] as const;
/** How many SYN retransmissions an ordinary stack gets to send before the background sender gives up. */
// biome-ignore format: a weight table reads better in rows
const RETRY_MIX = [[0, 45], [1, 30], [2, 25]] as const;
/** Ports the admin's own chain drops (Windows file sharing, RDP, SQL Server). */
const DROP_INPUT_PORTS = new Set([135, 137, 139, 445, 1433, 1434, 3389]);
/** UDP ports the admin rejects with port-unreachable (discovery and amplification services). */
const FINAL_REJECT_PORTS = new Set([19, 53, 123, 161, 389, 1900, 3702, 5060, 10001, 11211]);

const SENDER_MIX: [OsName, number][] = [
  ['mirai', 22],
  ['masscan', 15],
  ['zmap', 8],
  ['linux', 25],
  ['windows', 12],
  ['winxp', 6],
  ['macos', 4],
];
const V6_SENDER_MIX: [OsName, number][] = [
  ['linux', 5],
  ['windows', 2],
  ['zmap', 2],
];

/** Which log prefix the ruleset writes for a blocked packet to `port`. */
function prefixFor(port: number, udp: boolean, v6: boolean): string {
  if (v6) return PREFIX.block;
  if (DROP_INPUT_PORTS.has(port)) return PREFIX.dropInput;
  if (udp && FINAL_REJECT_PORTS.has(port)) return PREFIX.finalReject;
  return PREFIX.block;
}

/** Event times for one source, at least three hours apart so no source looks like a scan. */
function spreadTimes(rng: Rng, count: number): number[] {
  const times: number[] = [];
  for (let attempt = 0; times.length < count && attempt < 50; attempt++) {
    const t = START_US + 5 * MINUTE + rng.int(0, END_US - START_US - 10 * MINUTE);
    if (times.every((other) => Math.abs(other - t) >= 3 * HOUR)) times.push(t);
  }
  return times;
}

/** What one background sender goes for: one or two favourite services, hit again each time it comes back. */
interface Habit {
  sender: Remote;
  udp: [port: number, payload: number][];
  tcp: number[];
}

/** Pick a sender's favourite ports (UDP only for ordinary stacks; raw scanners and bots stick to TCP). */
function habitOf(rng: Rng, sender: Remote): Habit {
  const stack =
    sender.os === 'linux' || sender.os === 'windows' || sender.os === 'winxp' || sender.os === 'macos';
  const habit: Habit = { sender, udp: [], tcp: [] };
  const favourites = rng.weighted(FAVOURITE_PORT_COUNT);
  for (let i = 0; i < favourites; i++) {
    if (stack && !sender.isV6 && rng.chance(0.18)) {
      const udpChoices = UDP_TARGETS.map(
        ([p, len, weight]) => [[p, len] as [number, number], weight] as const,
      );
      habit.udp.push(rng.weighted(udpChoices));
    } else habit.tcp.push(rng.weighted(sender.os === 'mirai' ? BOT_TARGETS : TCP_TARGETS));
  }
  return habit;
}

/** One background event: a SYN (maybe retried) or a UDP probe to one of the sender's favourite ports. */
function probe(w: ScenarioWriter, rng: Rng, habit: Habit, t: number): void {
  const { sender } = habit;
  const v6 = sender.isV6;
  const dst = v6 ? HOST_V6 : HOST_V4;
  const pickUdp = habit.udp.length > 0 && (habit.tcp.length === 0 || rng.chance(0.5));
  if (pickUdp) {
    const [port, payload] = rng.pick(habit.udp);
    const sport = port === 5060 && rng.chance(0.5) ? 5060 : undefined;
    w.packet(t, fromWan(prefixFor(port, true, v6), { v6 }), sender.udp(dst, port, payload, { sport }));
    return;
  }
  const port = rng.pick(habit.tcp);
  const retries = sender.profile.synRetries.length > 0 ? rng.weighted(RETRY_MIX) : 0;
  for (const { offsetUs, packet } of sender.synWithRetries(dst, port, retries))
    w.packet(t + offsetUs, fromWan(prefixFor(port, false, v6), { v6 }), packet);
}

/** All outside IPv4 documentation addresses no planted scenario uses. */
function backgroundAddresses(): string[] {
  const taken = castAddresses();
  const out: string[] = [];
  for (const net of ['198.51.100', '203.0.113'])
    for (let last = 1; last <= 254; last++) {
      const ip = `${net}.${last}`;
      if (!taken.has(ip) && !inOfficeNet(ip)) out.push(ip);
    }
  return out;
}

/** Plant the background: every free IPv4 documentation address plus a few dozen IPv6 ones. */
export function plantBackground(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: 'background',
    title: 'Ordinary background drops (one-shot SYNs and UDP probes)',
    source: 'about 400 IPv4 and 60 IPv6 documentation addresses',
    lookFor:
      'each source comes back 1-6 times, hours apart, to the same one or two common ports: noise, not a scan',
  });
  for (const ip of backgroundAddresses()) {
    const habit = habitOf(rng, new Remote(ip, rng.weighted(SENDER_MIX), rng.int(6, 24), rng));
    for (const t of spreadTimes(rng, rng.weighted(VISITS_PER_SOURCE))) probe(w, rng, habit, t);
  }
  for (let i = 0; i < 60; i++) {
    const hex = () => rng.int(1, 0xffff).toString(16);
    // Skip 2001:db8:10::/48, our own prefix.
    const site = rng.int(0x11, 0xffff).toString(16);
    const ip = `2001:db8:${site}:${hex()}::${hex()}`;
    const habit = habitOf(rng, new Remote(ip, rng.weighted(V6_SENDER_MIX), rng.int(8, 22), rng));
    for (const t of spreadTimes(rng, rng.int(1, 3))) probe(w, rng, habit, t);
  }
}
