// Helpers shared by detectors to word findings: top values, service names, signatures, merging.
import { LIST_SEPARATOR, listBoth, type MessageVars, tBoth } from '../i18n.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import type { PortEntry } from '../knowledge/schema.js';
import type { Bucket, Finding, Localized, OmittedFindings } from './types.js';

/** Anything that lists counts per key (a Map or a Counter). */
export interface CountMap<K> {
  entries(): IterableIterator<[K, number]>;
  get(key: K): number | undefined;
}

/** Most frequent keys first (ties broken by text, so output is deterministic), at most `limit`. */
export function topKeys<K extends string | number>(map: CountMap<K>, limit = 100): K[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, limit)
    .map(([k]) => k);
}

/** Order of strength (the findings bound, the report's headline): severity, then confidence, then packets, strongest first. */
export function stronger(a: Finding, b: Finding): number {
  return b.severity - a.severity || b.confidence - a.confidence || b.counts.events - a.counts.events;
}

/**
 * The `n` findings to head a report with: the strongest of each detector first (strongest kinds first), so
 * five trojan probes cannot hide a smurf attack or a scan; then the next strongest of any kind.
 */
export function strongestOfEachKind(findings: readonly Finding[], n: number): Finding[] {
  const ranked = [...findings].sort(stronger);
  const seen = new Set<string>();
  const lead: Finding[] = [];
  const rest: Finding[] = [];
  for (const f of ranked) {
    if (seen.has(f.detector)) rest.push(f);
    else {
      seen.add(f.detector);
      lead.push(f);
    }
  }
  return [...lead, ...rest].slice(0, n);
}

/** Build a localized text (for text already in both languages; wording itself comes from src/i18n.ts). */
export function L(en: string, zh: string): Localized {
  return { en, zh };
}

/** A value that reads the same in both languages: an address, a network, a port list. */
export function verbatim(text: string): Localized {
  return { en: text, zh: text };
}

/** Join two localized texts with a space (English) / nothing (Chinese). */
export function join(...parts: (Localized | undefined)[]): Localized {
  const present = parts.filter((p): p is Localized => p !== undefined);
  return { en: present.map((p) => p.en).join(' '), zh: present.map((p) => p.zh).join('') };
}

/**
 * Who owns a finding's title, summary and advice: ONE of a knowledge-base signature
 * (data/signatures*.yaml, which must exist) or the detector's own catalog messages (src/i18n.ts).
 * Never both: a fallback that a signature would silently replace is text nobody reads.
 */
export type Wording = { signature: string } | { title: Localized; advice: Localized };

/** What a count of records counts: packets, connections, or some of each (see `recordKind`). */
export type RecordKind = 'packet' | 'connection' | 'record';

/**
 * What `records` records were, `connections` of them a session log's connection records (FwEvent.connectionPhase
 * set: a connection's opening, continuing or closing record, or its one record): packets (a packet log's, none of
 * them), connections (all of them) or some of each.
 */
export function recordKind(records: number, connections: number): RecordKind {
  if (connections === 0) return 'packet';
  return connections === records ? 'connection' : 'record';
}

/**
 * How a finding's text words a count of records, each phrase one set of catalog messages
 * (`detect.records.<phrase>.<kind>`) so connections of a session log are not called packets: `plain` (`12
 * packets`, Chinese `12 个包`), `sent` (`sent 12
 * packets`, `opened 12 connections`, `made 12 attempts` when some were not opened or of each kind) and `sentTcp` (the
 * same of TCP), `with` (`12 packets`, Chinese `12 个数据包`), `inAll` (Chinese `共 12 个包`), `total` (Chinese
 * `合计 12 个包`), `requests` (Chinese `12 个`, the sentence naming what was requested), `chatter` (Chinese
 * `12 个本地网络闲聊包`), `dropped` (`12 dropped packets`) and `arrived` (`12 packets arrived from {src}`, Chinese
 * `有 12 个来自 {src} 的包`).
 */
export type RecordPhrase =
  | 'plain'
  | 'sent'
  | 'sentTcp'
  | 'with'
  | 'inAll'
  | 'total'
  | 'requests'
  | 'chatter'
  | 'dropped'
  | 'arrived';

/**
 * Records counted for a finding's text: all of them, a session log's connections, and those of them nobody says
 * were opened: refused, or only seen by a sensor (src/detect/packet.ts recordSort).
 */
export interface RecordTally {
  records: number;
  connections: number;
  unopened?: number;
}

/**
 * A count of records worded by `phrase` (see RecordPhrase); `vars` are the phrase's other values (`src` of
 * `arrived`).
 */
export function recordsWorded(tally: RecordTally, phrase: RecordPhrase, vars: MessageVars = {}): Localized {
  const kind = recordKind(tally.records, tally.connections);
  // "Opened 12 connections" says the firewall let them through: refused ones, and those a sensor only saw, were
  // attempts, as a mix's are.
  const saysOpened = phrase === 'sent' || phrase === 'sentTcp';
  const worded = saysOpened && kind === 'connection' && (tally.unopened ?? 0) > 0 ? 'record' : kind;
  return tBoth(`detect.records.${phrase}.${worded}`, { ...vars, n: tally.records });
}

/** The records left-out findings covered, as a report says them (`1,234 packets`, `1,234 个包`). */
export function omittedRecords(o: OmittedFindings): Localized {
  return recordsWorded({ records: o.events, connections: o.connections ?? 0 }, 'plain');
}

/** A group's record count as a finding's text words it (see RecordPhrase). */
export function recordCount(b: Bucket, phrase: RecordPhrase, vars?: MessageVars): Localized {
  const tally = { records: b.events, connections: b.connectionRecords, unopened: b.unopenedConnections };
  return recordsWorded(tally, phrase, vars);
}

/**
 * Add connection records to a count of them (a merged finding's, the left-out findings'), which stays absent
 * while there are none: a packet log's report is as it was.
 */
export function addConnections(into: { connections?: number }, connections: number | undefined): void {
  if (connections) into.connections = (into.connections ?? 0) + connections;
}

/** Title, explanation (details + the signature's summary) and advice of a finding from its one owner. */
export function worded(
  kb: KnowledgeBase,
  owner: Wording,
  details: Localized,
  specific?: Localized,
): { title: Localized; explanation: Localized; advice: Localized } {
  if (!('signature' in owner)) return { title: owner.title, explanation: details, advice: owner.advice };
  const sig = kb.signature(owner.signature);
  if (!sig)
    throw new Error(`detector wording names signature "${owner.signature}", which the knowledge base lacks`);
  return {
    // A knowledge-base title is generic ("Vertical port scan"); keep what this finding adds to it.
    title: specific ? tBoth('detect.title.specific', { title: sig.name, specific }) : sig.name,
    explanation: join(details, sig.summary),
    advice: sig.advice,
  };
}

/** Knowledge-base entries for a port, trying TCP then UDP when the transport is not a ported one. */
export function portEntriesFor(kb: KnowledgeBase, port: number, proto: string): PortEntry[] {
  if (proto === 'tcp' || proto === 'udp' || proto === 'sctp') return kb.portEntries(port, proto);
  return [...kb.portEntries(port, 'tcp'), ...kb.portEntries(port, 'udp')];
}

/**
 * The knowledge-base entry that best names a port for this transport. The port's own entry (it lists this one
 * port) beats one for a group of ports or a range, whose name is a category ("Legacy and LAN UDP services
 * abused for reflection" for portmap's 111); among equals an entry made for this transport alone beats one
 * shared with another (whose name may describe the other transport's meaning).
 */
export function bestPortEntry(kb: KnowledgeBase, port: number, proto: string): PortEntry | undefined {
  const entries = portEntriesFor(kb, port, proto);
  const own = (e: PortEntry) => e.ports.length === 1 && e.ports[0] === port;
  const alone = (e: PortEntry) => e.proto.length === 1 && e.proto[0] === proto;
  return entries.find((e) => own(e) && alone(e)) ?? entries.find(own) ?? entries.find(alone) ?? entries[0];
}

/** Human name of what lives on a port: knowledge base first, then the IANA registry, then "port N". */
export function serviceName(kb: KnowledgeBase, port: number, proto: string): Localized {
  const entry = bestPortEntry(kb, port, proto);
  if (entry) return entry.name;
  const iana = kb.ianaName(port, proto === 'udp' ? 'udp' : 'tcp');
  if (iana) return tBoth('detect.service.iana', { name: iana.name, port, proto });
  return tBoth('detect.service.unknown', { port, proto });
}

/** The services on some ports, each named once (8000, 8080 and 8888 are all "Alternate HTTP proxy ports"). */
export function distinctServices(kb: KnowledgeBase, ports: readonly number[], proto: string): Localized[] {
  const out: Localized[] = [];
  for (const p of ports) {
    const name = serviceName(kb, p, proto);
    if (!out.some((n) => n.en === name.en && n.zh === name.zh)) out.push(name);
  }
  return out;
}

/** Ports under the service each is known as: "SOCKS proxy (1080) and Alternate HTTP proxy ports (8000, 8080)". */
export function servicesWithPorts(kb: KnowledgeBase, ports: readonly number[], proto: string): Localized {
  const groups = new Map<string, { name: Localized; ports: number[] }>();
  for (const p of ports) {
    const name = serviceName(kb, p, proto);
    const key = `${name.en}\n${name.zh}`;
    const group = groups.get(key) ?? groups.set(key, { name, ports: [] }).get(key)!;
    group.ports.push(p);
  }
  return listOf(
    [...groups.values()].map((g) =>
      tBoth('detect.service.ports', { name: g.name, ports: listBoth(g.ports) }),
    ),
  );
}

/** "a, b and c" / "a、b 和 c" from localized items. */
export function listOf(items: Localized[]): Localized {
  if (items.length === 0) return L('', '');
  if (items.length === 1) return items[0]!;
  const head = items.slice(0, -1);
  const rest = L(
    head.map((i) => i.en).join(LIST_SEPARATOR.en),
    head.map((i) => i.zh).join(LIST_SEPARATOR.zh),
  );
  return tBoth('detect.list.and', { rest, last: items[items.length - 1]! });
}

/** Fraction of a group's events carrying the most common technique, and that technique. */
export function dominant(map: CountMap<string>, total: number): [string | undefined, number] {
  const top = topKeys(map, 1)[0];
  return [top, top === undefined || total === 0 ? 0 : (map.get(top) ?? 0) / total];
}

/** Confidence growing from `base` towards 1 as `value` passes `threshold` several times over. */
export function confidenceFor(value: number, threshold: number, base = 0.6): number {
  return Math.min(0.99, base + (1 - base) * Math.min(1, (value - threshold) / Math.max(1, threshold * 3)));
}

/** Standard deviation / mean of the gaps between attempts (0 = perfectly steady). */
export function gapVariation(b: Bucket): number {
  if (b.gapCount < 2 || b.gapMean <= 0) return Number.POSITIVE_INFINITY;
  return Math.sqrt(b.gapM2 / (b.gapCount - 1)) / b.gapMean;
}

function mergeLists<T extends string | number>(a: T[], b: T[], numeric: boolean, cap: number): T[] {
  const set = [...new Set([...a, ...b])];
  if (numeric) (set as number[]).sort((x, y) => x - y);
  return set.slice(0, cap);
}

/** Raw lines kept per finding after merging: the first episode's head plus the latest episode's first and last. */
export const MERGED_EVIDENCE_HEAD = 3;

/**
 * Events of the episode whose explanation a merged finding shows (absent: the finding's own, not merged yet).
 * Kept beside the finding, not in it: it is how the explanation was chosen, not something to report.
 */
const explainedEvents = new WeakMap<Finding, number>();

/**
 * Fold a later finding of the same group into an earlier one (cooldown, or a repeat episode). The merged
 * finding's explanation is the episode that best stands for it: the most severe, and among those the one
 * with the most events (a beacon's day of retries, not the one burst after it, says what the program does).
 * It changes only the earlier finding's own fields and its `counts`: texts, lists and evidence are replaced,
 * never changed in place, which is what lets `snapshotFinding` share them.
 */
export function mergeFinding(into: Finding, later: Finding): void {
  const laterShown = foldEpisode(into, later);
  into.sources = mergeLists(into.sources, later.sources, false, 100);
  into.targets = mergeLists(into.targets, later.targets, false, 100);
  into.ports = mergeLists(into.ports, later.ports, true, 200);
  if (laterShown) into.explanation = later.explanation;
  // Keep lines from both episodes so a person can check each one against the log.
  const picked = [...into.evidence.slice(0, MERGED_EVIDENCE_HEAD)];
  for (const e of [later.evidence[0], later.evidence[later.evidence.length - 1]])
    if (e && !picked.some((x) => x.text === e.text && x.line === e.line && x.file === e.file)) picked.push(e);
  into.evidence = picked;
}

/**
 * A copy of a finding that merges of later episodes into it leave as it is: its own fields and its `counts`
 * copied, its texts, lists and evidence shared (mergeFinding replaces those, never changes them). `fwlens
 * watch` takes one of every finding the engine tells, which may still merge later episodes into it; a deep
 * copy (structuredClone) of each, texts in two languages and evidence, was 30 % of the bytes the detection
 * allocated under a flood of forged sources (one finding per packet), and ~15 % of the CPU.
 */
export function snapshotFinding(f: Finding): Finding {
  return { ...f, counts: { ...f.counts } };
}

/**
 * Add a later episode's counts, times, severity and confidence to an earlier finding's, as a merge does; true
 * when the later episode now stands for the finding (its explanation is the one to show).
 */
function foldEpisode(into: Finding, later: Finding): boolean {
  const shown = explainedEvents.get(into) ?? into.counts.events;
  const laterEvents = later.counts.events;
  into.counts.events += later.counts.events;
  into.counts.episodes = (into.counts.episodes ?? 1) + (later.counts.episodes ?? 1);
  addConnections(into.counts, later.counts.connections);
  for (const k of ['distinctPorts', 'distinctTargets', 'distinctSources'] as const)
    if (later.counts[k] !== undefined) into.counts[k] = Math.max(into.counts[k] ?? 0, later.counts[k]!);
  if (later.firstSeen !== undefined)
    into.firstSeen = Math.min(into.firstSeen ?? later.firstSeen, later.firstSeen);
  if (later.lastSeen !== undefined) into.lastSeen = Math.max(into.lastSeen ?? later.lastSeen, later.lastSeen);
  const laterShown =
    later.severity > into.severity || (later.severity === into.severity && laterEvents > shown);
  if (laterShown) into.severity = later.severity;
  explainedEvents.set(into, laterShown ? laterEvents : shown);
  into.confidence = Math.max(into.confidence, later.confidence);
  return laterShown;
}

/**
 * What a merge reads of an earlier finding apart from its texts, lists and evidence: its times, counts,
 * severity, confidence and the events of the episode its explanation is from. A few numbers, where the
 * finding is ~3 KB (texts in two languages, evidence lines): `fwlens watch` keeps this for the findings
 * it may still merge into but no longer holds whole (see FindingLedger).
 */
export class MergeTally {
  readonly counts: Finding['counts'];
  readonly severity: Finding['severity'];
  readonly confidence: number;
  readonly firstSeen: number | undefined;
  readonly lastSeen: number | undefined;
  /** Events of the episode whose explanation the finding showed. */
  readonly shownEvents: number;

  constructor(f: Finding) {
    this.counts = { ...f.counts };
    this.severity = f.severity;
    this.confidence = f.confidence;
    this.firstSeen = f.firstSeen;
    this.lastSeen = f.lastSeen;
    this.shownEvents = explainedEvents.get(f) ?? f.counts.events;
  }
}

/**
 * Fold a later episode into an earlier finding known only by its tally: the later finding, carrying the
 * times, counts, severity and confidence of both, exactly as `mergeFinding` adds them up. Its title,
 * explanation, advice, sources, targets, ports and evidence are the later episode's own: the earlier
 * episodes' were let go with the rest of their finding.
 */
export function mergeIntoTally(earlier: MergeTally, later: Finding): Finding {
  const into: Finding = {
    ...later,
    counts: { ...earlier.counts },
    severity: earlier.severity,
    confidence: earlier.confidence,
  };
  if (earlier.firstSeen !== undefined) into.firstSeen = earlier.firstSeen;
  else delete into.firstSeen;
  if (earlier.lastSeen !== undefined) into.lastSeen = earlier.lastSeen;
  else delete into.lastSeen;
  explainedEvents.set(into, earlier.shownEvents);
  foldEpisode(into, later);
  return into;
}
