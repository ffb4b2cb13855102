// Cross-detector clean-up after all windows closed: one best explanation per behaviour, trust marks, order.
import { listBoth, tBoth } from '../i18n.js';
import type { CidrSet } from './addresses.js';
import { join, mergeFinding, recordsWorded } from './finding.js';
import type { DetectorId, Finding } from './types.js';

const SCAN_LIKE: DetectorId[] = ['vertical-scan', 'horizontal-sweep', 'distributed-scan'];
const CRAFTED: DetectorId[] = [
  'vertical-scan',
  'horizontal-sweep',
  'slow-scan',
  'scanner-fingerprint',
  'traceroute',
  'flood',
  'ping-sweep',
];

function bySource(findings: Finding[]): Map<string, Finding[]> {
  const map = new Map<string, Finding[]>();
  for (const f of findings)
    for (const s of f.sources) {
      const list = map.get(s);
      if (list) list.push(f);
      else map.set(s, [f]);
    }
  return map;
}

function overlaps(a: Finding, b: Finding): boolean {
  if (a.firstSeen === undefined || b.firstSeen === undefined) return true;
  return a.firstSeen <= (b.lastSeen ?? b.firstSeen) && b.firstSeen <= (a.lastSeen ?? a.firstSeen);
}

/** True when a finding should give way to a better explanation of the same source's behaviour. */
function explainedElsewhere(f: Finding, related: Finding[]): boolean {
  const others = related.filter((o) => o !== f);
  switch (f.detector) {
    case 'slow-scan':
      return others.some((o) => SCAN_LIKE.includes(o.detector) && overlaps(f, o));
    case 'trojan-probe':
      // A wide scan touches trojan ports by chance; keep the trojan finding only when they dominate.
      if (others.some((o) => o.detector === 'inherited-retry' && o.ports.some((p) => f.ports.includes(p))))
        return true;
      return others.some(
        (o) =>
          (o.detector === 'vertical-scan' || o.detector === 'slow-scan') &&
          f.ports.length < 0.5 * (o.counts.distinctPorts ?? o.ports.length),
      );
    case 'repeated-attempts':
      // OS detection repeats its probes to one or two ports; that is fingerprinting, not guessing.
      if (others.some((o) => o.detector === 'scanner-fingerprint' && o.technique === 'nmap-os-detection'))
        return true;
      return others.some(
        (o) =>
          (o.detector === 'inherited-retry' || o.detector === 'flood') &&
          o.ports.some((p) => f.ports.includes(p)),
      );
    case 'horizontal-sweep':
      // A port-set hunt on a few hosts is part of a wider sweep or scan by the same source when there is one.
      return (
        f.technique === 'service-hunt' &&
        others.some(
          (o) =>
            (o.detector === 'vertical-scan' ||
              (o.detector === 'horizontal-sweep' && o.technique !== 'service-hunt')) &&
            overlaps(f, o),
        )
      );
    case 'distributed-scan':
      // A per-target roll-up that picked up passing background is outdone by the network group's members.
      return others.some(
        (o) =>
          o.detector === 'distributed-scan' &&
          overlaps(f, o) &&
          o.sources.length < f.sources.length &&
          o.sources.every((s) => f.sources.includes(s)) &&
          o.counts.events >= 0.5 * f.counts.events,
      );
    case 'spoofing':
      return f.technique === 'ttl-inconsistent' && others.some((o) => CRAFTED.includes(o.detector));
    default:
      return false;
  }
}

function compare(a: Finding, b: Finding): number {
  if (a.severity !== b.severity) return b.severity - a.severity;
  const fa = a.firstSeen ?? Number.POSITIVE_INFINITY;
  const fb = b.firstSeen ?? Number.POSITIVE_INFINITY;
  if (fa !== fb) return fa - fb;
  const keyA = `${a.detector}|${a.sources[0] ?? ''}|${a.technique ?? ''}|${a.targets[0] ?? ''}|${a.ports[0] ?? ''}`;
  const keyB = `${b.detector}|${b.sources[0] ?? ''}|${b.technique ?? ''}|${b.targets[0] ?? ''}|${b.ports[0] ?? ''}`;
  return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
}

/** Same behaviour from the same source(s): detector, technique, sources and ports all equal. */
function behaviourKey(f: Finding): string {
  const sources = [...f.sources].sort().join(',');
  const ports = [...f.ports].sort((a, b) => a - b).join(',');
  return `${f.detector}|${f.technique ?? ''}|${sources}|${ports}`;
}

/**
 * Fold repeat episodes of one behaviour into one finding, however far apart (cooldown merging only
 * joins episodes close in time): one source probing 1524 on Monday and Wednesday is one finding.
 */
export function mergeEpisodes(findings: Finding[]): Finding[] {
  const ordered = [...findings].sort(
    (a, b) => (a.firstSeen ?? Number.POSITIVE_INFINITY) - (b.firstSeen ?? Number.POSITIVE_INFINITY),
  );
  const byKey = new Map<string, Finding>();
  const out: Finding[] = [];
  for (const f of ordered) {
    const key = behaviourKey(f);
    const earlier = byKey.get(key);
    if (earlier) mergeFinding(earlier, f);
    else {
      byKey.set(key, f);
      out.push(f);
    }
  }
  for (const f of out) if ((f.counts.episodes ?? 1) > 1) f.explanation = withEpisodes(f);
  return out;
}

function stamp(ms: number | undefined): string {
  return ms === undefined ? '?' : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * One sentence on how often, over what span and with how many records in all the behaviour came back, then
 * the explanation of the episode that stands for it (whose own counts are that episode's, and say so).
 */
function withEpisodes(f: Finding): Finding['explanation'] {
  const n = f.counts.episodes ?? 1;
  const span =
    f.firstSeen !== undefined
      ? tBoth('detect.episodes.span', { first: stamp(f.firstSeen), last: stamp(f.lastSeen) })
      : '';
  // Packets, connections, or records when the episodes were some of each (a packet log's text as it was).
  const records = recordsWorded(
    { records: f.counts.events, connections: f.counts.connections ?? 0 },
    'total',
  );
  return tBoth('detect.episodes', { explanation: f.explanation, n, span, records });
}

/** Most evidence lines a finding carries after the firewall's alarms were folded into it. */
const MAX_FOLDED_EVIDENCE = 6;

/**
 * The firewall's own alarms about a source that one of fwlens's findings also covers (same source, times
 * overlapping) become part of that finding: its explanation quotes them, its confidence and severity rise
 * to the alarm's when higher, and it takes the alarm's first record as evidence. Alarms about sources
 * fwlens found nothing on stay findings of their own.
 */
export function foldFirewallAlarms(findings: Finding[]): Finding[] {
  const index = bySource(findings.filter((f) => f.detector !== 'firewall-alarm'));
  const into = new Map<Finding, Finding[]>();
  const out: Finding[] = [];
  for (const f of findings) {
    const src = f.detector === 'firewall-alarm' ? f.sources[0] : undefined;
    const host =
      src === undefined ? undefined : (index.get(src) ?? []).filter((o) => overlaps(f, o)).sort(compare)[0];
    if (!host) {
      out.push(f);
      continue;
    }
    const list = into.get(host);
    if (list) list.push(f);
    else into.set(host, [f]);
  }
  for (const [host, alarms] of into) {
    const named = alarms.map((a) =>
      tBoth('detect.alarm.alsoOne', { name: a.technique ?? '', alarms: a.counts.events }),
    );
    const list = { en: listBoth(named.map((n) => n.en)).en, zh: listBoth(named.map((n) => n.zh)).zh };
    host.explanation = join(host.explanation, tBoth('detect.alarm.also', { alarms: list }));
    for (const a of alarms) {
      host.confidence = Math.max(host.confidence, a.confidence);
      if (a.severity > host.severity) host.severity = a.severity;
      const line = a.evidence[0];
      if (line && host.evidence.length < MAX_FOLDED_EVIDENCE) host.evidence.push(line);
    }
  }
  return out;
}

/** Drop findings another finding explains better, apply trust settings, sort severity desc then first seen. */
export function postProcess(
  findings: Finding[],
  opts: { trusted: CidrSet; trustedAction: 'mark' | 'drop' },
): Finding[] {
  const merged = foldFirewallAlarms(mergeEpisodes(findings));
  const index = bySource(merged);
  const kept: Finding[] = [];
  for (const f of merged) {
    const related = f.sources.flatMap((s) => index.get(s) ?? []);
    if (explainedElsewhere(f, related)) continue;
    if (opts.trusted.size > 0 && f.sources.length > 0 && f.sources.every((s) => opts.trusted.has(s))) {
      if (opts.trustedAction === 'drop') continue;
      f.suppressed = 'trusted';
    }
    kept.push(f);
  }
  return kept.sort(compare);
}
