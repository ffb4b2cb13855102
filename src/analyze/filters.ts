// Event filters of `analyze` (--since/--until/--src/--dst/--port/--action/--min-severity): parsed once, applied right after parsing.
import ipaddr from 'ipaddr.js';
import type { EventAction, FwEvent } from '../event.js';
import type { MessageKey, MessageVars } from '../i18n.js';
import { wordTable } from '../util/word-table.js';

/** A filter value the user must fix, with the message key that says why in either language. */
export class FilterError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly vars: MessageVars,
  ) {
    super(`${key} ${JSON.stringify(vars)}`);
  }
}

/** Severity names accepted wherever a severity is asked for, mapped to the 1-5 scale. */
export const SEVERITY_NAMES: Record<string, 1 | 2 | 3 | 4 | 5> = wordTable({
  info: 1,
  low: 2,
  medium: 3,
  high: 4,
  critical: 5,
});

/** The filters as typed on the command line (all optional, comma-separated lists allowed). */
export interface FilterFlags {
  since?: string;
  until?: string;
  src?: string;
  dst?: string;
  port?: string;
  action?: string;
  minSeverity?: string;
}

/** Filters after parsing: times in epoch ms, networks, port ranges, actions, minimum severity. */
export interface EventFilter {
  since?: number;
  until?: number;
  src?: Cidr[];
  dst?: Cidr[];
  ports?: [number, number][];
  actions?: EventAction[];
  minSeverity?: number;
  /** The filters as the user wrote them, for the report ("--src 192.0.2.0/24 --port 22"). */
  described: string[];
}

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

const AGE_UNITS: Record<string, number> = wordTable({
  s: 1e3,
  m: 60e3,
  h: 3600e3,
  d: 86400e3,
  w: 7 * 86400e3,
});

/** Read `2024-05-01T10:00:00Z`, `2024-05-01` or an age like `24h` / `7d` (before `now`) into epoch ms. */
export function parseTimeBound(name: string, value: string, now: number): number {
  const age = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(value.trim());
  // An age longer than time itself (`--since 99999999999d`: "everything") is the earliest time a date can hold.
  if (age) return Math.max(EARLIEST_MS, now - Number(age[1]) * AGE_UNITS[age[2]!.toLowerCase()]!);
  // A date or date-time with a digit-led form only: Date.parse accepts too much prose otherwise.
  const date = /^(\d{4}-\d{2}-\d{2})([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(value.trim());
  if (date) {
    const t = Date.parse(value.trim().replace(' ', 'T'));
    // A day the month does not have (2026-02-30) is no date, though Date.parse may roll it into the next month.
    if (!Number.isNaN(t) && new Date(Date.parse(date[1]!)).toISOString().slice(0, 10) === date[1]) return t;
  }
  throw new FilterError('cli.usage.time', { name, value });
}

/** The earliest instant a JavaScript date holds (-271821-04-20): what an age beyond it means. */
const EARLIEST_MS = -8.64e15;

/** Read a comma-separated list of IP addresses and CIDR networks. */
export function parseNetworks(name: string, value: string): Cidr[] {
  return value.split(',').map((part) => {
    const p = part.trim();
    try {
      if (p.includes('/')) return ipaddr.parseCIDR(p);
      const addr = ipaddr.parse(p);
      return [addr, addr.kind() === 'ipv4' ? 32 : 128] as Cidr;
    } catch {
      throw new FilterError('cli.usage.address', { name, value: p });
    }
  });
}

/** Read `22,80,8000-8100` into inclusive ranges. */
export function parsePorts(value: string): [number, number][] {
  return value.split(',').map((part) => {
    const m = /^\s*(\d{1,5})(?:\s*-\s*(\d{1,5}))?\s*$/.exec(part);
    const lo = Number(m?.[1]);
    const hi = m?.[2] === undefined ? lo : Number(m[2]);
    if (!m || lo > 65535 || hi > 65535 || hi < lo) throw new FilterError('cli.usage.port', { value: part });
    return [lo, hi];
  });
}

/** Read 1-5 or a severity name. */
export function parseSeverity(name: string, value: string): 1 | 2 | 3 | 4 | 5 {
  const v = value.trim().toLowerCase();
  if (/^[1-5]$/.test(v)) return Number(v) as 1 | 2 | 3 | 4 | 5;
  const named = SEVERITY_NAMES[v];
  if (named) return named;
  throw new FilterError('cli.usage.severity', { name, value });
}

const ACTIONS: readonly EventAction[] = ['allow', 'deny', 'reject', 'log'];

/** Parse every filter flag; throws FilterError naming the first bad value. `now` anchors ages like 24h. */
export function parseFilters(flags: FilterFlags, now: number = Date.now()): EventFilter {
  const f: EventFilter = { described: [] };
  if (flags.since !== undefined) {
    f.since = parseTimeBound('--since', flags.since, now);
    f.described.push(`--since ${flags.since}`);
  }
  if (flags.until !== undefined) {
    f.until = parseTimeBound('--until', flags.until, now);
    f.described.push(`--until ${flags.until}`);
  }
  if (flags.src !== undefined) {
    f.src = parseNetworks('--src', flags.src);
    f.described.push(`--src ${flags.src}`);
  }
  if (flags.dst !== undefined) {
    f.dst = parseNetworks('--dst', flags.dst);
    f.described.push(`--dst ${flags.dst}`);
  }
  if (flags.port !== undefined) {
    f.ports = parsePorts(flags.port);
    f.described.push(`--port ${flags.port}`);
  }
  if (flags.action !== undefined) {
    const actions = flags.action.split(',').map((a) => a.trim().toLowerCase());
    const bad = actions.find((a) => !ACTIONS.includes(a as EventAction));
    if (bad !== undefined) throw new FilterError('cli.usage.action', { value: bad });
    f.actions = actions as EventAction[];
    f.described.push(`--action ${flags.action}`);
  }
  if (flags.minSeverity !== undefined) {
    f.minSeverity = parseSeverity('--min-severity', flags.minSeverity);
    f.described.push(`--min-severity ${flags.minSeverity}`);
  }
  return f;
}

/** True when no filter was given (the fast path: nothing to check per event). */
export function isEmptyFilter(f: EventFilter): boolean {
  return f.described.length === 0;
}

function inNetworks(ip: string | undefined, nets: Cidr[]): boolean {
  if (ip === undefined || !ipaddr.isValid(ip)) return false;
  let addr = ipaddr.parse(ip);
  // An IPv4-mapped IPv6 address (::ffff:192.0.2.1) matches IPv4 networks too.
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress())
    addr = (addr as ipaddr.IPv6).toIPv4Address();
  return nets.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits));
}

/**
 * Build the per-event test. Events without the field a filter asks about (no time, no port) do not
 * match: a filter the event cannot satisfy leaves it out, and the report counts it.
 */
export function eventMatcher(f: EventFilter, severityOf: (ev: FwEvent) => number): (ev: FwEvent) => boolean {
  return (ev) => {
    if (f.since !== undefined && (ev.timestamp === undefined || ev.timestamp < f.since)) return false;
    if (f.until !== undefined && (ev.timestamp === undefined || ev.timestamp >= f.until)) return false;
    if (f.actions && !f.actions.includes(ev.action)) return false;
    if (f.ports) {
      const p = ev.destinationPort;
      if (p === undefined || !f.ports.some(([lo, hi]) => p >= lo && p <= hi)) return false;
    }
    if (f.src && !inNetworks(ev.sourceIp, f.src)) return false;
    if (f.dst && !inNetworks(ev.destinationIp, f.dst)) return false;
    if (f.minSeverity !== undefined && severityOf(ev) < f.minSeverity) return false;
    return true;
  };
}
