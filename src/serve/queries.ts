// What the serve console asks of a store, beside the `Store` interface: views of events under typed filters.
import type { Finding } from '../detect/index.js';
import type { FwEvent } from '../event.js';
import { type Message, type MessageKey, type MessageVars, tBoth } from '../i18n.js';
import { type AddressMatch, addressMatch, unmappedAddress } from '../net/ip.js';

/** Fields a filter chip can pivot on. */
export const FILTER_FIELDS = ['src', 'dst', 'port', 'rule', 'action'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

/** What the firewall did (the store's action ENUM). */
export const ACTION_VALUES = ['allow', 'deny', 'reject', 'log'] as const;
export type ActionValue = (typeof ACTION_VALUES)[number];

/** An address filter value, parsed: an IPv4 range (one address or a CIDR) or one canonical IPv6 address. */
export type AddressValue = AddressMatch;

/** One validated filter ("is" or, with `not`, "is not"); `text` is its canonical form, as the page shows it. */
export type Filter = { not: boolean; text: string } & (
  | { field: 'src' | 'dst'; address: AddressValue }
  | { field: 'port'; port: number; transport?: string }
  | { field: 'rule'; rule: string }
  | { field: 'action'; action: ActionValue }
);

/** The view the console shows: a time range (epoch ms, `from` inclusive, `to` exclusive) and filter chips. */
export interface View {
  from?: number;
  to?: number;
  filters: Filter[];
}

/** Most filter chips one view may hold. */
export const MAX_FILTERS = 32;

/** Longest filter value accepted, in characters (a rule name; addresses are far shorter). */
export const MAX_FILTER_VALUE = 256;

/** A request that names a filter, time or page the console cannot use: one sentence, both languages. */
export class ViewError extends Error {
  readonly text: Message;
  constructor(key: MessageKey, vars?: MessageVars) {
    const text = tBoth(key, vars);
    super(text.en);
    this.text = text;
  }
}

/** Parse one chip as written in a URL: `src:203.0.113.7`, `!port:22/tcp`, `rule:UFW BLOCK`, `action:deny`. */
export function parseFilter(raw: string): Filter {
  const not = raw.startsWith('!');
  const body = not ? raw.slice(1) : raw;
  const colon = body.indexOf(':');
  const field = body.slice(0, colon);
  const value = body.slice(colon + 1);
  if (colon < 0 || !(FILTER_FIELDS as readonly string[]).includes(field))
    throw new ViewError('serve.view.filter', { fields: FILTER_FIELDS.join(', ') });
  if (value === '' || value.length > MAX_FILTER_VALUE)
    throw new ViewError('serve.view.filterLength', { max: MAX_FILTER_VALUE });
  switch (field as FilterField) {
    case 'src':
    case 'dst': {
      // `::ffff:203.0.113.7` means the IPv4 source, as `query ip` reads it; its chip then says so.
      const ip = unmappedAddress(value);
      const address = parseAddress(ip);
      const text = address.kind === 'v4' ? ip : address.text;
      return { field: field as 'src' | 'dst', not, address, text };
    }
    case 'port': {
      const m = /^(\d{1,5})(?:\/([a-z0-9-]{1,16}))?$/.exec(value);
      const port = m ? Number(m[1]) : -1;
      if (!m || port > 65535) throw new ViewError('serve.view.port');
      return { field: 'port', not, port, ...(m[2] ? { transport: m[2] } : {}), text: value };
    }
    case 'rule':
      return { field: 'rule', not, rule: value, text: value };
    case 'action':
      if (!(ACTION_VALUES as readonly string[]).includes(value))
        throw new ViewError('serve.view.oneOf', { name: 'action', values: ACTION_VALUES.join(', ') });
      return { field: 'action', not, action: value as ActionValue, text: value };
  }
}

/** An address or IPv4 CIDR as numbers (IPv4) or canonical text (IPv6); anything else is refused. */
export function parseAddress(value: string): AddressValue {
  const match = addressMatch(value);
  if (match === null) throw new ViewError('serve.view.address');
  return match;
}

/** A time in epoch ms from a URL parameter (digits only), or undefined when absent. */
function parseTime(name: string, value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  if (!/^-?\d{1,15}$/.test(value)) throw new ViewError('serve.view.time', { name });
  return Number(value);
}

/** The view of a request's query: `from`, `to` and repeated `f` chips. */
export function parseView(params: URLSearchParams): View {
  const from = parseTime('from', params.get('from'));
  const to = parseTime('to', params.get('to'));
  if (from !== undefined && to !== undefined && to <= from) throw new ViewError('serve.view.order');
  const chips = params.getAll('f');
  if (chips.length > MAX_FILTERS) throw new ViewError('serve.view.tooMany', { max: MAX_FILTERS });
  return {
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    filters: chips.map(parseFilter),
  };
}

/** One event as a row of the console's table and of its exports. */
export interface EventRow {
  /** Input id and line number: where the event came from, and how the page asks for its explanation. */
  input: number;
  line: number;
  time?: number;
  action: string;
  direction: string;
  transport?: string;
  src?: string;
  srcPort?: number;
  dst?: string;
  dstPort?: number;
  rule?: string;
  prefix?: string;
  host?: string;
  format: string;
  file?: string;
}

/** Events over time: counts per action in equal buckets from `start`. */
export interface Timeline {
  start?: number;
  bucketMs: number;
  /** Counts per action (`deny`, `allow` ...), one per bucket. */
  series: Record<string, number[]>;
  /** Every event of the view (those without a time included). */
  events: number;
  first?: number;
  last?: number;
}

/** Keys the top lists rank by. */
export const TOP_FIELDS = ['src', 'dst', 'port', 'rule'] as const;
export type TopField = (typeof TOP_FIELDS)[number];

/** One row of a top list: the key as a filter value takes it (`203.0.113.7`, `22/tcp`, a rule name). */
export interface TopRow {
  key: string;
  count: number;
}

/** Unparsed lines, a page of them and how many there are. */
export interface UnparsedPage {
  total: number;
  rows: { file?: string; line: number; kind: string; reason: string; text: string }[];
}

/** What the whole store holds: every event's time span and count. */
export interface StoreSpan {
  events: number;
  first?: number;
  last?: number;
  findings: number;
  unparsed: number;
}

/**
 * The queries of the serve console. Each answers with one or two aggregate queries, so a view of a
 * 10 M-event store answers in well under a second; filters are typed values, never SQL text.
 */
export interface ConsoleQueries {
  span(): Promise<StoreSpan>;
  /**
   * Parts whose summaries a stopped run left unwritten (the embedded store): the top lists from the summaries
   * leave their events out until the next ingest. Absent: the store keeps none pending.
   */
  pendingSummaries?(): Promise<number>;
  timeline(view: View, maxBuckets: number): Promise<Timeline>;
  top(view: View, by: TopField, limit: number): Promise<TopRow[]>;
  /** A page of the view's events, newest first. */
  events(view: View, offset: number, limit: number): Promise<EventRow[]>;
  /** One whole event (for its explanation), by input id and line. */
  event(input: number, line: number): Promise<FwEvent | undefined>;
  /** Findings overlapping the view's time range and matching its address/port chips, earliest first. */
  findings(view: View, limit: number): Promise<{ total: number; findings: Finding[] }>;
  unparsed(offset: number, limit: number): Promise<UnparsedPage>;
  /** How many events the view holds (for the export's row count). */
  count(view: View): Promise<number>;
  /** The view's events newest first, at most `limit`, streamed. */
  exportRows(view: View, limit: number): AsyncIterable<EventRow>;
  /**
   * What the answers depend on (changes when another process wrote the store): kept answers of another
   * generation are dropped. Absent: the store cannot change while the console runs.
   */
  generation?(): string;
  close(): Promise<void>;
}
