// Context per address for the report: owner (ASN, organisation), country, research-scanner label, your
// allow/deny lists and reverse DNS name, looked up once per distinct address the report shows. Each event's
// severity counts its far end's context too (`scoreOf`): the few facts a severity step reads, once per address.
import type { Finding } from '../detect/types.js';
import type { FwEvent } from '../event.js';
import { severityOf, severitySumOf } from '../explain/severity.js';
import type { Explanation, SeverityReason } from '../explain/types.js';
import { clampSeverity, type Score } from '../explain/types.js';
import { tBoth } from '../i18n.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import type { Localized } from '../knowledge/schema.js';
import { type AddressClass, classifyAddress } from '../net/address-class.js';
import { ipv4TextLength, ipv4Value } from '../net/ip.js';
import { detach } from '../util/strings.js';
import { ASN_ATTRIBUTION, loadAsnTable, STALE_AFTER_DAYS, staleNotice } from './asn-data.js';
import type { AsnInfo, AsnTable } from './asn-table.js';
import { COUNTRY_ATTRIBUTION, type CountryReader, openCountryReader } from './geo.js';
import { AddressLists, type ListHit, type PlainListEntry } from './lists.js';
import { remoteAddress } from './remote.js';
import { type ScannerMatchBy, ScannerMatcher } from './scanners.js';

/** What the report knows about one address beyond the log. */
export interface AddressContext {
  /** Special range the address lies in (documentation, private ...); absent for public addresses. */
  range?: Exclude<AddressClass, 'public'>;
  /** Autonomous system announcing the address (ECS `as.number`, `as.organization.name`). */
  as?: { number: number; organization: string };
  /** ISO 3166-1 alpha-2 country code: approximate (registry data or the user's database). */
  country?: string;
  /** Known research scanner, and how it was recognised. */
  scanner?: { id: string; name: Localized; by: ScannerMatchBy };
  /** On your allow or deny list, and where the matching entry is written. */
  list?: ListHit;
  /** Reverse DNS name (only with `--rdns`). */
  name?: string;
}

/** How findings from known research scanners count: labelled and lowered, dropped to info, or raised. */
export type ResearchScannerPolicy = 'label' | 'noise' | 'block';

/** Where the context came from, with the attribution the data licences ask for. */
export interface ContextData {
  asn?: { dataset: string; version: string; dataDate: string; attribution: string };
  country?: { database: string; built: string; bundled: boolean; approximate: true; attribution?: string };
}

/** Options of the enrichment. */
export interface ContextOptions {
  /** A country database to use instead of the bundled one (`--geoip-db`). */
  geoipDb?: string;
  lists?: AddressLists;
  researchScanners?: ResearchScannerPolicy;
  /** Reverse DNS names found by `--rdns`. */
  names?: ReadonlyMap<string, string>;
  /** Clock for the freshness notice. */
  now?: number;
  /** ASN table path (tests point it at a missing or corrupt file). */
  asnTablePath?: string;
  /** Folder of the ASN CSV files compiled when the table is missing (null: none installed). */
  asnDataDir?: string | null;
  /** Open the country database (false for an enricher that only scores events, in an analysis thread). */
  countries?: boolean;
}

/**
 * What an analysis thread needs to score events with context as the main thread's enricher does: plain data
 * (`ContextEnricher.scoringJob`, `ContextEnricher.forScoring`).
 */
export interface ContextScoringJob {
  lists: PlainListEntry[];
  policy: ResearchScannerPolicy;
  asnTablePath?: string;
  asnDataDir?: string | null;
}

/** A far end whose context changes no severity (the memo's value for most addresses). */
const NO_EFFECT = 0;

/** Per-address memo bound: past it the memo is cleared (NDJSON streams may carry millions of addresses). */
export const CONTEXT_MEMO_LIMIT = 65_536;

/** Looks up context per address, once each; collects the sentences about missing data and stale data. */
export class ContextEnricher {
  readonly problems: Localized[] = [];
  readonly notices: Localized[] = [];
  readonly data: ContextData = {};
  readonly lists: AddressLists;
  readonly policy: ResearchScannerPolicy;
  private readonly asn?: AsnTable;
  private readonly country?: CountryReader;
  private readonly scanners: ScannerMatcher;
  private readonly memo = new Map<string, AddressContext>();
  /** What each far end's context does to an event's severity (`scoreOf`), NO_EFFECT for most. */
  private readonly effects = new Map<string, ContextEffect | typeof NO_EFFECT>();
  private readonly v4Effects = new Map<number, ContextEffect | typeof NO_EFFECT>();
  private names: ReadonlyMap<string, string>;
  private readonly asnFrom: Pick<ContextOptions, 'asnTablePath' | 'asnDataDir'>;
  /** Per AS entry of the table: 1 when a scanner or list names it, -1 when not, 0 not looked at yet. */
  private entryMatters?: Int8Array;

  constructor(kb: KnowledgeBase, opts: ContextOptions = {}) {
    this.asnFrom = {
      ...(opts.asnTablePath !== undefined ? { asnTablePath: opts.asnTablePath } : {}),
      ...(opts.asnDataDir !== undefined ? { asnDataDir: opts.asnDataDir } : {}),
    };
    this.lists = opts.lists ?? new AddressLists();
    this.problems.push(...this.lists.problems);
    this.policy = opts.researchScanners ?? 'label';
    this.names = opts.names ?? new Map();
    this.scanners = new ScannerMatcher(kb);
    const asn = loadAsnTable(opts.asnTablePath, opts.asnDataDir);
    if (asn.table) {
      this.asn = asn.table;
      const m = asn.table.meta;
      this.data.asn = {
        dataset: m.dataset,
        version: m.version,
        dataDate: m.dataDate,
        attribution: ASN_ATTRIBUTION,
      };
      const stale = staleNotice(m.dataDate, opts.now ?? Date.now());
      if (stale) this.notices.push(stale);
    } else this.problems.push(asn.problem);
    if (opts.countries === false) return;
    const geo = openCountryReader(opts.geoipDb);
    if (geo.problem) this.problems.push(geo.problem);
    if (geo.reader) {
      this.country = geo.reader;
      this.data.country = {
        database: geo.reader.bundled ? 'bundled' : geo.reader.path,
        built: geo.reader.built,
        bundled: geo.reader.bundled,
        approximate: true,
        ...(geo.reader.bundled ? { attribution: COUNTRY_ATTRIBUTION } : {}),
      };
    }
  }

  /** The research scanner an autonomous system belongs to (by AS number or organisation), if any. */
  scannerOfAs(as: { number: number; organization: string }): Localized | undefined {
    const m = this.scanners.matchAs(as);
    return m?.entry.name;
  }

  /** Give reverse DNS names found later (`--rdns`); forgets what was looked up without them. */
  setNames(names: ReadonlyMap<string, string>): void {
    this.names = names;
    this.memo.clear();
  }

  /** Context of one address (memoized). */
  of(ip: string): AddressContext {
    const hit = this.memo.get(ip);
    if (hit) return hit;
    const ctx = this.lookUp(ip, true);
    if (this.memo.size >= CONTEXT_MEMO_LIMIT) this.memo.clear();
    this.memo.set(ip, ctx);
    return ctx;
  }

  /**
   * Context of one address; without `full`, only what a severity step reads: no country, no reverse name, and
   * its AS only when a research scanner or a list entry names that AS (`asMatters`), so that scoring the events
   * of a million distinct sources makes no organisation text for each.
   */
  private lookUp(ip: string, full: boolean): AddressContext {
    const ctx: AddressContext = {};
    const cls = classifyAddress(ip);
    if (cls !== 'public') ctx.range = cls;
    else {
      let as: AsnInfo | undefined;
      if (full) as = this.asn?.lookup(ip);
      else if (this.asn) {
        const id = this.asn.entryId(ip);
        if (id >= 0 && this.asMatters(id)) as = this.asn.entryInfo(id);
      }
      if (as) ctx.as = as;
      const cc = full ? this.country?.country(ip) : undefined;
      if (cc) ctx.country = cc;
    }
    const name = full ? this.names.get(ip) : undefined;
    if (name) ctx.name = name;
    const scanner = this.scanners.match(ip, ctx.as, name);
    if (scanner) ctx.scanner = { id: scanner.entry.id, name: scanner.entry.name, by: scanner.by };
    const listed = this.lists.size > 0 ? this.lists.match(ip, ctx.as?.number) : undefined;
    if (listed) ctx.list = listed;
    return ctx;
  }

  /** Whether AS entry `id` of the table is a research scanner's or on a list (remembered per entry). */
  private asMatters(id: number): boolean {
    const asn = this.asn!;
    this.entryMatters ??= new Int8Array(asn.entryCount);
    const known = this.entryMatters[id];
    if (known !== undefined && known !== 0) return known > 0;
    const info = asn.entryInfo(id);
    const matters =
      info !== undefined && (this.scanners.matchAs(info) !== undefined || this.lists.hasAsn(info.number));
    if (id < this.entryMatters.length) this.entryMatters[id] = matters ? 1 : -1;
    return matters;
  }

  /**
   * An event's severity with its far end's context (`ip`: the source, the destination of outbound traffic),
   * from the unclamped sum of its own steps (`severitySumOf`): what `applyContextToExplanation` makes of its
   * explanation, so the summary's counts, `--min-severity` and the notable events agree with `explain`. Names
   * found later by `--rdns` are not known here: a scanner recognised only by its reverse name is not counted.
   */
  scoreOf(sum: number, ip: string | undefined): Score {
    if (ip === undefined) return clampSeverity(sum);
    // A canonical IPv4 text is remembered by its number as a signed 32-bit integer (a small integer to V8: hashed
    // without reading the text again).
    const v4 = ipv4Value(ip);
    const byNumber = v4 >= 0 && ip.length === ipv4TextLength(v4);
    const key = v4 | 0;
    let effect = byNumber ? this.v4Effects.get(key) : this.effects.get(ip);
    if (effect === undefined) {
      const ctx = this.lookUp(ip, false);
      // A flat copy of the address where it is kept (the memo's key, a reason naming it): the text may be a
      // slice of its whole log line, which would be kept with it.
      effect =
        ctx.scanner || ctx.list
          ? (contextEffect([withIp(detach(ip), ctx)], this.policy, true) ?? NO_EFFECT)
          : NO_EFFECT;
      const memo = byNumber ? this.v4Effects : this.effects;
      if (memo.size >= CONTEXT_MEMO_LIMIT) memo.clear();
      if (byNumber) this.v4Effects.set(key, effect);
      else this.effects.set(detach(ip), effect);
    }
    return clampSeverity(effect === NO_EFFECT ? sum : sum + effectDelta(effect, sum));
  }

  /** What an analysis thread needs to score events as this enricher does (`forScoring`). */
  scoringJob(): ContextScoringJob {
    return { lists: this.lists.toPlain(), policy: this.policy, ...this.asnFrom };
  }

  /** An enricher for `scoreOf` only (no country database), made from `scoringJob`'s plain data. */
  static forScoring(kb: KnowledgeBase, job: ContextScoringJob): ContextEnricher {
    return new ContextEnricher(kb, {
      lists: AddressLists.fromPlain(job.lists),
      researchScanners: job.policy,
      countries: false,
      ...(job.asnTablePath !== undefined ? { asnTablePath: job.asnTablePath } : {}),
      ...(job.asnDataDir !== undefined ? { asnDataDir: job.asnDataDir } : {}),
    });
  }

  /** Context of several addresses as a plain record (report JSON), in the order given, each once. */
  table(ips: Iterable<string>): Record<string, AddressContext> {
    const out: Record<string, AddressContext> = {};
    for (const ip of ips) if (!(ip in out)) out[ip] = this.of(ip);
    return out;
  }
}

/** One severity step that context adds to a finding or an explanation. */
export type ContextAdjustment = SeverityReason;

/** What context does to a severity (`contextEffect`), with what its reason names. */
export type ContextEffect =
  | { kind: 'deny'; ip: string; where: string }
  | { kind: 'allow'; ip: string; where: string }
  | { kind: 'scanner'; policy: ResearchScannerPolicy; name: Localized };

/**
 * What the context of a finding's sources (or an event's far end) does to its severity: all sources on the allow
 * list -> down to info; any on the deny list -> +1; all known research scanners -> −1 (policy `label`), down to
 * info (`noise`) or +1 (`block`). `skipCidrScanners` leaves out scanners matched by address block, whose −1 the
 * per-packet explanation already counts. The one owner of these rules: `contextSteps` words them,
 * `ContextEnricher.scoreOf` applies them to an event's score.
 */
export function contextEffect(
  contexts: (AddressContext & { ip: string })[],
  policy: ResearchScannerPolicy,
  skipCidrScanners = false,
): ContextEffect | undefined {
  if (contexts.length === 0) return undefined;
  const denied = contexts.find((c) => c.list?.kind === 'deny');
  if (denied?.list) return { kind: 'deny', ip: denied.ip, where: denied.list.where };
  if (contexts.every((c) => c.list?.kind === 'allow')) {
    const first = contexts[0]!;
    return { kind: 'allow', ip: first.ip, where: first.list!.where };
  }
  const scanners = contexts.map((c) => c.scanner);
  if (scanners.every((s) => s !== undefined)) {
    const first = scanners[0]!;
    if (skipCidrScanners && policy === 'label' && first.by === 'cidr') return undefined;
    return { kind: 'scanner', policy, name: first.name };
  }
  return undefined;
}

/**
 * The step an effect adds to a severity whose unclamped sum is `severity` ("down to info" cancels the sum). A
 * step up (a deny-listed far end, a research scanner under `block`) raises what is shown by one level: from a sum
 * at or below the floor (outbound traffic that its own steps took under 1), +1 alone would leave it at 1, the
 * same as without the list, so the step is as large as it takes to reach 2.
 */
export function effectDelta(effect: ContextEffect, severity: number): number {
  if (effect.kind === 'deny') return stepUp(severity);
  if (effect.kind === 'allow') return Math.min(0, 1 - severity);
  if (effect.policy === 'noise') return Math.min(0, 1 - severity);
  return effect.policy === 'block' ? stepUp(severity) : -1;
}

/** One level above what an unclamped sum shows (at least 2). */
const stepUp = (severity: number): number => Math.max(1, 2 - severity);

/** The severity steps the context of a finding's sources calls for (`contextEffect`), worded. */
export function contextSteps(
  severity: number,
  contexts: (AddressContext & { ip: string })[],
  policy: ResearchScannerPolicy,
  skipCidrScanners = false,
): ContextAdjustment[] {
  const effect = contextEffect(contexts, policy, skipCidrScanners);
  if (!effect) return [];
  const delta = effectDelta(effect, severity);
  if (effect.kind === 'deny')
    return [{ delta, text: tBoth('context.reason.denyList', { ip: effect.ip, where: effect.where }) }];
  if (effect.kind === 'allow')
    return [{ delta, text: tBoth('context.reason.allowList', { ip: effect.ip, where: effect.where }) }];
  const key =
    effect.policy === 'noise'
      ? 'context.reason.researchNoise'
      : effect.policy === 'block'
        ? 'context.reason.researchBlock'
        : 'context.reason.researchScanner';
  return [{ delta, text: tBoth(key, { name: effect.name }) }];
}

/** Contexts with their address attached (the reason texts name it). */
function withIp(ip: string, ctx: AddressContext): AddressContext & { ip: string } {
  return { ...ctx, ip };
}

/**
 * Apply the context of their sources to findings: each step is recorded in `adjustments` and the severity
 * moves by it (clamped to 1-5). Findings whose every source is allow-listed end at 1 (info).
 */
export function applyContextToFindings(
  findings: Finding[],
  enricher: ContextEnricher,
  policy: ResearchScannerPolicy = enricher.policy,
): void {
  for (const f of findings) {
    const sources = f.sources.filter((s) => s !== '');
    if (sources.length === 0) continue;
    const steps = contextSteps(
      f.severity,
      sources.map((s) => withIp(s, enricher.of(s))),
      policy,
    );
    if (steps.length === 0) continue;
    const total = steps.reduce((sum: number, s) => sum + s.delta, f.severity);
    f.severity = clampSeverity(total);
    f.adjustments = steps;
  }
}

/**
 * Apply the context of an event's source (destination for outbound) to its explanation: the steps are added
 * to the severity reasons and the score recomputed. Returns a new explanation.
 */
export function applyContextToExplanation(
  x: Explanation,
  ip: string | undefined,
  enricher: ContextEnricher,
): Explanation {
  if (!ip) return x;
  // The raw sum (before clamping) is what "down to info" must cancel.
  const sum = x.severity.reasons.reduce((total, r) => total + r.delta, 0);
  const steps = contextSteps(sum, [withIp(ip, enricher.of(ip))], enricher.policy, true);
  if (steps.length === 0) return x;
  const reasons = [...x.severity.reasons, ...steps];
  const score = clampSeverity(reasons.reduce((sum, r) => sum + r.delta, 0));
  return { ...x, severity: { score, reasons } };
}

/** Days after which the data set is called stale (re-exported for docs and tests). */
export { STALE_AFTER_DAYS };

/**
 * The severity of each event as the report shows it: its own score, moved by its far end's context when an
 * enricher is given (`ContextEnricher.scoreOf`), as `applyContextToExplanation` moves its explanation's.
 */
export function eventSeverity(kb: KnowledgeBase, enricher?: ContextEnricher): (ev: FwEvent) => number {
  if (!enricher) return (ev) => severityOf(ev, kb);
  return (ev) => enricher.scoreOf(severitySumOf(ev, kb), remoteAddress(ev));
}
