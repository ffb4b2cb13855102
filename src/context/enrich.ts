// Context per address for the report: owner (ASN, organisation), country, research-scanner label, your
// allow/deny lists and reverse DNS name, looked up once per distinct address the report shows, never per event.
import type { Finding } from '../detect/types.js';
import type { Explanation, SeverityReason } from '../explain/types.js';
import { clampSeverity } from '../explain/types.js';
import { tBoth } from '../i18n.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import type { Localized } from '../knowledge/schema.js';
import { type AddressClass, classifyAddress } from '../net/address-class.js';
import { ASN_ATTRIBUTION, loadAsnTable, STALE_AFTER_DAYS, staleNotice } from './asn-data.js';
import type { AsnTable } from './asn-table.js';
import { COUNTRY_ATTRIBUTION, type CountryReader, openCountryReader } from './geo.js';
import { AddressLists, type ListHit } from './lists.js';
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
}

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
  private names: ReadonlyMap<string, string>;

  constructor(kb: KnowledgeBase, opts: ContextOptions = {}) {
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
    const ctx: AddressContext = {};
    const cls = classifyAddress(ip);
    if (cls !== 'public') ctx.range = cls;
    else {
      const as = this.asn?.lookup(ip);
      if (as) ctx.as = as;
      const cc = this.country?.country(ip);
      if (cc) ctx.country = cc;
    }
    const name = this.names.get(ip);
    if (name) ctx.name = name;
    const scanner = this.scanners.match(ip, ctx.as, name);
    if (scanner) ctx.scanner = { id: scanner.entry.id, name: scanner.entry.name, by: scanner.by };
    const listed = this.lists.size > 0 ? this.lists.match(ip, ctx.as?.number) : undefined;
    if (listed) ctx.list = listed;
    if (this.memo.size >= CONTEXT_MEMO_LIMIT) this.memo.clear();
    this.memo.set(ip, ctx);
    return ctx;
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

/**
 * The severity steps the context of a finding's sources calls for: all sources on the allow list -> down to
 * info; any on the deny list -> +1; all known research scanners -> −1 (policy `label`), down to info
 * (`noise`) or +1 (`block`). `skipCidrScanners` leaves out scanners matched by address block, whose −1 the
 * per-packet explanation already counts.
 */
export function contextSteps(
  severity: number,
  contexts: (AddressContext & { ip: string })[],
  policy: ResearchScannerPolicy,
  skipCidrScanners = false,
): ContextAdjustment[] {
  if (contexts.length === 0) return [];
  const allowed = contexts.filter((c) => c.list?.kind === 'allow');
  const denied = contexts.find((c) => c.list?.kind === 'deny');
  if (denied?.list)
    return [
      {
        delta: 1,
        text: tBoth('context.reason.denyList', { ip: denied.ip, where: denied.list.where }),
      },
    ];
  if (allowed.length === contexts.length) {
    const first = allowed[0]!;
    return [
      {
        delta: Math.min(0, 1 - severity),
        text: tBoth('context.reason.allowList', { ip: first.ip, where: first.list!.where }),
      },
    ];
  }
  const scanners = contexts.map((c) => c.scanner);
  if (scanners.every((s) => s !== undefined)) {
    const first = scanners[0]!;
    if (skipCidrScanners && policy === 'label' && first.by === 'cidr') return [];
    const name = first.name;
    if (policy === 'noise')
      return [{ delta: Math.min(0, 1 - severity), text: tBoth('context.reason.researchNoise', { name }) }];
    if (policy === 'block') return [{ delta: 1, text: tBoth('context.reason.researchBlock', { name }) }];
    return [{ delta: -1, text: tBoth('context.reason.researchScanner', { name }) }];
  }
  return [];
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
