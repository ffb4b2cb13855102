// Aggregates events into the summary a person acts on: span, counts, top talkers and ports, notable events.
import type { FwEvent } from '../event.js';
import { exactIpText, ipv4TextLength, ipv4Value } from '../net/ip.js';
import { protoPortText } from '../util/port-text.js';
import { detach, keptLine, MAX_KEPT_LINE_CHARS } from '../util/strings.js';
import {
  NETWORK_SLOTS,
  NetworkCounter,
  type NetworkStat,
  type SourcePortHeatMap,
  type Timeline,
  TimelineCounter,
} from './charts.js';
import { type CountItem, CountTable } from './count-table.js';
import { DistinctCounter } from './distinct.js';
import { KeyTally } from './key-tally.js';

export type { NetworkStat, SourcePortHeatMap, Timeline };

/** Slots for distinct source addresses; beyond it counts become bounded estimates (see CountTable). */
export const SOURCE_SLOTS = 32_768;
/** Distinct destination ports remembered per source before the count saturates. */
export const PORTS_PER_SOURCE = 256;
/** Candidate notable event shapes kept; the report shows the top few. */
export const NOTABLE_SLOTS = 2_000;
/** Notable events listed in a report. */
export const NOTABLE_SHOWN = 10;

/** A source address and what it did. */
export interface SourceStat {
  ip: string;
  events: number;
  /** Distinct destination ports, saturating at PORTS_PER_SOURCE. */
  distinctPorts: number;
  maxSeverity: number;
  firstSeen?: number;
  lastSeen?: number;
}

/** A destination port (or ICMP type) and how often it was hit. */
export interface PortStat {
  /** `tcp/31337`, `udp/137`, `icmp/8`, `ipv6-icmp/128`, or the bare transport for port-less protocols. */
  key: string;
  transport: string;
  port?: number;
  events: number;
  /**
   * Distinct sources that sent to it: exact up to SOURCES_PER_PORT, then a HyperLogLog estimate, never more
   * than the port's events or the log's distinct sources.
   */
  distinctSources: number;
  /** False when `distinctSources` is an estimate. */
  sourcesExact: boolean;
  maxSeverity: number;
}

/** A notable event: the highest-severity shapes in the log, one sample each. */
export interface NotableEvent {
  severity: number;
  /** How many events shared this shape (transport, destination port, direction, severity). */
  count: number;
  /**
   * From how many distinct sources those events came (exact up to SOURCES_PER_PORT, then estimated and never
   * above `count`): the sample names one source, the count is of every source's events.
   */
  sources: number;
  event: FwEvent;
  raw: string;
}

/** A notable shape while it is counted: its sample and the distinct sources of its events. */
interface NotableState {
  severity: number;
  count: number;
  senders: DistinctCounter;
  event: FwEvent;
  raw: string;
}

/** Everything `analyze` reports, before rendering. */
export interface Summary {
  events: number;
  firstSeen?: number;
  lastSeen?: number;
  /** Events without a usable timestamp. */
  untimed: number;
  byAction: Record<string, number>;
  byTransport: Record<string, number>;
  byDirection: Record<string, number>;
  byFormat: Record<string, number>;
  byProduct: Record<string, number>;
  bySeverity: Record<string, number>;
  /**
   * Distinct transport names and products beyond the first TALLY_KEYS of each (names a log line chose),
   * counted together under `(other)`; absent when none was folded.
   */
  foldedKeys?: { byTransport?: number; byProduct?: number };
  distinctSources: number;
  /** False when the number of distinct sources exceeded SOURCE_SLOTS and source counts are estimates. */
  sourcesExact: boolean;
  topSources: SourceStat[];
  topPorts: PortStat[];
  notable: NotableEvent[];
  /** Events over event time by action, in at most MAX_TIME_BUCKETS buckets. */
  timeline: Timeline;
  /** Events per (top source, top destination port) pair. */
  heatmap: SourcePortHeatMap;
  /** Busiest source networks (IPv4 /24 and /16, IPv6 /48 and /32). */
  networks: { narrow: NetworkStat[]; wide: NetworkStat[]; exact: boolean };
}

/**
 * What is remembered about one tracked source (kept with its CountTable slot, dropped with it).
 * The first destination is held inline: most sources in a firewall log are one-shot, and a Map
 * per source would cost more than the rest of the summary together.
 */
interface SourceState {
  firstPortKey: string;
  firstPortEvents: number;
  /** Port key -> events, once a second port appears (at most PORTS_PER_SOURCE keys). */
  ports: Map<string, number> | undefined;
  maxSeverity: number;
  firstSeen?: number;
  lastSeen?: number;
}

/** A tracked source's address text (an integer key is a canonical IPv4 address). */
function ipOf(item: CountItem<SourceState>): string {
  return exactIpText(item.key);
}

function distinctPorts(st: SourceState): number {
  return st.ports ? st.ports.size : 1;
}

function portEvents(st: SourceState, key: string): number {
  return st.ports ? (st.ports.get(key) ?? 0) : st.firstPortKey === key ? st.firstPortEvents : 0;
}

interface PortState {
  transport: string;
  port?: number;
  sources: DistinctCounter;
  maxSeverity: number;
}

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

/** Rows and columns of the source x port heat map. */
export const HEATMAP_SIDE = 20;
/** Networks listed per prefix length. */
export const NETWORKS_SHOWN = 15;

/** Distinct sources counted exactly per port; past it a 1 KiB HyperLogLog estimates. */
export const SOURCES_PER_PORT = 64;
/** Slots for distinct destination ports (port keys per transport); beyond it counts become bounded estimates. */
export const PORT_SLOTS = 32_768;

/** Notable events one source may fill in a report, so a single scan does not crowd out the rest. */
export const NOTABLE_PER_SOURCE = 2;

/** The first NOTABLE_SHOWN events of a sorted list, at most NOTABLE_PER_SOURCE per source address. */
function pickDiverse(sorted: NotableEvent[]): NotableEvent[] {
  const perSource = new Map<string, number>();
  const out: NotableEvent[] = [];
  for (const n of sorted) {
    const src = n.event.sourceIp ?? '-';
    const used = perSource.get(src) ?? 0;
    if (used >= NOTABLE_PER_SOURCE) continue;
    perSource.set(src, used + 1);
    out.push(n);
    if (out.length >= NOTABLE_SHOWN) break;
  }
  return out;
}

/** A SummaryBuilder's state as posted between threads (opaque: only `SummaryBuilder.revive` reads it). */
export type SummarySnapshot = { readonly __summarySnapshot: unique symbol };

/** Severity scores as table keys, without a String() per event. */
const SEVERITY_TEXT = ['0', '1', '2', '3', '4', '5'];

/** True when event a came before event b in the input (time, then line). */
function earlier(a: FwEvent, b: FwEvent): boolean {
  const ta = a.timestamp ?? 0;
  const tb = b.timestamp ?? 0;
  return ta !== tb ? ta < tb : (a.line ?? 0) < (b.line ?? 0);
}

/** Incrementally builds a Summary; memory is bounded by the SLOTS constants above. */
export class SummaryBuilder {
  private events = 0;
  private untimed = 0;
  private firstSeen: number | undefined;
  private lastSeen: number | undefined;
  private readonly byAction: Record<string, number> = {};
  /** Bounded: a netfilter PROTO= or a CSV column may name any transport. */
  private readonly byTransport = new KeyTally();
  private readonly byDirection: Record<string, number> = {};
  private readonly byFormat: Record<string, number> = {};
  /** Bounded: the CEF/LEEF vendor and product are the line's own text. */
  private readonly byProduct = new KeyTally();
  private readonly bySeverity: Record<string, number> = {};
  /** Sources: a canonical IPv4 address under its integer, anything else under its text. */
  private readonly sources: CountTable<SourceState>;
  private readonly distinctSources: DistinctCounter;
  private readonly ports: CountTable<PortState>;
  private readonly notable = new Map<string, NotableState>();
  private notableFloor = 0;
  private readonly timeline = new TimelineCounter();
  private readonly networks: NetworkCounter;

  /**
   * @param severity scores one event 1-5 (the explain module's fast path).
   * @param shardCount when this builder sees one of that many shards of the sources, its source table
   *   gets that share of SOURCE_SLOTS (the merged builder gets them all).
   */
  constructor(
    private readonly severity: (ev: FwEvent) => number,
    shardCount = 1,
  ) {
    this.sources = new CountTable<SourceState>(Math.ceil(SOURCE_SLOTS / shardCount), detach);
    this.distinctSources = new DistinctCounter(Math.ceil(SOURCE_SLOTS / shardCount), 14);
    this.ports = new CountTable<PortState>(Math.ceil(PORT_SLOTS / shardCount));
    this.networks = new NetworkCounter(Math.ceil(NETWORK_SLOTS / shardCount));
  }

  /** Count one event. */
  add(ev: FwEvent, raw: string): void {
    this.events++;
    const sev = this.severity(ev);
    const t = ev.timestamp;
    if (t === undefined) this.untimed++;
    else {
      if (this.firstSeen === undefined || t < this.firstSeen) this.firstSeen = t;
      if (this.lastSeen === undefined || t > this.lastSeen) this.lastSeen = t;
    }
    bump(this.byAction, ev.action);
    this.byTransport.add(ev.transport ?? 'unknown');
    bump(this.byDirection, ev.direction);
    bump(this.byFormat, ev.format);
    if (ev.observerProduct) this.byProduct.add(ev.observerProduct);
    bump(this.bySeverity, SEVERITY_TEXT[sev] ?? String(sev));
    if (t !== undefined) this.timeline.add(t, ev.action);

    const transport = ev.transport ?? 'unknown';
    const portNo =
      ev.destinationPort ?? (transport === 'icmp' || transport === 'ipv6-icmp' ? ev.icmpType : undefined);
    const key = portNo === undefined ? transport : protoPortText(transport, portNo);

    const src = ev.sourceIp;
    let srcKey: number | string | undefined;
    if (src !== undefined) {
      const v4 = ipv4Value(src);
      // As `ipKey`: an IPv4 address as a (small, signed) integer, anything else as its text.
      srcKey = v4 >= 0 ? v4 | 0 : src;
      this.distinctSources.add(srcKey);
      // The source table by the same integer while the text is the canonical form of it (one text, one key).
      const slot =
        v4 >= 0 && src.length === ipv4TextLength(v4)
          ? this.sources.addInt(v4 | 0)
          : this.sources.addText(src);
      this.trackSource(slot, key, sev, t);
      this.networks.add(src, v4);
    }

    const portSlot = this.ports.addText(key);
    let ps = this.ports.data[portSlot];
    if (!ps) {
      ps = {
        transport,
        port: portNo,
        sources: new DistinctCounter(SOURCES_PER_PORT, 10),
        maxSeverity: 0,
      };
      this.ports.data[portSlot] = ps;
    }
    if (srcKey !== undefined) ps.sources.add(srcKey);
    if (sev > ps.maxSeverity) ps.maxSeverity = sev;

    if (sev >= 3 && sev >= this.notableFloor)
      this.addNotable(ev, raw, sev, `${key}|${ev.direction}|${sev}`, srcKey);
  }

  private trackSource(slot: number, portKey: string, sev: number, t: number | undefined): void {
    let st = this.sources.data[slot];
    if (!st) {
      st = {
        firstPortKey: portKey,
        firstPortEvents: 1,
        ports: undefined,
        maxSeverity: sev,
        firstSeen: t,
        lastSeen: t,
      };
      this.sources.data[slot] = st;
      return;
    }
    if (st.ports) {
      const n = st.ports.get(portKey);
      if (n !== undefined) st.ports.set(portKey, n + 1);
      else if (st.ports.size < PORTS_PER_SOURCE) st.ports.set(portKey, 1);
    } else if (st.firstPortKey === portKey) st.firstPortEvents++;
    else
      st.ports = new Map([
        [st.firstPortKey, st.firstPortEvents],
        [portKey, 1],
      ]);
    if (sev > st.maxSeverity) st.maxSeverity = sev;
    if (t !== undefined) {
      if (st.firstSeen === undefined || t < st.firstSeen) st.firstSeen = t;
      if (st.lastSeen === undefined || t > st.lastSeen) st.lastSeen = t;
    }
  }

  /** Cells of the source x port heat map, read from the tracked sources' own port counts. */
  private heatmap(): SourcePortHeatMap {
    const rows = this.sources.top(HEATMAP_SIDE, ipOf);
    const ports = this.ports.top(HEATMAP_SIDE).map((p) => String(p.key));
    const cells: [number, number, number][] = [];
    const otherPorts = rows.map((row, si) => {
      let shown = 0;
      ports.forEach((p, pi) => {
        const n = row.data ? portEvents(row.data, p) : 0;
        if (n) {
          cells.push([si, pi, n]);
          shown += n;
        }
      });
      return Math.max(0, row.count - shown);
    });
    return { sources: rows.map(ipOf), ports, cells, otherPorts, exact: this.sources.exact };
  }

  private addNotable(
    ev: FwEvent,
    raw: string,
    sev: number,
    shape: string,
    srcKey: number | string | undefined,
  ): void {
    const hit = this.notable.get(shape);
    if (hit) {
      hit.count++;
      if (srcKey !== undefined) hit.senders.add(srcKey);
      return;
    }
    const senders = new DistinctCounter(SOURCES_PER_PORT, 10);
    if (srcKey !== undefined) senders.add(srcKey);
    // A long line is cut, and its event copied (its texts may be cut from the line and keep it alive).
    if (raw.length > MAX_KEPT_LINE_CHARS)
      this.notable.set(shape, {
        severity: sev,
        count: 1,
        senders,
        event: structuredClone(ev),
        raw: keptLine(raw),
      });
    else this.notable.set(shape, { severity: sev, count: 1, senders, event: ev, raw });
    if (this.notable.size > NOTABLE_SLOTS) this.shrinkNotable();
  }

  /**
   * Keep the notable table bounded in one O(n) pass: drop every shape of the lowest severity present
   * and stop accepting that severity; if all are at the top severity, drop the older half.
   * (Re-sorting on every insert once full made this quadratic.)
   */
  private shrinkNotable(): void {
    let min = 6;
    for (const v of this.notable.values()) if (v.severity < min) min = v.severity;
    if (min < 5) {
      for (const [k, v] of this.notable) if (v.severity === min) this.notable.delete(k);
      this.notableFloor = min + 1;
      return;
    }
    let drop = Math.floor(this.notable.size / 2);
    for (const k of [...this.notable.keys()]) {
      if (drop-- <= 0) break;
      this.notable.delete(k);
    }
  }

  /**
   * Add another builder's counts (another shard of the sources, possibly built in another thread).
   * Merging the same shards in the same order gives the same summary whichever threads built them.
   */
  absorb(other: SummaryBuilder): void {
    this.events += other.events;
    this.untimed += other.untimed;
    if (other.firstSeen !== undefined && (this.firstSeen === undefined || other.firstSeen < this.firstSeen))
      this.firstSeen = other.firstSeen;
    if (other.lastSeen !== undefined && (this.lastSeen === undefined || other.lastSeen > this.lastSeen))
      this.lastSeen = other.lastSeen;
    for (const [mine, theirs] of [
      [this.byAction, other.byAction],
      [this.byDirection, other.byDirection],
      [this.byFormat, other.byFormat],
      [this.bySeverity, other.bySeverity],
    ] as const)
      for (const k in theirs) mine[k] = (mine[k] ?? 0) + theirs[k]!;
    this.byTransport.absorb(other.byTransport);
    this.byProduct.absorb(other.byProduct);
    this.sources.absorb(other.sources, (a, b) => a ?? b);
    this.distinctSources.absorb(other.distinctSources);
    this.ports.absorb(other.ports, (mine, theirs) => {
      if (!mine || !theirs) return mine ?? theirs;
      mine.sources.absorb(theirs.sources);
      if (theirs.maxSeverity > mine.maxSeverity) mine.maxSeverity = theirs.maxSeverity;
      return mine;
    });
    if (other.notableFloor > this.notableFloor) this.notableFloor = other.notableFloor;
    for (const [shape, theirs] of other.notable) {
      if (theirs.severity < this.notableFloor) continue;
      const mine = this.notable.get(shape);
      if (!mine) {
        this.notable.set(shape, theirs);
        if (this.notable.size > NOTABLE_SLOTS) this.shrinkNotable();
        continue;
      }
      mine.count += theirs.count;
      mine.senders.absorb(theirs.senders);
      // The sample is the earliest event of the shape, as a single pass would have kept.
      if (earlier(theirs.event, mine.event)) {
        mine.event = theirs.event;
        mine.raw = theirs.raw;
      }
    }
    this.timeline.absorb(other.timeline);
    this.networks.absorb(other.networks);
  }

  /** The builder's state as plain data a worker thread can post (structured clone); see `revive`. */
  snapshot(): SummarySnapshot {
    // Functions do not cross threads: the severity scorer and the source table's key hook are set again by revive.
    return {
      ...this,
      severity: undefined,
      sources: { ...this.sources, keep: undefined },
    } as unknown as SummarySnapshot;
  }

  /** Rebuild a builder from a snapshot posted by a worker thread. */
  static revive(snap: SummarySnapshot, severity: (ev: FwEvent) => number): SummaryBuilder {
    const b = Object.create(SummaryBuilder.prototype) as SummaryBuilder;
    Object.assign(b, snap, { severity });
    CountTable.revive(b.sources).keep = detach;
    DistinctCounter.revive(b.distinctSources);
    CountTable.revive(b.ports);
    KeyTally.revive(b.byTransport);
    KeyTally.revive(b.byProduct);
    for (const item of b.ports.items()) if (item.data) DistinctCounter.revive(item.data.sources);
    for (const n of b.notable.values()) DistinctCounter.revive(n.senders);
    TimelineCounter.revive(b.timeline);
    NetworkCounter.revive(b.networks);
    return b;
  }

  /**
   * Up to `limit` tracked sources with their event counts, most events first: what per-address context
   * (organisations, countries) is aggregated over, once per distinct address rather than per event.
   */
  sourceCounts(limit = SOURCE_SLOTS): { ip: string; events: number }[] {
    return this.sources.top(limit, ipOf).map((item) => ({ ip: ipOf(item), events: item.count }));
  }

  /** The summary so far; `topN` rows per table. */
  result(topN = 10): Summary {
    const allSources = this.distinctSources.size;
    const topSources: SourceStat[] = this.sources.top(topN, ipOf).map((item) => {
      const st = item.data;
      return {
        ip: ipOf(item),
        events: item.count,
        distinctPorts: st ? distinctPorts(st) : 0,
        maxSeverity: st?.maxSeverity ?? 0,
        firstSeen: st?.firstSeen,
        lastSeen: st?.lastSeen,
      };
    });
    const topPorts: PortStat[] = this.ports.top(topN).map(({ key, count, data: p }) => ({
      key: String(key),
      transport: p!.transport,
      port: p!.port,
      events: count,
      // An estimate can land above what it counts: no port has more sources than events or than the log.
      distinctSources: p!.sources.exact ? p!.sources.size : Math.min(p!.sources.size, count, allSources),
      sourcesExact: p!.sources.exact,
      maxSeverity: p!.maxSeverity,
    }));
    const notable = pickDiverse(
      [...this.notable.values()]
        .map(({ severity, count, senders, event, raw }) => ({
          severity,
          count,
          sources: senders.exact ? senders.size : Math.min(senders.size, count, allSources),
          event,
          raw,
        }))
        .sort(
          (a, b) =>
            b.severity - a.severity ||
            b.count - a.count ||
            (a.event.timestamp ?? 0) - (b.event.timestamp ?? 0) ||
            (a.event.line ?? 0) - (b.event.line ?? 0),
        ),
    );
    return {
      events: this.events,
      firstSeen: this.firstSeen,
      lastSeen: this.lastSeen,
      untimed: this.untimed,
      byAction: this.byAction,
      byTransport: this.byTransport.record(),
      byDirection: this.byDirection,
      byFormat: this.byFormat,
      byProduct: this.byProduct.record(),
      bySeverity: this.bySeverity,
      ...(this.byTransport.foldedKeys || this.byProduct.foldedKeys
        ? {
            foldedKeys: {
              ...(this.byTransport.foldedKeys ? { byTransport: this.byTransport.foldedKeys } : {}),
              ...(this.byProduct.foldedKeys ? { byProduct: this.byProduct.foldedKeys } : {}),
            },
          }
        : {}),
      distinctSources: this.distinctSources.size,
      sourcesExact: this.distinctSources.exact && this.sources.exact,
      topSources,
      topPorts,
      notable,
      timeline: this.timeline.result(),
      heatmap: this.heatmap(),
      networks: this.networks.result(NETWORKS_SHOWN),
    };
  }
}
