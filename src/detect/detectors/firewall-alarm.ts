// The firewall's own alarms (screen, DoS policy, IDS and threat records that name a source or a target) as
// findings of their own: "the firewall itself flagged a SYN flood from X", in the vendor's words.
import { firewallAlarm } from '../../formats/skip-kinds.js';
import { listBoth, tBoth } from '../../i18n.js';
import type { DetectorSpec, Packet } from '../types.js';
import { windowTunables } from './common.js';

/** The alarm's name as the vendor wrote it (its record class when it gave none). */
export function alarmName(p: Packet): string {
  const alarm = firewallAlarm(p.ev);
  return (alarm?.name ?? alarm?.vendorClass ?? '').slice(0, MAX_ALARM_NAME_CHARS);
}

/** True when the alarm is about the record's destination rather than its source. */
function aboutDestination(p: Packet): boolean {
  return firewallAlarm(p.ev)?.subject === 'destination';
}

/** Longest alarm name carried into a finding (vendors' names are short; a log line may be hostile). */
const MAX_ALARM_NAME_CHARS = 120;

/** Severity per kind of alarm: a detected attack (IDS, threat) above a flood or scan screen. */
const SEVERITY_BY_KIND = { screen: 3, dos: 3, ids: 4, threat: 4 } as const;

/** Alarms the firewall raised itself, grouped by source (or by target when the record names no source) and alarm. */
export const firewallAlarmSpec: DetectorSpec = {
  id: 'firewall-alarm',
  name: 'firewall-alarm',
  keyedBySource: true,
  singleEvent: true,
  partialPackets: true,
  tunables: {
    ...windowTunables(3600, 6 * 3600),
    minAlarms: { default: 1, doc: 'Alarms of one kind from one source (or against one target) needed.' },
  },
  filter: (p) => firewallAlarm(p.ev) !== undefined,
  // A record without a source is about its target (a SYN flood against one host); `>` keeps the two apart.
  // An alarm about the record's destination (the server that sent an infected file) is grouped by its source
  // still, as the engine shards by source, and marked `>>` so the finding names the destination.
  groupBy: (p) => `${p.src === '' ? `>${p.dst}` : p.src}${aboutDestination(p) ? '>>' : ''}|${alarmName(p)}`,
  distinct: (p) => firewallAlarm(p.ev)?.vendorClass,
  qualifies: (b, t) => b.events >= t['minAlarms']!,
  build(b) {
    const name = b.key.slice(b.key.indexOf('|') + 1);
    const sides = [[...b.sources.keys()], [...b.targets.keys()]].map((l) => l.filter((a) => a !== ''));
    // The alarm is about whom it names: the destination for an infected file its server sent.
    const [sources, targets] = b.key.slice(0, b.key.indexOf('|')).endsWith('>>')
      ? [sides[1]!, sides[0]!]
      : [sides[0]!, sides[1]!];
    // The kind most of the group's alarms are (one alarm name is nearly always one kind).
    const kind = ([...b.extra.entries()].sort((x, y) => y[1] - x[1])[0]?.[0] ??
      'screen') as keyof typeof SEVERITY_BY_KIND;
    const classes = listBoth([...b.distinct.keys()].slice(0, 3));
    const subject = sources[0]
      ? tBoth('detect.alarm.from', { src: sources[0] })
      : tBoth('detect.alarm.against', { dst: targets[0] ?? '?' });
    const details = tBoth('detect.alarm.details', {
      name,
      subject,
      alarms: b.events,
      classes,
      targetList: listBoth(targets.slice(0, 3)),
      targets: targets.length,
    });
    return {
      title: tBoth('detect.alarm.title', { name, subject }),
      explanation: details,
      advice: tBoth(`detect.alarm.advice.${kind}`),
      severity: SEVERITY_BY_KIND[kind] ?? 3,
      confidence: 0.9,
      technique: name,
      // A record that named only one side leaves the other empty: not listed.
      sources,
      targets,
    };
  },
  observe(b, p) {
    const kind = firewallAlarm(p.ev)?.kind;
    if (kind) b.extra.set(kind, (b.extra.get(kind) ?? 0) + 1);
  },
};
