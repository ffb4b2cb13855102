// The DuckDB store's event appender: EventBatch columns into `events` one data chunk at a time, column by
// column, written straight into the chunk's vectors (values and validity words) without a call per cell.

import { endianness } from 'node:os';
import type {
  DuckDBAppender,
  DuckDBDataChunk as DuckDBDataChunkType,
  DuckDBType,
  DuckDBValue,
  DuckDBVector,
} from '@duckdb/node-api';
import { ABSENT, ACTIONS, AddrKind, DIRECTIONS, type Dictionary, type EventBatch } from '../core/batch.js';
import { ipv6Groups } from '../net/ip.js';
import { DuckDBDataChunk } from './duckdb-api.js';
import { splitRare, TRAFFIC_COUNT_COLUMNS, TRAFFIC_COUNT_KEYS } from './rare-fields.js';

/** Rows per data chunk handed to the appender (DuckDB's vector size). */
export const CHUNK_ROWS = 2048;

/** Columns of `events` in table order. */
export const EVENT_COLUMNS = [
  'ts',
  'file_id',
  'line',
  'format_sid',
  'action',
  'direction',
  'transport_sid',
  'iana_number',
  'ip_version',
  'src_v4',
  'src_v6',
  'src_text_sid',
  'dst_v4',
  'dst_v6',
  'dst_text_sid',
  'src_port',
  'dst_port',
  'src_mac_sid',
  'dst_mac_sid',
  'in_if_sid',
  'out_if_sid',
  'rule_sid',
  'prefix_sid',
  'host_sid',
  'product_sid',
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
  // Migration 3 added it, migration 8 the traffic counts, so they come last in the table.
  'alarm_sid',
  ...TRAFFIC_COUNT_COLUMNS,
] as const;

/** Index of the first traffic count column (TRAFFIC_COUNT_COLUMNS follow in order). */
const FIRST_COUNT_COLUMN = EVENT_COLUMNS.indexOf('src_packets');

/** Store string ids of texts (the store's `strings` table in memory). */
export interface StringIdSource {
  id(text: string): number;
}

/** Value of a hex digit's character code, or -1. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 32;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

/**
 * Read the colon-separated hex groups of text[from, to) into g from index k: the new count, or -1 when a
 * group is empty, longer than four digits or not hex, or there are more than eight.
 */
function hexGroups(text: string, from: number, to: number, g: Uint16Array, k: number): number {
  if (from === to) return k;
  let value = 0;
  let digits = 0;
  for (let i = from; i <= to; i++) {
    const c = i < to ? text.charCodeAt(i) : 58;
    if (c === 58 /* : */) {
      if (digits === 0 || k === 8) return -1;
      g[k++] = value;
      value = 0;
      digits = 0;
      continue;
    }
    const h = hexDigit(c);
    if (h < 0 || digits === 4) return -1;
    value = value * 16 + h;
    digits++;
  }
  return k;
}

/** Groups of the address being read by ipv6Words (no allocation per address). */
const headGroups = new Uint16Array(8);
const tailGroups = new Uint16Array(8);

/**
 * The four 32-bit words (most significant first) of an IPv6 address's text, into `out` at `at` (for the
 * UHUGEINT columns, written straight into the vector's buffer): hex groups with at most one `::` (the
 * dictionary's canonical texts) read by hand, anything else (an embedded IPv4 address, a zone) through
 * ipv6Groups. False when the text is no IPv6 address. No regular expression, BigInt or string per address.
 */
export function ipv6Words(text: string, out: Uint32Array, at: number): boolean {
  const len = text.length;
  const gap = text.indexOf('::');
  let head = -1;
  let tail = 0;
  if (len <= 39 && gap < 0) head = hexGroups(text, 0, len, headGroups, 0);
  else if (len <= 39 && text.indexOf('::', gap + 1) < 0) {
    head = hexGroups(text, 0, gap, headGroups, 0);
    tail = hexGroups(text, gap + 2, len, tailGroups, 0);
  }
  if (head >= 0 && tail >= 0 && (gap < 0 ? head === 8 : head + tail <= 7)) {
    // The groups after the gap go to the end; zeros fill the gap.
    const group = (i: number) => (i < head ? headGroups[i]! : i >= 8 - tail ? tailGroups[i - 8 + tail]! : 0);
    for (let k = 0; k < 4; k++) out[at + k] = group(2 * k) * 65_536 + group(2 * k + 1);
    return true;
  }
  const groups = ipv6Groups(text);
  if (!groups) return false;
  for (let k = 0; k < 4; k++) out[at + k] = groups[2 * k]! * 65_536 + groups[2 * k + 1]!;
  return true;
}

type Vec = DuckDBVector<DuckDBValue> & { setItem(i: number, v: DuckDBValue): void; flush(): void };

/** What of a vector's insides the appender writes: the JS copies the vector's flush() hands to DuckDB. */
interface VectorInsides {
  items?: ArrayBufferView;
  dataView?: DataView;
  validity: { data: BigUint64Array | null; setItemValid(i: number, valid: boolean): void };
}

/** Values and validity of one column of the chunk, as plain typed arrays over the vector's own buffers. */
interface Column {
  vec: Vec;
  bytes: Uint8Array;
  /** Validity as 32-bit words (bit i of word i >> 5: row i is not NULL). */
  valid: Uint32Array;
}

const TWO_32 = 4294967296;

/** Whether this machine stores numbers least significant byte first (as DuckDB's vectors then do). */
const LITTLE_ENDIAN = endianness() === 'LE';

/** Appends EventBatch rows to `events` one data chunk (CHUNK_ROWS rows) at a time. */
export class EventAppender {
  private readonly chunk: DuckDBDataChunkType;
  private readonly cols: Column[];
  /** The words of the IPv6 address being written. */
  private readonly v6Scratch = new Uint32Array(4);
  /** Store string id of each id of the batch dictionary last seen (-1: not looked up yet). */
  private sids = new Int32Array(0);
  private sidsOf: Dictionary | undefined;
  /** Enum index of each action / direction code. */
  private readonly actionIndex: Uint8Array;
  private readonly directionIndex: Uint8Array;
  /** Validity words being built for one column. */
  private readonly words = new Uint32Array(CHUNK_ROWS / 32);

  constructor(
    private readonly appender: DuckDBAppender,
    types: DuckDBType[],
    private readonly strings: StringIdSource,
  ) {
    this.chunk = DuckDBDataChunk.create(types, CHUNK_ROWS);
    this.cols = types.map((_, i) => {
      const vec = this.chunk.getColumnVector(i) as Vec;
      const inside = vec as unknown as VectorInsides;
      const view = inside.items ?? inside.dataView;
      // The validity words exist once a cell was NULL; make them now, every chunk writes them all.
      if (inside.validity.data === null) inside.validity.setItemValid(0, false);
      const data = inside.validity.data;
      if (!view || !data)
        throw new Error(`DuckDB vector of column ${EVENT_COLUMNS[i]} has no buffers to write`);
      return {
        vec,
        bytes: new Uint8Array(view.buffer, view.byteOffset, view.byteLength),
        valid: new Uint32Array(data.buffer, data.byteOffset, data.length * 2),
      };
    });
    const enumIndex = (col: number, names: readonly string[]) => {
      const type = types[col] as unknown as { indexForValue(v: string): number };
      return Uint8Array.from(names, (n) => type.indexForValue(n));
    };
    this.actionIndex = enumIndex(4, ACTIONS);
    this.directionIndex = enumIndex(5, DIRECTIONS);
  }

  /** Store string id of a batch dictionary id (not ABSENT). */
  private sid(d: Dictionary, id: number): number {
    if (this.sidsOf !== d) {
      this.sidsOf = d;
      this.sids = new Int32Array(0);
    }
    if (id >= this.sids.length) {
      const grown = new Int32Array(Math.max(id + 1, this.sids.length * 2, 64)).fill(-1);
      grown.set(this.sids);
      this.sids = grown;
    }
    let s = this.sids[id]!;
    if (s < 0) {
      s = this.strings.id(d.text(id));
      this.sids[id] = s;
    }
    return s;
  }

  append(b: EventBatch, fileId: number): void {
    for (let start = 0; start < b.length; start += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, b.length - start);
      this.fill(b, fileId, start, n);
      this.appender.appendDataChunk(this.chunk);
    }
  }

  /** Hand the validity words built in `words` to column `col`. */
  private commitValidity(col: number, n: number): void {
    const valid = this.cols[col]!.valid;
    const words = this.words;
    for (let w = 0; w < (n + 31) >> 5; w++) valid[w] = words[w]!;
  }

  /** A column of integers (ABSENT: NULL) into a vector of `kind` values. */
  private ints(
    col: number,
    src: ArrayLike<number>,
    start: number,
    n: number,
    kind: 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32',
  ): void {
    const bytes = this.cols[col]!.bytes;
    const out =
      kind === 'u32'
        ? new Uint32Array(bytes.buffer, bytes.byteOffset, CHUNK_ROWS)
        : kind === 'i32'
          ? new Int32Array(bytes.buffer, bytes.byteOffset, CHUNK_ROWS)
          : kind === 'i16'
            ? new Int16Array(bytes.buffer, bytes.byteOffset, CHUNK_ROWS)
            : kind === 'u16'
              ? new Uint16Array(bytes.buffer, bytes.byteOffset, CHUNK_ROWS)
              : kind === 'i8'
                ? new Int8Array(bytes.buffer, bytes.byteOffset, CHUNK_ROWS)
                : bytes;
    const words = this.words;
    words.fill(0);
    for (let i = 0; i < n; i++) {
      const x = src[start + i]!;
      if (x !== ABSENT) {
        out[i] = x;
        words[i >> 5]! |= 1 << (i & 31);
      }
    }
    this.commitValidity(col, n);
  }

  /** A column of floats (NaN: NULL) holding whole numbers into an unsigned 32-bit vector. */
  private floats(col: number, src: Float64Array, start: number, n: number): void {
    const bytes = this.cols[col]!.bytes;
    const out = new Uint32Array(bytes.buffer, bytes.byteOffset, CHUNK_ROWS);
    const words = this.words;
    words.fill(0);
    for (let i = 0; i < n; i++) {
      const x = src[start + i]!;
      if (!Number.isNaN(x)) {
        out[i] = x;
        words[i >> 5]! |= 1 << (i & 31);
      }
    }
    this.commitValidity(col, n);
  }

  /** A column of dictionary ids (ABSENT: NULL) as store string ids. */
  private texts(col: number, src: Int32Array, d: Dictionary, start: number, n: number): void {
    const bytes = this.cols[col]!.bytes;
    const out = new Uint32Array(bytes.buffer, bytes.byteOffset, CHUNK_ROWS);
    const words = this.words;
    words.fill(0);
    let lastId = ABSENT;
    let lastSid = 0;
    for (let i = 0; i < n; i++) {
      const id = src[start + i]!;
      if (id === ABSENT) continue;
      // Neighbouring rows mostly share the text (host, interface, rule).
      if (id !== lastId) {
        lastId = id;
        lastSid = this.sid(d, id);
      }
      out[i] = lastSid;
      words[i >> 5]! |= 1 << (i & 31);
    }
    this.commitValidity(col, n);
  }

  /** A column of tri-states (-1 absent, 0 false, 1 true) into a BOOLEAN vector. */
  private bools(col: number, src: Int8Array, start: number, n: number): void {
    const out = this.cols[col]!.bytes;
    const words = this.words;
    words.fill(0);
    for (let i = 0; i < n; i++) {
      const x = src[start + i]!;
      if (x !== ABSENT) {
        out[i] = x;
        words[i >> 5]! |= 1 << (i & 31);
      }
    }
    this.commitValidity(col, n);
  }

  /**
   * A traffic count of the rows' rare fields (absent: NULL) into a UBIGINT vector, as two 32-bit halves (the
   * counts are whole numbers below 2^53: no BigInt per row).
   */
  private counts(
    col: number,
    key: (typeof TRAFFIC_COUNT_KEYS)[number],
    b: EventBatch,
    start: number,
    n: number,
  ): void {
    const bytes = this.cols[col]!.bytes;
    const halves = new Uint32Array(bytes.buffer, bytes.byteOffset, CHUNK_ROWS * 2);
    const words = this.words;
    words.fill(0);
    if (b.rare.size > 0)
      for (let i = 0; i < n; i++) {
        const x = b.rare.get(start + i)?.[key];
        if (x === undefined) continue;
        const high = Math.floor(x / TWO_32);
        halves[2 * i + (LITTLE_ENDIAN ? 0 : 1)] = x - high * TWO_32;
        halves[2 * i + (LITTLE_ENDIAN ? 1 : 0)] = high;
        words[i >> 5]! |= 1 << (i & 31);
      }
    this.commitValidity(col, n);
  }

  /** One side's address columns (v4, v6, text id) at `col`. */
  private address(
    col: number,
    kinds: Uint8Array,
    values: Uint32Array,
    b: EventBatch,
    start: number,
    n: number,
  ) {
    const d = b.dict;
    const v4Bytes = this.cols[col]!.bytes;
    const v4 = new Uint32Array(v4Bytes.buffer, v4Bytes.byteOffset, CHUNK_ROWS);
    const words = this.words;
    words.fill(0);
    let v6Rows = 0;
    for (let i = 0; i < n; i++) {
      const kind = kinds[start + i]!;
      if (kind === AddrKind.V4) {
        v4[i] = values[start + i]!;
        words[i >> 5]! |= 1 << (i & 31);
      } else if (kind === AddrKind.V6) v6Rows++;
    }
    this.commitValidity(col, n);
    const textBytes = this.cols[col + 2]!.bytes;
    const texts = new Uint32Array(textBytes.buffer, textBytes.byteOffset, CHUNK_ROWS);
    const v6 = this.cols[col + 1]!;
    // UHUGEINT cells: 16 bytes each, the lower 64 bits first, in the machine's byte order (little-endian:
    // the four words least significant first); else the library writes each value.
    const cells = new Uint32Array(v6.bytes.buffer, v6.bytes.byteOffset, CHUNK_ROWS * 4);
    const w = this.v6Scratch;
    const v6Words = new Uint32Array(CHUNK_ROWS / 32);
    words.fill(0);
    if (v6Rows > 0)
      for (let i = 0; i < n; i++) {
        if (kinds[start + i] !== AddrKind.V6) continue;
        const id = values[start + i]!;
        texts[i] = this.sid(d, id);
        words[i >> 5]! |= 1 << (i & 31);
        if (!ipv6Words(d.text(id), w, 0)) continue;
        if (LITTLE_ENDIAN) {
          cells[4 * i] = w[3]!;
          cells[4 * i + 1] = w[2]!;
          cells[4 * i + 2] = w[1]!;
          cells[4 * i + 3] = w[0]!;
        } else
          v6.vec.setItem(
            i,
            (BigInt(w[0]!) << 96n) | (BigInt(w[1]!) << 64n) | (BigInt(w[2]!) << 32n) | BigInt(w[3]!),
          );
        v6Words[i >> 5]! |= 1 << (i & 31);
      }
    this.commitValidity(col + 2, n);
    for (let w = 0; w < (n + 31) >> 5; w++) v6.valid[w] = v6Words[w]!;
  }

  private fill(b: EventBatch, fileId: number, start: number, n: number): void {
    const d = b.dict;
    const cols = this.cols;
    const words = this.words;
    this.chunk.rowCount = n;
    // ts: epoch ms as two 32-bit halves of the BIGINT (no BigInt per row).
    {
      const bytes = cols[0]!.bytes;
      const lo = new Uint32Array(bytes.buffer, bytes.byteOffset, CHUNK_ROWS * 2);
      const hi = new Int32Array(bytes.buffer, bytes.byteOffset, CHUNK_ROWS * 2);
      words.fill(0);
      for (let i = 0; i < n; i++) {
        const t = b.time[start + i]!;
        if (Number.isNaN(t)) continue;
        const ms = Math.round(t);
        const high = Math.floor(ms / TWO_32);
        lo[2 * i] = ms - high * TWO_32;
        hi[2 * i + 1] = high;
        words[i >> 5]! |= 1 << (i & 31);
      }
      this.commitValidity(0, n);
    }
    {
      const bytes = cols[1]!.bytes;
      new Uint32Array(bytes.buffer, bytes.byteOffset, CHUNK_ROWS).fill(fileId, 0, n);
      words.fill(0xffffffff);
      this.commitValidity(1, n);
    }
    this.floats(2, b.line, start, n);
    this.texts(3, b.format, d, start, n);
    for (const [col, src, index] of [
      [4, b.action, this.actionIndex],
      [5, b.direction, this.directionIndex],
    ] as const) {
      const out = cols[col]!.bytes;
      for (let i = 0; i < n; i++) out[i] = index[src[start + i]!]!;
      words.fill(0xffffffff);
      this.commitValidity(col, n);
    }
    this.texts(6, b.transport, d, start, n);
    this.ints(7, b.ianaNumber, start, n, 'u16');
    {
      // ip_version: 0 is NULL.
      const out = cols[8]!.bytes;
      words.fill(0);
      for (let i = 0; i < n; i++) {
        const v = b.ipVersion[start + i]!;
        if (v !== 0) {
          out[i] = v;
          words[i >> 5]! |= 1 << (i & 31);
        }
      }
      this.commitValidity(8, n);
    }
    this.address(9, b.srcKind, b.src, b, start, n);
    this.address(12, b.dstKind, b.dst, b, start, n);
    this.ints(15, b.sport, start, n, 'i32');
    this.ints(16, b.dport, start, n, 'i32');
    this.texts(17, b.srcMac, d, start, n);
    this.texts(18, b.dstMac, d, start, n);
    this.texts(19, b.inIf, d, start, n);
    this.texts(20, b.outIf, d, start, n);
    this.texts(21, b.rule, d, start, n);
    this.texts(22, b.prefix, d, start, n);
    this.texts(23, b.host, d, start, n);
    this.texts(24, b.product, d, start, n);
    this.ints(25, b.length_, start, n, 'i32');
    this.ints(26, b.ttl, start, n, 'i16');
    this.floats(27, b.ipId, start, n);
    this.ints(28, b.tos, start, n, 'i32');
    this.ints(29, b.trafficClass, start, n, 'i16');
    this.ints(30, b.flowLabel, start, n, 'i32');
    this.bools(31, b.df, start, n);
    this.bools(32, b.mf, start, n);
    this.ints(33, b.fragOffset, start, n, 'i32');
    this.ints(34, b.flags, start, n, 'u8');
    this.floats(35, b.tcpSeq, start, n);
    this.floats(36, b.tcpAck, start, n);
    this.ints(37, b.tcpWindow, start, n, 'i32');
    this.ints(38, b.icmpType, start, n, 'i16');
    this.ints(39, b.icmpCode, start, n, 'i16');
    this.floats(40, b.icmpId, start, n);
    this.ints(41, b.icmpSeq, start, n, 'i32');
    // The alarm name has its own column (schema 3); the other rare fields stay in `extra` (JSON text).
    const extraWords = new Uint32Array(CHUNK_ROWS / 32);
    const alarmBytes = cols[43]!.bytes;
    const alarms = new Uint32Array(alarmBytes.buffer, alarmBytes.byteOffset, CHUNK_ROWS);
    words.fill(0);
    if (b.rare.size > 0)
      for (let i = 0; i < n; i++) {
        const rare = b.rare.get(start + i);
        if (rare === undefined) continue;
        const split = splitRare(rare);
        if (split.extra !== undefined) {
          cols[42]!.vec.setItem(i, split.extra);
          extraWords[i >> 5]! |= 1 << (i & 31);
        }
        if (split.alarm !== undefined) {
          alarms[i] = this.strings.id(split.alarm);
          words[i >> 5]! |= 1 << (i & 31);
        }
      }
    this.commitValidity(43, n);
    for (let w = 0; w < (n + 31) >> 5; w++) cols[42]!.valid[w] = extraWords[w]!;
    TRAFFIC_COUNT_KEYS.forEach((key, k) => {
      this.counts(FIRST_COUNT_COLUMN + k, key, b, start, n);
    });
    for (const c of cols) c.vec.flush();
  }

  close(): void {
    this.appender.closeSync();
  }
}

/**
 * Append rows given as whole columns of unsigned integers (no NULLs; each array's element type matching its
 * column's DuckDB type: Uint32Array for UINTEGER, Uint16Array for USMALLINT) a data chunk at a time, each
 * chunk's values copied into its vectors' buffers at once: no call per cell (the country ranking's temporary
 * tables, hundreds of thousands of rows per query).
 */
export function appendColumns(
  appender: DuckDBAppender,
  types: DuckDBType[],
  columns: readonly (Uint32Array | Uint16Array)[],
  rows: number,
): void {
  const chunk = DuckDBDataChunk.create(types, CHUNK_ROWS);
  for (let start = 0; start < rows; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, rows - start);
    chunk.rowCount = n;
    columns.forEach((column, i) => {
      const vec = chunk.getColumnVector(i) as Vec;
      const items = (vec as unknown as VectorInsides).items;
      if (
        !(items instanceof Uint32Array || items instanceof Uint16Array) ||
        items.constructor !== column.constructor
      )
        throw new Error(`DuckDB vector of column ${i} does not take ${column.constructor.name} values`);
      items.set(column.subarray(start, start + n));
      vec.flush();
    });
    appender.appendDataChunk(chunk);
  }
  appender.flushSync();
}
