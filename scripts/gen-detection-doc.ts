// Writes docs/detection-config.md: the prose below, and per detector the tunables as their specs declare
// them (name, default, doc). `npm run docs:detection`; test/detection-doc.test.ts checks it is fresh.
import { writeFileSync } from 'node:fs';
import { detectorTunables } from '../src/detect/config.js';
import {
  DEFAULT_MAX_FINDINGS_PER_DETECTOR,
  DEFAULT_MAX_GROUPS_PER_DETECTOR,
  DEFAULT_MAX_VALUES_PER_DETECTOR,
} from '../src/detect/engine.js';
import { EVIDENCE_HEAD, MAX_VALUES_PER_GROUP } from '../src/detect/group.js';
import { CONNECTION_MEMORY_MS, MAX_OPEN_CONNECTIONS, SAME_PACKET_MS } from '../src/detect/repeat-records.js';
import { DETECTOR_IDS } from '../src/detect/types.js';

/** Where the generated page lives. */
export const DETECTION_DOC_PATH = 'docs/detection-config.md';

const HEAD = `# Detection config (\`fwlens.yaml\`)

The detection engine runs with built-in defaults. A YAML file changes what counts as yours, what to trust,
what to ignore, and any detector threshold. Every key is optional; an unknown key, detector or setting
stops the run with one error naming it (for example
\`fwlens.yaml: invalid detection config at detectors.vertical-scan.minPort: unknown setting (known: enabled, windowSeconds, ...)\`).
A complete example is in [\`examples/fwlens.yaml\`](../examples/fwlens.yaml).

Library use: \`loadDetectionConfig(path)\` returns the validated config for \`createDetectionEngine({ kb, config })\`.

## Top-level keys

| key | type | default | meaning |
|---|---|---|---|
| \`trustedNetworks\` | list of CIDRs/addresses | \`[]\` | Findings whose sources all lie here are marked \`suppressed: "trusted"\`. |
| \`trustedAction\` | \`mark\` or \`drop\` | \`mark\` | \`drop\` removes such findings instead of marking them. |
| \`ownAddresses\` | list of addresses | \`[]\` | Your own single addresses. A packet that arrives through an interface claiming one of them as its source is reported as spoofing. |
| \`ownNetworks\` | list of CIDRs | \`[]\` | Your networks. When set (together with \`ownAddresses\`), "inside" and "outside" are decided by address rather than by the log's \`IN=\`/\`OUT=\` interfaces. Needed for outbound beacons on logs that only show forwarded traffic. Without it, a packet the log calls outbound leaves the inside, and one it calls forwarded or does not place (most session logs: SRX, SonicWall, Sophos, WatchGuard ...) leaves it when it goes from private or shared space to a public address; everything else comes from outside (\`leavesInsideByAddress\` in src/net/address-class.ts, the one rule the detectors and the explanations use). |
| \`ignore.ports\` | list of ports or \`"from-to"\` | \`[]\` | Destination ports dropped before detection. |
| \`ignore.sources\` | list of CIDRs/addresses | \`[]\` | Source addresses dropped before detection. |
| \`allowList\` | list of addresses, CIDRs or ASNs (\`AS64500\`) | \`[]\` | Trusted partners: a finding whose sources are all listed here (or in \`--allow-list\` files) never rises above 1 (info), with the reason shown. |
| \`denyList\` | list of addresses, CIDRs or ASNs | \`[]\` | Known bad actors: a finding with a listed source rises by 1, with the reason shown (also \`--deny-list\` files). An address or CIDR entry beats an ASN entry; between equals deny beats allow. |
| \`researchScanners\` | \`label\`, \`noise\` or \`block\` | \`label\` | Findings whose sources are all known research scanners (data/scanners.yaml: address blocks, AS numbers, organisations, reverse names): \`label\` lowers them by 1, \`noise\` drops them to 1 (info), \`block\` raises them by 1. |
| \`detectors.<id>.enabled\` | boolean | \`true\` | Switch one detector off. |
| \`detectors.<id>.<setting>\` | number | see below | Override one threshold of that detector. |
| \`maxGroupsPerDetector\` | integer ≥ 100 | ${DEFAULT_MAX_GROUPS_PER_DETECTOR} | Memory bound: live groups per detector spec (shared by the 8 source shards; the source gate holds half as many first packets); the oldest group is closed (and judged) first. |
| \`maxValuesPerDetector\` | integer ≥ 1000 | ${DEFAULT_MAX_VALUES_PER_DETECTOR} | Memory bound: values (ports, addresses, distinct keys) one detector spec's live groups remember beyond their first eight per counter, shared by the 8 source shards like the group bound. A group remembers up to 8192 values per counter, so the group bound alone let 10,000 wide groups (a spoofed sweep, thousands of ports each) take gigabytes; past this bound the oldest groups are closed (and judged) first. Reports say when either bound closed groups before their time (per detector, \`detectionClosedEarly\` in \`--json\`, a metric line in \`--ndjson\`), and \`fwlens watch\` counts them in its status (\`detectionClosedEarly\`). At about 40 bytes a value the default is ~8 MB per spec. |
| \`maxFindingsPerDetector\` | integer ≥ 10 | ${DEFAULT_MAX_FINDINGS_PER_DETECTOR} | Memory bound: findings listed per detector spec over the run (shared by the 8 source shards like the group bound). Past it the weakest findings (lowest severity, then confidence, then packets) are left out and only counted: every report says how many, how many packets (or a session log's connections) they covered and their highest severity (\`findingsOmitted\` in \`--json\`). The strongest are picked within each shard's share (bound / 8) and then over the whole run, so with a small bound a finding a little stronger than a listed one can be among those left out. |

## How the engine uses time and memory

* Time is the events' own time (\`@timestamp\`), never the clock of the machine running fwlens: replaying a
  log gives byte-identical findings.
* A group (for example "source A scanning target B") closes when no matching packet arrived for
  \`windowSeconds\`, then its counts are compared with the thresholds. A later group of the same key within
  \`cooldownSeconds\` of the last finding is merged into that finding instead of repeating it.
* A key's first packet is only remembered; a group is built on the second one, so one-shot background
  noise costs one map entry. Thresholds below 2 therefore act as 2 (except trojan probes, spoofed
  addresses, LAN noise and return traffic, which can be reported from one packet).
* Per group at most ${MAX_VALUES_PER_GROUP} distinct values, sources, targets and ports are stored (more are counted), and the
  evidence is the first ${EVIDENCE_HEAD} lines plus the last one.
* One connection is one attempt. Where a firewall logs a connection when it opens and again when it closes
  (Cisco ASA Built/Teardown and FTD 430002/430003, Juniper SRX SESSION_CREATE/SESSION_CLOSE, PAN-OS TRAFFIC
  start/end, Windows XP firewall OPEN/CLOSE, Clavister conn_open/conn_close, Forcepoint
  Connection_Allowed/Connection_Closed, Azure flow log states B/E), the closing record (and Azure's C record of
  each minute a flow lasts) is not fed to the detectors when the opening one was seen within
  ${CONNECTION_MEMORY_MS / 3_600_000} hours of event time (same connection number when the log has one, else the same
  addresses, ports and protocol). A closing record whose opening was not seen (the log began mid-session, or
  the firewall logs only at close, as FortiGate and PAN-OS do by default) counts as the connection. At most
  ${MAX_OPEN_CONNECTIONS} open connections are remembered; a forgotten one only means its closing record counts.
  Likewise a packet logged without a decision (ufw's \`[UFW AUDIT]\`) and, within ${SAME_PACKET_MS} ms on the next
  line, by the rule that decided it (\`[UFW ALLOW]\`, \`[UFW BLOCK]\`) is one packet, the deciding record.
  The report's event counts stay counts of the log's records.
* Logs without timestamps (\`dmesg\` output without a boot time) still work: windows then follow line order
  (one line = 1 ms), findings carry \`timeBasis: "line-order"\` and no \`firstSeen\`/\`lastSeen\`, and the
  detectors that need real intervals or rates (slow scan, inherited retries, floods) are skipped.

## Detector settings

Each detector id below can take \`enabled: false\` and any of its settings. Specs that share an id
(for example the four flood specs) share one settings section.

`;

/** The whole page. */
export function renderDetectionDoc(): string {
  const sections = DETECTOR_IDS.map((id) => {
    const rows = Object.entries(detectorTunables(id)).map(
      ([name, t]) => `| \`${name}\` | ${t.default} | ${t.doc.replace(/\|/g, '\\|')} |`,
    );
    return [`### ${id}`, '', '| setting | default | meaning |', '|---|---|---|', ...rows, ''].join('\n');
  });
  return `${HEAD}${sections.join('\n')}`;
}

if (import.meta.url === `file://${process.argv[1]}`) writeFileSync(DETECTION_DOC_PATH, renderDetectionDoc());
