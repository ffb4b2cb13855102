// Planted traffic that answers something earlier: late DNS/NTP replies, late returns to NAT ports, PowWow peers of the address's previous owner.
import { CAST } from './cast.js';
import type { Ip4, TcpFlag } from './kernel-line.js';
import { at, fromWan, HOST_V4, HOUR, MINUTE, PREFIX, SECOND, START_US } from './network.js';
import type { Plan } from './plan.js';
import type { Rng } from './prng.js';
import { Remote } from './remote.js';

/** DNS answers (source port 53) and NTP answers (123) that came back after the state entry expired. */
function plantLateReplies(plan: Plan, rng: Rng): void {
  const dns = plan.scenario({
    id: 'dns-replies',
    title: 'Late DNS replies from our resolver (source port 53)',
    source: CAST.dnsResolver,
    lookFor: 'UDP SPT=53 to our high ports: answers, not probes',
  });
  const resolver = new Remote(CAST.dnsResolver, 'linux', 3, rng);
  for (let i = 0; i < 12; i++) {
    const t = START_US + rng.int(1, 71) * HOUR + rng.int(0, HOUR - 1);
    const dpt = rng.int(32768, 60999);
    const copies = rng.chance(0.4) ? 2 : 1;
    for (let c = 0; c < copies; c++)
      dns.packet(
        t + c * rng.int(2_000, 900_000),
        fromWan(PREFIX.block),
        resolver.udp(HOST_V4, dpt, rng.int(40, 300), { sport: 53 }),
      );
  }

  const ntp = plan.scenario({
    id: 'ntp-replies',
    title: 'Late NTP replies (source port 123)',
    source: CAST.ntpServer,
    lookFor: 'UDP 123 -> 123, 48-byte payload',
  });
  const server = new Remote(CAST.ntpServer, 'linux', 9, rng);
  for (let i = 0; i < 10; i++) {
    const t = START_US + rng.int(1, 71) * HOUR + rng.int(0, HOUR - 1);
    ntp.packet(t, fromWan(PREFIX.finalReject), server.udp(HOST_V4, 123, 48, { sport: 123 }));
  }
}

/** Web servers' last packets (FIN, RST, data) for LAN connections whose masquerade entry (ports 61000+) was gone. */
function plantNatReturns(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: 'nat-late-returns',
    title: 'Late return traffic to our masquerade ports (61000-65095)',
    source: CAST.natWebServers.join(', '),
    lookFor:
      'SPT 80/443 with ACK FIN / ACK RST / ACK PSH to DPT 61000-65095: ends of LAN connections, not probes',
  });
  const servers = CAST.natWebServers.map((ip, i) => new Remote(ip, 'linux', 8 + i * 3, rng));
  const endings: [TcpFlag[], number][] = [
    [['ACK', 'FIN'], 4],
    [['ACK', 'RST'], 2],
    [['ACK', 'PSH'], 2],
    [['ACK'], 1],
  ];
  for (let i = 0; i < 14; i++) {
    const server = rng.pick(servers);
    const t = START_US + rng.int(1, 71) * HOUR + rng.int(0, HOUR - 1);
    const sport = rng.pick([443, 443, 80]);
    const dpt = rng.int(61000, 65095);
    const flags = rng.weighted(endings);
    const copies = flags.includes('FIN') || flags.includes('PSH') ? rng.int(1, 3) : 1;
    let offset = 0;
    for (let c = 0; c < copies; c++) {
      const rst = flags.includes('RST');
      const len = flags.includes('PSH') ? 52 + rng.int(30, 1400) : 52;
      const ip: Ip4 = {
        src: server.ip,
        dst: HOST_V4,
        len: rst ? 40 : len,
        ttl: server.ttl(),
        id: rst ? 0 : server.nextId(),
        df: true,
      };
      w.packet(t + offset, fromWan(PREFIX.block), {
        ip,
        transport: { proto: 'TCP', spt: sport, dpt, window: rst ? 0 : 501, flags },
      });
      offset += 200_000 * 2 ** c + rng.int(0, 20_000);
    }
  }
}

/** PowWow peers of whoever had this address before: SYNs to 13223 on a steady beat for two hours. */
function plantPowwow(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: 'powwow',
    title: 'PowWow chat retries to 13223 (inherited address)',
    source: CAST.powwow.join(', '),
    lookFor: 'each source retries 13223 at its own steady 60-90 s interval, for up to two hours',
  });
  const plans: [string, number, number, number][] = [
    [CAST.powwow[0], at(1, 19, 0, 4.1), 120, 62],
    [CAST.powwow[1], at(1, 19, 21, 40.7), 99, 75],
    [CAST.powwow[2], at(1, 19, 3, 12.5), 60, 88],
  ];
  for (const [ip, start, minutes, interval] of plans) {
    const peer = new Remote(ip, 'winxp', rng.int(10, 18), rng);
    const window = rng.pick([8192, 8760]);
    let sport = rng.int(1025, 1400);
    for (let t = start; t < start + minutes * MINUTE; t += interval * SECOND + rng.int(-700_000, 700_000)) {
      sport = sport >= 5000 ? 1025 : sport + 1;
      w.packet(t, fromWan(PREFIX.block), peer.tcp(HOST_V4, 13223, ['SYN'], { sport, window }));
    }
  }
}

/** Plant every reply and leftover scenario. */
export function plantLeftovers(plan: Plan, rng: Rng): void {
  plantLateReplies(plan, rng.fork('late-replies'));
  plantNatReturns(plan, rng.fork('nat'));
  plantPowwow(plan, rng.fork('powwow'));
}
