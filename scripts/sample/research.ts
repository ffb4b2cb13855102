// Planted research scanners at the very end of the sample (so no earlier line moves): a Censys scan from its
// published prefix (162.142.125.0/24, AS398324) and Shadowserver UDP survey probes (AS22168). These are the
// sample's only real public addresses: the report shows their owners, the rest are documentation ranges.
import { at, fromWan, HOST_V4, PREFIX } from './network.js';
import type { Plan } from './plan.js';
import type { Rng } from './prng.js';
import { Remote } from './remote.js';

/** Censys's scanner in the sample: inside the prefix Censys publishes on its opt-out page. */
export const CENSYS_SCANNER = '162.142.125.214';
/** A Shadowserver survey host: inside a range the ASN data set gives AS22168 (The Shadowserver Foundation). */
export const SHADOWSERVER_SCANNER = '45.143.160.27';

/** Censys probes 16 common ports one packet each; Shadowserver asks SNMP, NTP and SSDP once each. */
export function plantResearchScanners(plan: Plan, rng: Rng): void {
  const censys = plan.scenario({
    id: 'research-scanners',
    title: 'Research scanners: Censys (16 ports) and Shadowserver (UDP survey)',
    source: `${CENSYS_SCANNER}, ${SHADOWSERVER_SCANNER}`,
    lookFor: 'owners AS398324 Censys and AS22168 Shadowserver; the scan is labelled, one step lower',
  });
  const scanner = new Remote(CENSYS_SCANNER, 'nmap', 14, rng);
  let t = at(2, 23, 54, 0.4);
  const ports = [21, 22, 23, 25, 80, 110, 143, 443, 445, 993, 1433, 3306, 3389, 5432, 5900, 8080];
  for (const port of rng.shuffled(ports)) {
    censys.packet(t, fromWan(PREFIX.block), scanner.tcp(HOST_V4, port));
    t += rng.int(2_000_000, 9_000_000);
  }
  const survey = new Remote(SHADOWSERVER_SCANNER, 'linux', 16, rng);
  let u = at(2, 23, 57, 30.2);
  for (const [port, payload] of [
    [161, 40],
    [123, 48],
    [1900, 94],
  ] as const) {
    censys.packet(u, fromWan(PREFIX.block), survey.udp(HOST_V4, port, payload));
    u += rng.int(20_000_000, 40_000_000);
  }
}
