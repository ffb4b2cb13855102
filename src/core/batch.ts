// Typed column batches: many events as one struct of typed arrays (the columnar core), a dictionary for their
// strings, the adapter from an FwEvent into a row and back.
import type { Direction, EventAction, FwEvent, InnerPacket, TcpFlag } from '../event.js';
import { canonicalIp, intToIpv4, ipv4Value } from '../net/ip.js';

/** Rows per batch: large enough that per-batch costs vanish, small enough to stay in cache-friendly sizes. */
export const BATCH_ROWS = 32_768;

/** Column value of an absent integer field. */
export const ABSENT = -1;

/** Address kinds in the `*Kind` columns. */
export enum AddrKind {
  None = 0,
  V4 = 4,
  /** The address column holds a dictionary id of the canonical IPv6 text. */
  V6 = 6,
}

/** Actions in the `action` column, in the order of `ACTIONS`. */
export const ACTIONS: readonly EventAction[] = ['allow', 'deny', 'reject', 'log'];
/** Directions in the `direction` column, in the order of `DIRECTIONS`. */
export const DIRECTIONS: readonly Direction[] = ['inbound', 'outbound', 'forward', 'unknown'];
/** TCP flags by bit in the `flags` column; a set flag is `1 << index`. The order is the kernel's. */
export const FLAG_BITS: readonly TcpFlag[] = ['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN'];

const ACTION_CODE = new Map(ACTIONS.map((a, i) => [a, i]));
const DIRECTION_CODE = new Map(DIRECTIONS.map((d, i) => [d, i]));
const FLAG_CODE = new Map(FLAG_BITS.map((f, i) => [f, 1 << i]));

/** Code of an action word for the `action` column. */
export function actionCode(a: EventAction): number {
  return ACTION_CODE.get(a)!;
}
/** Code of a direction for the `direction` column. */
export function directionCode(d: Direction): number {
  return DIRECTION_CODE.get(d)!;
}
/** Bit of one TCP flag word in the `flags` column. */
export function flagBit(f: TcpFlag): number {
  return FLAG_CODE.get(f)!;
}

/** The texts and characters after which a part's next batch starts a new dictionary (`Dictionary.full`). */
export const DICTIONARY_TEXTS = 100_000;
export const DICTIONARY_CHARS = 8 * 1024 * 1024;

/**
 * The strings of a run's columns (interfaces, hosts, rules, prefixes, MACs, IPv6 addresses, formats ...):
 * each distinct text once, numbered from 0 in order of first sight.
 */
export class Dictionary {
  private readonly ids = new Map<string, number>();
  /** The texts by id. */
  readonly texts: string[] = [];
  /** Characters of the texts. */
  chars = 0;

  /** Id of a text, adding it when new. */
  id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.texts.push(text);
      this.ids.set(text, id);
      this.chars += text.length;
    }
    return id;
  }

  /**
   * Whether the next batch should start a new dictionary (DICTIONARY_TEXTS, DICTIONARY_CHARS): a part's batches
   * share one while it is small, so a log of 900-character prefixes, all different, no longer keeps every one
   * of a 256 MB part (twice, with the reading thread's copy) until the part commits.
   */
  get full(): boolean {
    return this.texts.length >= DICTIONARY_TEXTS || this.chars >= DICTIONARY_CHARS;
  }

  /** Text of an id. */
  text(id: number): string {
    return this.texts[id]!;
  }

  get size(): number {
    return this.texts.length;
  }
}

/**
 * Fields kept outside the columns, per row, for the few events that have them (ICMP errors, owner match, alarms,
 * the start and end records of session logs, the traffic counts of flow and session records: a row that has
 * counts has a connection phase already, so they cost no object of their own, and packet logs no column).
 */
export type RareFields = Pick<
  FwEvent,
  | 'inner'
  | 'icmpMtu'
  | 'icmpGateway'
  | 'icmpParameter'
  | 'uid'
  | 'gid'
  | 'mark'
  | 'incompleteBytes'
  | 'alarmName'
  | 'flowTcpFlags'
  | 'connectionPhase'
  | 'sessionId'
  | 'sourcePackets'
  | 'sourceBytes'
  | 'destinationPackets'
  | 'destinationBytes'
  | 'networkBytes'
>;
const RARE_KEYS = [
  'inner',
  'icmpMtu',
  'icmpGateway',
  'icmpParameter',
  'uid',
  'gid',
  'mark',
  'incompleteBytes',
  'alarmName',
  'flowTcpFlags',
  'connectionPhase',
  'sessionId',
  'sourcePackets',
  'sourceBytes',
  'destinationPackets',
  'destinationBytes',
  'networkBytes',
] as const satisfies readonly (keyof RareFields)[];

/** Names of the typed-array columns of a batch. */
const COLUMN_NAMES = [
  'time',
  'format',
  'action',
  'direction',
  'transport',
  'ianaNumber',
  'ipVersion',
  'srcKind',
  'src',
  'dstKind',
  'dst',
  'sport',
  'dport',
  'srcMac',
  'dstMac',
  'inIf',
  'outIf',
  'rule',
  'prefix',
  'host',
  'product',
  'length_',
  'ttl',
  'ipId',
  'tos',
  'trafficClass',
  'flowLabel',
  'df',
  'mf',
  'fragOffset',
  'flags',
  'tcpSeq',
  'tcpAck',
  'tcpWindow',
  'icmpType',
  'icmpCode',
  'icmpId',
  'icmpSeq',
  'file',
  'line',
] as const;

/** The typed-array columns of a batch by name. */
export type BatchColumns = Pick<EventBatch, (typeof COLUMN_NAMES)[number]>;

/** The buffers of a batch's columns, to move them to another thread instead of copying them. */
export function columnBuffers(columns: BatchColumns): ArrayBuffer[] {
  return Object.values(columns).map((c) => (c as ArrayBufferView).buffer as ArrayBuffer);
}

/**
 * A batch of events as columns. Integer fields hold ABSENT (-1) when the event has no value; float fields
 * (time, 32-bit counters that may exceed int32) hold NaN. String fields hold dictionary ids or ABSENT.
 */
export class EventBatch {
  length = 0;
  readonly time: Float64Array;
  readonly format: Int32Array;
  readonly action: Uint8Array;
  readonly direction: Uint8Array;
  readonly transport: Int32Array;
  readonly ianaNumber: Int16Array;
  readonly ipVersion: Uint8Array;
  readonly srcKind: Uint8Array;
  readonly src: Uint32Array;
  readonly dstKind: Uint8Array;
  readonly dst: Uint32Array;
  readonly sport: Int32Array;
  readonly dport: Int32Array;
  readonly srcMac: Int32Array;
  readonly dstMac: Int32Array;
  readonly inIf: Int32Array;
  readonly outIf: Int32Array;
  readonly rule: Int32Array;
  readonly prefix: Int32Array;
  readonly host: Int32Array;
  readonly product: Int32Array;
  readonly length_: Int32Array;
  readonly ttl: Int16Array;
  readonly ipId: Float64Array;
  readonly tos: Int32Array;
  readonly trafficClass: Int16Array;
  readonly flowLabel: Int32Array;
  /** -1 absent, 0 false, 1 true. */
  readonly df: Int8Array;
  /** -1 absent, 0 false, 1 true. */
  readonly mf: Int8Array;
  readonly fragOffset: Int32Array;
  /** TCP flags as FLAG_BITS bits; ABSENT when the event carries no flag field (0: a TCP header without flags). */
  readonly flags: Int16Array;
  readonly tcpSeq: Float64Array;
  readonly tcpAck: Float64Array;
  readonly tcpWindow: Int32Array;
  readonly icmpType: Int16Array;
  readonly icmpCode: Int16Array;
  readonly icmpId: Float64Array;
  readonly icmpSeq: Int32Array;
  /** Input file id (index into the run's input list). */
  readonly file: Uint16Array;
  /** 1-based line number in its file. */
  readonly line: Float64Array;
  /** Rare fields by row. */
  readonly rare = new Map<number, RareFields>();

  constructor(
    readonly dict: Dictionary,
    readonly capacity = BATCH_ROWS,
    columns?: BatchColumns,
  ) {
    const n = capacity;
    this.time = columns?.time ?? new Float64Array(n);
    this.format = columns?.format ?? new Int32Array(n);
    this.action = columns?.action ?? new Uint8Array(n);
    this.direction = columns?.direction ?? new Uint8Array(n);
    this.transport = columns?.transport ?? new Int32Array(n);
    this.ianaNumber = columns?.ianaNumber ?? new Int16Array(n);
    this.ipVersion = columns?.ipVersion ?? new Uint8Array(n);
    this.srcKind = columns?.srcKind ?? new Uint8Array(n);
    this.src = columns?.src ?? new Uint32Array(n);
    this.dstKind = columns?.dstKind ?? new Uint8Array(n);
    this.dst = columns?.dst ?? new Uint32Array(n);
    this.sport = columns?.sport ?? new Int32Array(n);
    this.dport = columns?.dport ?? new Int32Array(n);
    this.srcMac = columns?.srcMac ?? new Int32Array(n);
    this.dstMac = columns?.dstMac ?? new Int32Array(n);
    this.inIf = columns?.inIf ?? new Int32Array(n);
    this.outIf = columns?.outIf ?? new Int32Array(n);
    this.rule = columns?.rule ?? new Int32Array(n);
    this.prefix = columns?.prefix ?? new Int32Array(n);
    this.host = columns?.host ?? new Int32Array(n);
    this.product = columns?.product ?? new Int32Array(n);
    this.length_ = columns?.length_ ?? new Int32Array(n);
    this.ttl = columns?.ttl ?? new Int16Array(n);
    this.ipId = columns?.ipId ?? new Float64Array(n);
    this.tos = columns?.tos ?? new Int32Array(n);
    this.trafficClass = columns?.trafficClass ?? new Int16Array(n);
    this.flowLabel = columns?.flowLabel ?? new Int32Array(n);
    this.df = columns?.df ?? new Int8Array(n);
    this.mf = columns?.mf ?? new Int8Array(n);
    this.fragOffset = columns?.fragOffset ?? new Int32Array(n);
    this.flags = columns?.flags ?? new Int16Array(n);
    this.tcpSeq = columns?.tcpSeq ?? new Float64Array(n);
    this.tcpAck = columns?.tcpAck ?? new Float64Array(n);
    this.tcpWindow = columns?.tcpWindow ?? new Int32Array(n);
    this.icmpType = columns?.icmpType ?? new Int16Array(n);
    this.icmpCode = columns?.icmpCode ?? new Int16Array(n);
    this.icmpId = columns?.icmpId ?? new Float64Array(n);
    this.icmpSeq = columns?.icmpSeq ?? new Int32Array(n);
    this.file = columns?.file ?? new Uint16Array(n);
    this.line = columns?.line ?? new Float64Array(n);
    if (!columns) this.reset(0, n);
  }

  /** The columns (each a typed array of `capacity` rows), to hand to another thread and back (`fromColumns`). */
  columnArrays(): BatchColumns {
    const out = {} as Record<string, unknown>;
    for (const name of COLUMN_NAMES) out[name] = this[name];
    return out as BatchColumns;
  }

  /** A batch over columns another thread filled (its dictionary's texts already in `dict`, same ids). */
  static fromColumns(
    dict: Dictionary,
    columns: BatchColumns,
    length: number,
    rare: [number, RareFields][],
  ): EventBatch {
    const batch = new EventBatch(dict, columns.time.length, columns);
    batch.length = length;
    for (const [r, fields] of rare) batch.rare.set(r, fields);
    return batch;
  }

  /** True when no row is free. */
  get full(): boolean {
    return this.length === this.capacity;
  }

  /** Every column with the value that means "absent" in it (rows past `length` always hold these). */
  private columns(): [{ fill(value: number, start?: number, end?: number): unknown }, number][] {
    return [
      [this.time, Number.NaN],
      [this.format, ABSENT],
      [this.action, 0],
      [this.direction, 3],
      [this.transport, ABSENT],
      [this.ianaNumber, ABSENT],
      [this.ipVersion, 0],
      [this.srcKind, AddrKind.None],
      [this.src, 0],
      [this.dstKind, AddrKind.None],
      [this.dst, 0],
      [this.sport, ABSENT],
      [this.dport, ABSENT],
      [this.srcMac, ABSENT],
      [this.dstMac, ABSENT],
      [this.inIf, ABSENT],
      [this.outIf, ABSENT],
      [this.rule, ABSENT],
      [this.prefix, ABSENT],
      [this.host, ABSENT],
      [this.product, ABSENT],
      [this.length_, ABSENT],
      [this.ttl, ABSENT],
      [this.ipId, Number.NaN],
      [this.tos, ABSENT],
      [this.trafficClass, ABSENT],
      [this.flowLabel, ABSENT],
      [this.df, ABSENT],
      [this.mf, ABSENT],
      [this.fragOffset, ABSENT],
      [this.flags, ABSENT],
      [this.tcpSeq, Number.NaN],
      [this.tcpAck, Number.NaN],
      [this.tcpWindow, ABSENT],
      [this.icmpType, ABSENT],
      [this.icmpCode, ABSENT],
      [this.icmpId, Number.NaN],
      [this.icmpSeq, ABSENT],
    ];
  }

  /** Put rows [from, to) back to "every field absent". */
  private reset(from: number, to: number): void {
    for (const [column, absent] of this.columns()) column.fill(absent, from, to);
  }

  /**
   * Start a row; returns its index. Every field of it is absent already (rows past `length` are kept
   * reset), so the caller writes only what the event has.
   */
  openRow(file: number, line: number): number {
    const r = this.length++;
    this.file[r] = file;
    this.line[r] = line;
    return r;
  }

  /** Take back the last row opened (a fast path that declined its line), every field absent again. */
  dropLastRow(): void {
    const r = --this.length;
    this.reset(r, r + 1);
    this.rare.delete(r);
  }

  /** Empty the batch for reuse (the dictionary stays). */
  clear(): void {
    this.reset(0, this.length);
    this.length = 0;
    this.rare.clear();
  }
}

/** Store an address in a row's kind/value columns (IPv6 and anything else as its canonical text's id). */
function putAddress(dict: Dictionary, kinds: Uint8Array, values: Uint32Array, r: number, ip: string): void {
  const v4 = ipv4Value(ip);
  if (v4 >= 0) {
    kinds[r] = AddrKind.V4;
    values[r] = v4;
    return;
  }
  kinds[r] = AddrKind.V6;
  values[r] = dict.id(canonicalIp(ip) ?? ip);
}

/** Text of a row's address (canonical form), or undefined. */
export function addressText(dict: Dictionary, kind: number, value: number): string | undefined {
  if (kind === AddrKind.V4) return intToIpv4(value);
  if (kind === AddrKind.V6) return dict.text(value);
  return undefined;
}

const idOr = (dict: Dictionary, s: string | undefined) => (s === undefined ? ABSENT : dict.id(s));

/**
 * The adapter: append an event made by any format's parser as one row. Every format that has no byte-level
 * fast path reaches the columnar core through here.
 */
export function appendEvent(batch: EventBatch, ev: FwEvent, file: number, line: number): number {
  const d = batch.dict;
  const r = batch.openRow(file, line);
  if (ev.timestamp !== undefined) batch.time[r] = ev.timestamp;
  batch.format[r] = d.id(ev.format);
  batch.action[r] = actionCode(ev.action);
  batch.direction[r] = directionCode(ev.direction);
  batch.transport[r] = idOr(d, ev.transport);
  if (ev.ianaNumber !== undefined) batch.ianaNumber[r] = ev.ianaNumber;
  if (ev.ipVersion !== undefined) batch.ipVersion[r] = ev.ipVersion;
  if (ev.sourceIp !== undefined) putAddress(d, batch.srcKind, batch.src, r, ev.sourceIp);
  if (ev.destinationIp !== undefined) putAddress(d, batch.dstKind, batch.dst, r, ev.destinationIp);
  if (ev.sourcePort !== undefined) batch.sport[r] = ev.sourcePort;
  if (ev.destinationPort !== undefined) batch.dport[r] = ev.destinationPort;
  batch.srcMac[r] = idOr(d, ev.sourceMac);
  batch.dstMac[r] = idOr(d, ev.destinationMac);
  batch.inIf[r] = idOr(d, ev.inInterface);
  batch.outIf[r] = idOr(d, ev.outInterface);
  batch.rule[r] = idOr(d, ev.ruleName);
  batch.prefix[r] = idOr(d, ev.prefix);
  batch.host[r] = idOr(d, ev.observerHost);
  batch.product[r] = idOr(d, ev.observerProduct);
  if (ev.length !== undefined) batch.length_[r] = ev.length;
  if (ev.ttl !== undefined) batch.ttl[r] = ev.ttl;
  if (ev.ipId !== undefined) batch.ipId[r] = ev.ipId;
  if (ev.tos !== undefined) batch.tos[r] = ev.tos;
  if (ev.trafficClass !== undefined) batch.trafficClass[r] = ev.trafficClass;
  if (ev.flowLabel !== undefined) batch.flowLabel[r] = ev.flowLabel;
  if (ev.dontFragment !== undefined) batch.df[r] = ev.dontFragment ? 1 : 0;
  if (ev.moreFragments !== undefined) batch.mf[r] = ev.moreFragments ? 1 : 0;
  if (ev.fragmentOffset !== undefined) batch.fragOffset[r] = ev.fragmentOffset;
  if (ev.tcpFlags !== undefined) {
    let m = 0;
    for (const f of ev.tcpFlags) m |= flagBit(f);
    batch.flags[r] = m;
  }
  if (ev.tcpSeq !== undefined) batch.tcpSeq[r] = ev.tcpSeq;
  if (ev.tcpAck !== undefined) batch.tcpAck[r] = ev.tcpAck;
  if (ev.tcpWindow !== undefined) batch.tcpWindow[r] = ev.tcpWindow;
  if (ev.icmpType !== undefined) batch.icmpType[r] = ev.icmpType;
  if (ev.icmpCode !== undefined) batch.icmpCode[r] = ev.icmpCode;
  if (ev.icmpId !== undefined) batch.icmpId[r] = ev.icmpId;
  if (ev.icmpSeq !== undefined) batch.icmpSeq[r] = ev.icmpSeq;
  let rare: RareFields | undefined;
  for (const k of RARE_KEYS)
    if (ev[k] !== undefined) {
      rare ??= {};
      (rare as Record<string, unknown>)[k] = ev[k];
    }
  if (rare) batch.rare.set(r, rare);
  return r;
}

/**
 * The event of one row, as the readable path builds it (TCP flags in the kernel's order). Used for the few
 * events a report shows and by the tests that hold the columns against the parsers.
 */
export function eventAt(batch: EventBatch, r: number, fileName?: string): FwEvent {
  // Field by field without a helper closure: the store ingest calls this for every event detection sees.
  const d = batch.dict;
  const ev: FwEvent = {
    format: d.text(batch.format[r]!),
    action: ACTIONS[batch.action[r]!]!,
    direction: DIRECTIONS[batch.direction[r]!]!,
  };
  const time = batch.time[r]!;
  if (!Number.isNaN(time)) ev.timestamp = time;
  const transport = batch.transport[r]!;
  if (transport !== ABSENT) ev.transport = d.text(transport);
  const iana = batch.ianaNumber[r]!;
  if (iana !== ABSENT) ev.ianaNumber = iana;
  const ipv = batch.ipVersion[r]!;
  if (ipv === 4 || ipv === 6) ev.ipVersion = ipv;
  const src = addressText(d, batch.srcKind[r]!, batch.src[r]!);
  if (src !== undefined) ev.sourceIp = src;
  const dst = addressText(d, batch.dstKind[r]!, batch.dst[r]!);
  if (dst !== undefined) ev.destinationIp = dst;
  const sport = batch.sport[r]!;
  if (sport !== ABSENT) ev.sourcePort = sport;
  const dport = batch.dport[r]!;
  if (dport !== ABSENT) ev.destinationPort = dport;
  let t = batch.srcMac[r]!;
  if (t !== ABSENT) ev.sourceMac = d.text(t);
  t = batch.dstMac[r]!;
  if (t !== ABSENT) ev.destinationMac = d.text(t);
  t = batch.inIf[r]!;
  if (t !== ABSENT) ev.inInterface = d.text(t);
  t = batch.outIf[r]!;
  if (t !== ABSENT) ev.outInterface = d.text(t);
  t = batch.rule[r]!;
  if (t !== ABSENT) ev.ruleName = d.text(t);
  t = batch.prefix[r]!;
  if (t !== ABSENT) ev.prefix = d.text(t);
  t = batch.host[r]!;
  if (t !== ABSENT) ev.observerHost = d.text(t);
  t = batch.product[r]!;
  if (t !== ABSENT) ev.observerProduct = d.text(t);
  let n = batch.length_[r]!;
  if (n !== ABSENT) ev.length = n;
  n = batch.ttl[r]!;
  if (n !== ABSENT) ev.ttl = n;
  n = batch.ipId[r]!;
  if (!Number.isNaN(n)) ev.ipId = n;
  n = batch.tos[r]!;
  if (n !== ABSENT) ev.tos = n;
  n = batch.trafficClass[r]!;
  if (n !== ABSENT) ev.trafficClass = n;
  n = batch.flowLabel[r]!;
  if (n !== ABSENT) ev.flowLabel = n;
  n = batch.df[r]!;
  if (n !== ABSENT) ev.dontFragment = n === 1;
  n = batch.mf[r]!;
  if (n !== ABSENT) ev.moreFragments = n === 1;
  n = batch.fragOffset[r]!;
  if (n !== ABSENT) ev.fragmentOffset = n;
  const m = batch.flags[r]!;
  if (m !== ABSENT) {
    const flags: TcpFlag[] = [];
    for (let i = 0; i < FLAG_BITS.length; i++) if ((m & (1 << i)) !== 0) flags.push(FLAG_BITS[i]!);
    ev.tcpFlags = flags;
  }
  n = batch.tcpSeq[r]!;
  if (!Number.isNaN(n)) ev.tcpSeq = n;
  n = batch.tcpAck[r]!;
  if (!Number.isNaN(n)) ev.tcpAck = n;
  n = batch.tcpWindow[r]!;
  if (n !== ABSENT) ev.tcpWindow = n;
  n = batch.icmpType[r]!;
  if (n !== ABSENT) ev.icmpType = n;
  n = batch.icmpCode[r]!;
  if (n !== ABSENT) ev.icmpCode = n;
  n = batch.icmpId[r]!;
  if (!Number.isNaN(n)) ev.icmpId = n;
  n = batch.icmpSeq[r]!;
  if (n !== ABSENT) ev.icmpSeq = n;
  if (batch.rare.size > 0) {
    const rare = batch.rare.get(r);
    if (rare) Object.assign(ev, rare);
  }
  if (fileName !== undefined) ev.file = fileName;
  ev.line = batch.line[r]!;
  return ev;
}

/** TCP flags of an event in the kernel's order (what eventAt gives back), for comparisons. */
export function canonicalFlags(flags: readonly TcpFlag[]): TcpFlag[] {
  return FLAG_BITS.filter((f) => flags.includes(f));
}

/** The inner packet type, re-exported for the fast paths that fill it. */
export type { InnerPacket };
