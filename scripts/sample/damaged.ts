// Planted bad lines: a line cut by log rotation, an impossible port, and kernel messages that are not firewall logs.
import { CAST } from './cast.js';
import { at, fromWan, HOST_V4, PREFIX } from './network.js';
import type { Plan } from './plan.js';
import type { Rng } from './prng.js';
import { Remote } from './remote.js';

/** Id of the scenario whose lines must not parse into events. */
export const DAMAGED_SCENARIO = 'damaged';

/** Plant the damaged and foreign lines. */
export function plantDamaged(plan: Plan, rng: Rng): void {
  const w = plan.scenario({
    id: DAMAGED_SCENARIO,
    title: 'Damaged and non-firewall lines (must be reported, not parsed)',
    source: 'log rotation, a corrupted field, the NIC driver, AppArmor',
    lookFor: 'a line cut after ID=, SPT=70000, e1000e link down/up, an audit: line',
  });
  const [cutSource, badPortSource] = CAST.damagedSources;

  // logrotate's copytruncate caught rsyslog mid-write: the line stops inside the IP header.
  const cut = new Remote(cutSource, 'linux', 15, rng);
  const cutAfterId = (line: string) => line.slice(0, line.indexOf(' ID=') + 6);
  w.packet(at(1, 0, 0, 0.734), fromWan(PREFIX.block), cut.tcp(HOST_V4, 3389), cutAfterId);

  // A flipped bit turned the source port into a number no port can have.
  const flipped = new Remote(badPortSource, 'windows', 12, rng);
  w.packet(at(0, 13, 37, 21.53), fromWan(PREFIX.block), flipped.tcp(HOST_V4, 445, ['SYN'], { sport: 70000 }));

  // The WAN cable was re-seated: the e1000e driver logs it through the same kernel facility.
  w.raw(at(1, 4, 2, 8.104), 'e1000e 0000:00:1f.6 eth0: NIC Link is Down');
  w.raw(
    at(1, 4, 2, 11.377),
    'e1000e 0000:00:1f.6 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx',
  );

  // AppArmor's kernel audit message also lands in kern.log.
  const auditAt = at(2, 6, 25, 14.218);
  const epoch = `${Math.floor(auditAt / 1_000_000)}.${Math.floor((auditAt % 1_000_000) / 1000)
    .toString()
    .padStart(3, '0')}`;
  w.raw(
    auditAt,
    `audit: type=1400 audit(${epoch}:212): apparmor="DENIED" operation="open" class="file" ` +
      'profile="/usr/sbin/chronyd" name="/etc/chrony/conf.d/" pid=811 comm="chronyd" ' +
      'requested_mask="r" denied_mask="r" fsuid=0 ouid=0',
  );
}
