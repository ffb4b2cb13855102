// Events as ClickHouse rows (JSONEachRow objects) and back: the one mapping between FwEvent and the events table.
import {
  ABSENT,
  ACTIONS,
  AddrKind,
  canonicalFlags,
  DIRECTIONS,
  type Dictionary,
  type EventBatch,
  FLAG_BITS,
  flagBit,
} from '../../core/batch.js';
import type { FwEvent, TcpFlag } from '../../event.js';
import { intToIpv4, ipv4Value, ipv6Groups } from '../../net/ip.js';
import { splitRare, TRAFFIC_COUNT_COLUMNS, TRAFFIC_COUNT_KEYS } from '../rare-fields.js';

/** Day of a time, for the partition: 1970-01-01 for none or earlier, clamped to the last day both server versions hold. */
export function partitionDay(ts: number | undefined): string {
  if (ts === undefined || !Number.isFinite(ts) || ts < 0) return '1970-01-01';
  const day = new Date(Math.min(ts, LAST_DAY_MS)).toISOString().slice(0, 10);
  return day;
}

/** 2105-12-31: within the Date range of ClickHouse 18.16 (ends 2106) and of current versions (2149). */
const LAST_DAY_MS = Date.UTC(2105, 11, 31);

/** IPv6 halves as decimal strings (JSON carries UInt64 as text), or zeros when the text is no IPv6 address. */
export function ipv6Halves(text: string): [string, string] {
  const g = ipv6Groups(text);
  if (!g) return ['0', '0'];
  let hi = 0n;
  let lo = 0n;
  for (let i = 0; i < 4; i++) hi = (hi << 16n) | BigInt(g[i]!);
  for (let i = 4; i < 8; i++) lo = (lo << 16n) | BigInt(g[i]!);
  return [hi.toString(), lo.toString()];
}

/** The address columns of one side (src/dst) of a row. */
function addressColumns(side: 'src' | 'dst', ip: string | undefined): Record<string, unknown> {
  if (ip === undefined)
    return {
      [`${side}_kind`]: 0,
      [`${side}_v4`]: 0,
      [`${side}_v6_hi`]: '0',
      [`${side}_v6_lo`]: '0',
      [`${side}_text`]: null,
    };
  const v4 = ipv4Value(ip);
  if (v4 >= 0)
    return {
      [`${side}_kind`]: 4,
      [`${side}_v4`]: v4,
      [`${side}_v6_hi`]: '0',
      [`${side}_v6_lo`]: '0',
      [`${side}_text`]: null,
    };
  const [hi, lo] = ipv6Halves(ip);
  return {
    [`${side}_kind`]: 6,
    [`${side}_v4`]: 0,
    [`${side}_v6_hi`]: hi,
    [`${side}_v6_lo`]: lo,
    [`${side}_text`]: ip,
  };
}

/** Fields of FwEvent kept in `extra` (JSON): everything the columns do not hold. */
const COLUMN_FIELDS = new Set<string>([
  'timestamp',
  'format',
  'action',
  'direction',
  'transport',
  'ianaNumber',
  'ipVersion',
  'sourceIp',
  'destinationIp',
  'sourcePort',
  'destinationPort',
  'sourceMac',
  'destinationMac',
  'inInterface',
  'outInterface',
  'ruleName',
  'prefix',
  'observerHost',
  'observerProduct',
  'length',
  'ttl',
  'ipId',
  'tos',
  'trafficClass',
  'flowLabel',
  'dontFragment',
  'moreFragments',
  'fragmentOffset',
  'tcpFlags',
  'tcpSeq',
  'tcpAck',
  'tcpWindow',
  'icmpType',
  'icmpCode',
  'icmpId',
  'icmpSeq',
  'alarmName',
  ...TRAFFIC_COUNT_KEYS,
  'file',
  'line',
]);

const opt = <T>(v: T | undefined): T | null => (v === undefined ? null : v);
const bool = (v: boolean | undefined) => (v === undefined ? null : v ? 1 : 0);

/**
 * One row of the events table for an event of input `fileId` written by generation `gen`; `seq` numbers the
 * rows of the write (one line may give several events: input order is line, then seq).
 */
export function eventRow(ev: FwEvent, fileId: number, gen: string, seq: number): Record<string, unknown> {
  let flags: number | null = null;
  if (ev.tcpFlags !== undefined) {
    flags = 0;
    for (const f of ev.tcpFlags) flags |= flagBit(f);
  }
  let extra: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(ev))
    if (!COLUMN_FIELDS.has(k) && v !== undefined) {
      extra ??= {};
      extra[k] = v;
    }
  return {
    gen,
    seq,
    file_id: fileId,
    line: ev.line ?? 0,
    day: partitionDay(ev.timestamp),
    ts: ev.timestamp === undefined ? null : Math.round(ev.timestamp),
    format: ev.format,
    action: ev.action,
    direction: ev.direction,
    transport: opt(ev.transport),
    iana_number: opt(ev.ianaNumber),
    ip_version: opt(ev.ipVersion),
    ...addressColumns('src', ev.sourceIp),
    ...addressColumns('dst', ev.destinationIp),
    src_port: opt(ev.sourcePort),
    dst_port: opt(ev.destinationPort),
    src_mac: opt(ev.sourceMac),
    dst_mac: opt(ev.destinationMac),
    in_if: opt(ev.inInterface),
    out_if: opt(ev.outInterface),
    rule: opt(ev.ruleName),
    prefix: opt(ev.prefix),
    host: opt(ev.observerHost),
    product: opt(ev.observerProduct),
    length: opt(ev.length),
    ttl: opt(ev.ttl),
    ip_id: opt(ev.ipId),
    tos: opt(ev.tos),
    traffic_class: opt(ev.trafficClass),
    flow_label: opt(ev.flowLabel),
    df: bool(ev.dontFragment),
    mf: bool(ev.moreFragments),
    frag_offset: opt(ev.fragmentOffset),
    tcp_flags: flags,
    tcp_seq: opt(ev.tcpSeq),
    tcp_ack: opt(ev.tcpAck),
    tcp_window: opt(ev.tcpWindow),
    icmp_type: opt(ev.icmpType),
    icmp_code: opt(ev.icmpCode),
    icmp_id: opt(ev.icmpId),
    icmp_seq: opt(ev.icmpSeq),
    extra: extra ? JSON.stringify(extra) : null,
    alarm: opt(ev.alarmName),
    src_packets: opt(ev.sourcePackets),
    src_bytes: opt(ev.sourceBytes),
    dst_packets: opt(ev.destinationPackets),
    dst_bytes: opt(ev.destinationBytes),
    total_bytes: opt(ev.networkBytes),
  };
}

/** Columns of the packet's own fields, written and read back alike (after the addresses). */
const PACKET_COLUMNS = [
  'src_port',
  'dst_port',
  'src_mac',
  'dst_mac',
  'in_if',
  'out_if',
  'rule',
  'prefix',
  'host',
  'product',
  'length',
  'ttl',
  'ip_id',
  'tos',
  'traffic_class',
  'flow_label',
  'df',
  'mf',
  'frag_offset',
  'tcp_flags',
  'tcp_seq',
  'tcp_ack',
  'tcp_window',
  'icmp_type',
  'icmp_code',
  'icmp_id',
  'icmp_seq',
  'extra',
  // Schema 3 (the firewall's own alarm name, `event.reason`): added last by ALTER TABLE; schema 8 the traffic counts.
  'alarm',
  ...TRAFFIC_COUNT_COLUMNS,
] as const;

/** Columns read back for events(), in the order rowEvent expects them. */
export const EVENT_READ_COLUMNS = [
  'ts',
  'file_id',
  'line',
  'format',
  'action',
  'direction',
  'transport',
  'iana_number',
  'ip_version',
  'src_kind',
  'src_v4',
  'src_text',
  'dst_kind',
  'dst_v4',
  'dst_text',
  ...PACKET_COLUMNS,
] as const;

type Row = Record<(typeof EVENT_READ_COLUMNS)[number], unknown>;

/** The event of a row read back (64-bit numbers arrive as text), with `file` set from the input's path. */
export function rowEvent(r: Row, path: string | undefined): FwEvent {
  const ev: FwEvent = {
    format: String(r.format),
    action: r.action as FwEvent['action'],
    direction: r.direction as FwEvent['direction'],
  };
  const num = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));
  const str = (v: unknown) => (v === null || v === undefined ? undefined : String(v));
  const addr = (kind: unknown, v4: unknown, text: unknown) =>
    Number(kind) === 4 ? intToIpv4(Number(v4)) : Number(kind) === 6 ? str(text) : undefined;
  const set = <K extends keyof FwEvent>(k: K, v: FwEvent[K] | undefined) => {
    if (v !== undefined) ev[k] = v;
  };
  set('timestamp', num(r.ts));
  set('transport', str(r.transport));
  set('ianaNumber', num(r.iana_number));
  const ipv = num(r.ip_version);
  if (ipv === 4 || ipv === 6) ev.ipVersion = ipv;
  set('sourceIp', addr(r.src_kind, r.src_v4, r.src_text));
  set('destinationIp', addr(r.dst_kind, r.dst_v4, r.dst_text));
  set('sourcePort', num(r.src_port));
  set('destinationPort', num(r.dst_port));
  set('sourceMac', str(r.src_mac));
  set('destinationMac', str(r.dst_mac));
  set('inInterface', str(r.in_if));
  set('outInterface', str(r.out_if));
  set('ruleName', str(r.rule));
  set('prefix', str(r.prefix));
  set('observerHost', str(r.host));
  set('observerProduct', str(r.product));
  set('length', num(r.length));
  set('ttl', num(r.ttl));
  set('ipId', num(r.ip_id));
  set('tos', num(r.tos));
  set('trafficClass', num(r.traffic_class));
  set('flowLabel', num(r.flow_label));
  if (r.df !== null) ev.dontFragment = Number(r.df) === 1;
  if (r.mf !== null) ev.moreFragments = Number(r.mf) === 1;
  set('fragmentOffset', num(r.frag_offset));
  const m = num(r.tcp_flags);
  if (m !== undefined)
    ev.tcpFlags = canonicalFlags(FLAG_BITS.filter((_, i) => (m & (1 << i)) !== 0) as TcpFlag[]);
  set('tcpSeq', num(r.tcp_seq));
  set('tcpAck', num(r.tcp_ack));
  set('tcpWindow', num(r.tcp_window));
  set('icmpType', num(r.icmp_type));
  set('icmpCode', num(r.icmp_code));
  set('icmpId', num(r.icmp_id));
  set('icmpSeq', num(r.icmp_seq));
  if (r.extra !== null && r.extra !== undefined) Object.assign(ev, JSON.parse(String(r.extra)));
  // Rows written before schema 3 hold the alarm name in `extra` and NULL here.
  set('alarmName', str(r.alarm));
  set('sourcePackets', num(r.src_packets));
  set('sourceBytes', num(r.src_bytes));
  set('destinationPackets', num(r.dst_packets));
  set('destinationBytes', num(r.dst_bytes));
  set('networkBytes', num(r.total_bytes));
  if (path !== undefined) ev.file = path;
  ev.line = Number(r.line);
  return ev;
}

/** A string as a TabSeparated field: backslash, tab, line ends and NUL escaped (the rest is data as it is). */
export function tsvString(value: string): string {
  // Most strings (rule names, interfaces, formats) need nothing: test once, replace only when needed.
  if (!/[\\\t\n\r\0]/.test(value)) return value;
  return value.replace(/[\\\t\n\r\0]/g, (c) => TSV_ESCAPES[c]!);
}

const TSV_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\0': '\\0',
};

/** NULL in TabSeparated. */
const TSV_NULL = '\\N';

const TSV_UNESCAPES: Record<string, string> = {
  b: '\b',
  f: '\f',
  r: '\r',
  n: '\n',
  t: '\t',
  '0': '\0',
  "'": "'",
  '\\': '\\',
};

/** A TabSeparated field as ClickHouse writes it, read back: \\N is NULL, escapes undone. */
export function tsvValue(field: string): string | null {
  if (field === TSV_NULL) return null;
  if (!field.includes('\\')) return field;
  return field.replace(/\\(.)/gs, (_, c: string) => TSV_UNESCAPES[c] ?? c);
}

/** One TabSeparated line of EVENT_READ_COLUMNS as the row rowEvent reads. */
export function eventReadRow(line: string): Record<(typeof EVENT_READ_COLUMNS)[number], unknown> {
  const fields = line.split('\t');
  const row: Record<string, unknown> = {};
  for (let i = 0; i < EVENT_READ_COLUMNS.length; i++)
    row[EVENT_READ_COLUMNS[i]!] = tsvValue(fields[i] ?? TSV_NULL);
  return row as Record<(typeof EVENT_READ_COLUMNS)[number], unknown>;
}

/** TabSeparated text of a batch's dictionary strings, made once per id (a rule name is written thousands of times). */
class TsvTexts {
  private readonly texts: (string | undefined)[] = [];
  constructor(private readonly dict: Dictionary) {}

  of(id: number): string {
    if (id === ABSENT) return TSV_NULL;
    let t = this.texts[id];
    if (t === undefined) {
      t = tsvString(this.dict.text(id));
      this.texts[id] = t;
    }
    return t;
  }
}

/** Cached texts per dictionary (a writer sees the same dictionary batch after batch). */
const tsvTexts = new WeakMap<Dictionary, TsvTexts>();

/** Columns of one TabSeparated events line, in order (INSERT INTO events (...) FORMAT TabSeparated). */
export const EVENT_INSERT_COLUMNS = [
  'gen',
  'file_id',
  'seq',
  'line',
  'day',
  'ts',
  'format',
  'action',
  'direction',
  'transport',
  'iana_number',
  'ip_version',
  'src_kind',
  'src_v4',
  'src_v6_hi',
  'src_v6_lo',
  'src_text',
  'dst_kind',
  'dst_v4',
  'dst_v6_hi',
  'dst_v6_lo',
  'dst_text',
  ...PACKET_COLUMNS,
] as const;

/** Partition days by day number, so a row's day costs no Date. */
const dayTexts = new Map<number, string>();
function dayText(ts: number | undefined): string {
  if (ts === undefined) return '1970-01-01';
  const n = Math.floor(ts / 86_400_000);
  let t = dayTexts.get(n);
  if (t === undefined) {
    t = partitionDay(ts);
    if (dayTexts.size > 100_000) dayTexts.clear();
    dayTexts.set(n, t);
  }
  return t;
}

/**
 * TabSeparated lines (EVENT_INSERT_COLUMNS) of rows [from, to) of a batch, read straight from its columns: the
 * fast path of eventRow(eventAt(batch, r), ...), held equal to it by a test over every fixture. Returns the next seq.
 */
export function appendEventLines(
  out: string[],
  b: EventBatch,
  from: number,
  to: number,
  fileId: number,
  gen: string,
  seqStart: number,
): number {
  let texts = tsvTexts.get(b.dict);
  if (!texts) {
    texts = new TsvTexts(b.dict);
    tsvTexts.set(b.dict, texts);
  }
  const s = (id: number) => texts.of(id);
  const i = (v: number) => (v === ABSENT ? TSV_NULL : String(v));
  const f = (v: number) => (Number.isNaN(v) ? TSV_NULL : String(v));
  const tri = (v: number) => (v === ABSENT ? TSV_NULL : v === 1 ? '1' : '0');
  const head = `${gen}\t${fileId}\t`;
  let seq = seqStart;
  for (let r = from; r < to; r++) {
    const t = b.time[r]!;
    const ts = Number.isNaN(t) ? undefined : Math.round(t);
    const ipv = b.ipVersion[r]!;
    // The alarm name has its own column; the other rare fields stay in `extra` (as eventRow splits them).
    const rare = b.rare.get(r);
    const split = rare === undefined ? undefined : splitRare(rare);
    const extra = split?.extra === undefined ? TSV_NULL : tsvString(split.extra);
    const alarm = split?.alarm === undefined ? TSV_NULL : tsvString(split.alarm);
    // The traffic counts have columns of their own (schema 8), read from the rare fields.
    const counts =
      rare === undefined
        ? COUNTS_NULL
        : `${count(rare.sourcePackets)}\t${count(rare.sourceBytes)}\t${count(rare.destinationPackets)}\t${count(rare.destinationBytes)}\t${count(rare.networkBytes)}`;
    out.push(
      `${head}${seq++}\t${b.line[r]}\t${dayText(ts)}\t${ts === undefined ? TSV_NULL : ts}\t${s(b.format[r]!)}\t${ACTIONS[b.action[r]!]}\t${DIRECTIONS[b.direction[r]!]}\t${s(b.transport[r]!)}\t${i(b.ianaNumber[r]!)}\t${ipv === 4 || ipv === 6 ? ipv : TSV_NULL}\t${addressTsv(b.srcKind[r]!, b.src[r]!, b.dict)}\t${addressTsv(b.dstKind[r]!, b.dst[r]!, b.dict)}\t${i(b.sport[r]!)}\t${i(b.dport[r]!)}\t${s(b.srcMac[r]!)}\t${s(b.dstMac[r]!)}\t${s(b.inIf[r]!)}\t${s(b.outIf[r]!)}\t${s(b.rule[r]!)}\t${s(b.prefix[r]!)}\t${s(b.host[r]!)}\t${s(b.product[r]!)}\t${i(b.length_[r]!)}\t${i(b.ttl[r]!)}\t${f(b.ipId[r]!)}\t${i(b.tos[r]!)}\t${i(b.trafficClass[r]!)}\t${i(b.flowLabel[r]!)}\t${tri(b.df[r]!)}\t${tri(b.mf[r]!)}\t${i(b.fragOffset[r]!)}\t${i(b.flags[r]!)}\t${f(b.tcpSeq[r]!)}\t${f(b.tcpAck[r]!)}\t${i(b.tcpWindow[r]!)}\t${i(b.icmpType[r]!)}\t${i(b.icmpCode[r]!)}\t${f(b.icmpId[r]!)}\t${i(b.icmpSeq[r]!)}\t${extra}\t${alarm}\t${counts}\n`,
    );
  }
  return seq;
}

/** A traffic count as a TabSeparated field. */
const count = (v: number | undefined) => (v === undefined ? TSV_NULL : String(v));
/** The traffic count fields of a row without counts. */
const COUNTS_NULL = TRAFFIC_COUNT_COLUMNS.map(() => TSV_NULL).join('\t');

/** The address columns of one side (kind, v4, v6 halves, text) as TabSeparated fields. */
function addressTsv(kind: number, value: number, dict: Dictionary): string {
  if (kind === AddrKind.V4) return `4\t${value}\t0\t0\t${TSV_NULL}`;
  if (kind === AddrKind.V6) {
    const text = dict.text(value);
    const [hi, lo] = ipv6Halves(text);
    return `6\t0\t${hi}\t${lo}\t${tsvString(text)}`;
  }
  return `0\t0\t0\t0\t${TSV_NULL}`;
}
