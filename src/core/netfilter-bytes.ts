// Byte-level fast path for netfilter LOG lines in a syslog (RFC 3164 or ISO 8601) envelope: reads the fields
// straight from the bytes into a column batch, making no string per line. Anything unusual is declined and
// goes through the readable path (envelope reader + netfilter parser + adapter), which the tests hold it to.
import { inferYearTime } from '../formats/envelope/time.js';
import { NUMBERED, PROTOCOLS } from '../formats/netfilter/index.js';
import { interpretPrefix } from '../formats/netfilter/prefix.js';
import type { ParseContext } from '../formats/types.js';
import { formatIpv6 } from '../net/ip.js';
import { ABSENT, AddrKind, actionCode, type Dictionary, type EventBatch } from './batch.js';

const SP = 32;

/** Key codes of the netfilter keys the fast path reads (0: a key it skips). */
enum K {
  Skip = 0,
  IN,
  OUT,
  MAC,
  MACSRC,
  MACDST,
  SRC,
  DST,
  LEN,
  TOS,
  TC,
  FLOWLBL,
  TTL,
  ID,
  PROTO,
  SPT,
  DPT,
  SEQ,
  ACK,
  WINDOW,
  TYPE,
  CODE,
  /** Keys of rare fields (MTU, PARAMETER, GATEWAY, UID, GID, MARK): the line goes the readable way. */
  Decline,
}

/** True when buf[from, from + text.length) spells text (ASCII). */
function spells(buf: Uint8Array, from: number, text: string): boolean {
  for (let j = 0; j < text.length; j++) if (buf[from + j] !== text.charCodeAt(j)) return false;
  return true;
}

/**
 * Key code of buf[from, to): a switch on the length and the first bytes (no table look-up per token; the
 * keys a line carries most, IN OUT MAC SRC DST LEN TOS TTL ID PROTO SPT DPT WINDOW, are found in a few compares).
 */
function keyAt(buf: Uint8Array, from: number, to: number): K {
  const c0 = buf[from]!;
  const c1 = buf[from + 1]!;
  switch (to - from) {
    case 2:
      if (c0 === 73) return c1 === 78 ? K.IN : c1 === 68 ? K.ID : K.Skip; // IN, ID
      return c0 === 84 && c1 === 67 ? K.TC : K.Skip;
    case 3: {
      const c2 = buf[from + 2]!;
      switch (c0) {
        case 83: // S
          if (c1 === 82 && c2 === 67) return K.SRC;
          if (c1 === 80 && c2 === 84) return K.SPT;
          return c1 === 69 && c2 === 81 ? K.SEQ : K.Skip;
        case 68: // D
          if (c1 === 83 && c2 === 84) return K.DST;
          return c1 === 80 && c2 === 84 ? K.DPT : K.Skip;
        case 84: // T
          if (c1 === 84 && c2 === 76) return K.TTL;
          return c1 === 79 && c2 === 83 ? K.TOS : K.Skip;
        case 79: // O
          return c1 === 85 && c2 === 84 ? K.OUT : K.Skip;
        case 77: // M
          if (c1 === 65 && c2 === 67) return K.MAC;
          return c1 === 84 && c2 === 85 ? K.Decline : K.Skip; // MTU
        case 76: // L
          return c1 === 69 && c2 === 78 ? K.LEN : K.Skip;
        case 65: // A
          return c1 === 67 && c2 === 75 ? K.ACK : K.Skip;
        case 85: // U
        case 71: // G
          return c1 === 73 && c2 === 68 ? K.Decline : K.Skip; // UID, GID
        default:
          return K.Skip;
      }
    }
    case 4:
      if (spells(buf, from, 'TYPE')) return K.TYPE;
      if (spells(buf, from, 'CODE')) return K.CODE;
      return spells(buf, from, 'MARK') ? K.Decline : K.Skip;
    case 5:
      return spells(buf, from, 'PROTO') ? K.PROTO : K.Skip;
    case 6:
      if (spells(buf, from, 'WINDOW')) return K.WINDOW;
      if (spells(buf, from, 'MACSRC')) return K.MACSRC;
      return spells(buf, from, 'MACDST') ? K.MACDST : K.Skip;
    case 7:
      if (spells(buf, from, 'FLOWLBL')) return K.FLOWLBL;
      return spells(buf, from, 'GATEWAY') ? K.Decline : K.Skip;
    case 8:
      return spells(buf, from, 'HOPLIMIT') ? K.TTL : K.Skip;
    case 9:
      return spells(buf, from, 'PARAMETER') ? K.Decline : K.Skip;
    default:
      return K.Skip;
  }
}

/**
 * The keys of a netfilter line in the order the kernel writes them (an IPv4 TCP packet): each token is first
 * compared with the key expected next, `KEY=` byte for byte, so most keys cost one short compare instead of a
 * scan for `=` and keyAt's switch. A token that does not match (a flag word, UDP's LEN, an IPv6 line's
 * keys, a key this list lacks) goes the general way, and the expectation moves on after the key it found.
 */
const KEY_ORDER: [string, K][] = [
  ['IN', K.IN],
  ['OUT', K.OUT],
  ['MAC', K.MAC],
  ['SRC', K.SRC],
  ['DST', K.DST],
  ['LEN', K.LEN],
  ['TOS', K.TOS],
  ['PREC', K.Skip],
  ['TTL', K.TTL],
  ['ID', K.ID],
  ['PROTO', K.PROTO],
  ['SPT', K.SPT],
  ['DPT', K.DPT],
  ['WINDOW', K.WINDOW],
  ['RES', K.Skip],
  ['URGP', K.Skip],
];
/** `KEY=` bytes of KEY_ORDER. */
const ORDER_BYTES = KEY_ORDER.map(([name]) => Uint8Array.from(`${name}=`, (c) => c.charCodeAt(0)));
const ORDER_KEYS = KEY_ORDER.map(([, key]) => key);

/** The first three bytes of each `KEY=` of KEY_ORDER as one number (every key there has at least three). */
const ORDER_HEADS = ORDER_BYTES.map((w) => w[0]! | (w[1]! << 8) | (w[2]! << 16));

/**
 * True when buf[i..] starts with KEY_ORDER's key `k` and its `=` (the token does not end before it): its first
 * three bytes compared as one number, then the rest one by one.
 */
function startsWithKey(buf: Uint8Array, i: number, end: number, k: number): boolean {
  const word = ORDER_BYTES[k]!;
  if (i + word.length > end) return false;
  if ((buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16)) !== ORDER_HEADS[k]) return false;
  for (let j = 3; j < word.length; j++) if (buf[i + j] !== word[j]) return false;
  return true;
}

/** DF and MF flag words, as pseudo-bits beside the TCP flags' FLAG_BITS bits. */
const WORD_DF = 1 << 8;
const WORD_MF = 1 << 9;

/** Bit of a flag word (no '='): a TCP flag's FLAG_BITS bit, WORD_DF, WORD_MF, or 0 for any other word. */
function wordAt(buf: Uint8Array, from: number, to: number): number {
  const c0 = buf[from]!;
  const c1 = buf[from + 1]!;
  if (to - from === 2) return c1 !== 70 ? 0 : c0 === 68 ? WORD_DF : c0 === 77 ? WORD_MF : 0;
  if (to - from !== 3) return 0;
  const c2 = buf[from + 2]!;
  switch (c0) {
    case 83: // SYN
      return c1 === 89 && c2 === 78 ? 64 : 0;
    case 65: // ACK
      return c1 === 67 && c2 === 75 ? 8 : 0;
    case 70: // FIN
      return c1 === 73 && c2 === 78 ? 128 : 0;
    case 82: // RST
      return c1 === 83 && c2 === 84 ? 32 : 0;
    case 80: // PSH
      return c1 === 83 && c2 === 72 ? 16 : 0;
    case 85: // URG
      return c1 === 82 && c2 === 71 ? 4 : 0;
    case 69: // ECE
      return c1 === 67 && c2 === 69 ? 2 : 0;
    case 67: // CWR
      return c1 === 87 && c2 === 82 ? 1 : 0;
    default:
      return 0;
  }
}

const TCP = PROTOCOLS['TCP']!;
const UDP = PROTOCOLS['UDP']!;
const ICMP = PROTOCOLS['ICMP']!;
const ICMPV6 = PROTOCOLS['ICMPv6']!;

/** PROTO=TCP, UDP, ICMP or ICMPv6 read from the bytes (nearly every line), without making the name. */
function commonProto(buf: Uint8Array, from: number, to: number): [string, number] | undefined {
  const len = to - from;
  if (len === 3) {
    if (buf[from] === 84 && buf[from + 1] === 67 && buf[from + 2] === 80) return TCP;
    if (buf[from] === 85 && buf[from + 1] === 68 && buf[from + 2] === 80) return UDP;
    return undefined;
  }
  if ((len !== 4 && len !== 6) || !spells(buf, from, 'ICMP')) return undefined;
  if (len === 4) return ICMP;
  return buf[from + 4] === 118 && buf[from + 5] === 54 ? ICMPV6 : undefined;
}

/** Decimal at buf[from, to) no larger than max, or -1 (empty, not digits, more than 10 digits, too large). */
function decimal(buf: Uint8Array, from: number, to: number, max: number): number {
  const len = to - from;
  if (len === 0 || len > 10) return -1;
  let n = 0;
  for (let j = from; j < to; j++) {
    const c = buf[j]! - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n > max ? -1 : n;
}

/** `0x` + 1-4 hex digits (what the kernel prints for TOS), or -1: anything else goes the readable way. */
function hex4(buf: Uint8Array, from: number, to: number): number {
  const len = to - from;
  if (len < 3 || len > 6 || buf[from] !== 48 || (buf[from + 1] !== 120 && buf[from + 1] !== 88)) return -1;
  let n = 0;
  for (let j = from + 2; j < to; j++) {
    const c = buf[j]!;
    const v = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (v < 0) return -1;
    n = n * 16 + v;
  }
  return n;
}

/** Value of a hex digit byte, or -1. */
function hexDigit(c: number): number {
  return c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
}

/**
 * The 8 groups of an IPv6 address at buf[from, to) written as 1-4 hex digit groups with at most one `::`
 * (what netfilter prints), into `groups`; false for anything else (a dotted IPv4 tail, a zone, a stray
 * colon): those go the readable way. The byte twin of net/ip.ts ipv6Groups for these forms; no string.
 */
export function ipv6At(buf: Uint8Array, from: number, to: number, groups: number[]): boolean {
  let n = 0;
  let gap = -1;
  let j = from;
  if (to - from < 2) return false;
  if (buf[j] === 58) {
    if (buf[j + 1] !== 58) return false;
    gap = 0;
    j += 2;
  }
  while (j < to) {
    let v = 0;
    let d = 0;
    for (; j < to && d < 5; j++, d++) {
      const h = hexDigit(buf[j]!);
      if (h < 0) break;
      v = v * 16 + h;
    }
    if (d === 0 || d > 4 || n === 8) return false;
    groups[n++] = v;
    if (j === to) break;
    if (buf[j] !== 58) return false;
    j++;
    if (buf[j] === 58) {
      if (gap >= 0) return false;
      gap = n;
      j++;
    } else if (j === to) return false;
  }
  if (gap < 0) return n === 8;
  if (n > 7) return false;
  // Move the groups after `::` to the end and fill the gap with zeros.
  const tail = n - gap;
  for (let k = 0; k < tail; k++) groups[7 - k] = groups[n - 1 - k]!;
  for (let k = gap; k < 8 - tail; k++) groups[k] = 0;
  return true;
}

/** ASCII text of buf[from, to), or undefined when it holds a byte the readable path would decode otherwise. */
function asciiText(buf: Buffer, from: number, to: number): string | undefined {
  for (let j = from; j < to; j++) if (buf[j]! > 126 || buf[j]! < 32) return undefined;
  return buf.toString('latin1', from, to);
}

/**
 * Dictionary ids of short byte strings that repeat line after line (host, interfaces, MACs): the last few
 * are remembered with their bytes, so a repeat costs a byte comparison, not a string.
 */
class RecentIds {
  private readonly keys: Uint8Array[] = [];
  private readonly ids: number[] = [];
  private next = 0;
  /** The way that answered last. */
  private hit = 0;
  constructor(
    private readonly dict: Dictionary,
    private readonly ways = 8,
  ) {}

  /** Id of buf[from, to) when those bytes were read before (they are among the remembered ones), else -1. */
  known(buf: Buffer, from: number, to: number): number {
    const len = to - from;
    // The way that answered last first: the same bytes come again and again (a MAC header, an interface).
    const hit = this.hit;
    if (hit < this.keys.length && this.same(this.keys[hit]!, buf, from, len)) return this.ids[hit]!;
    for (let w = 0; w < this.keys.length; w++) {
      if (w !== hit && this.same(this.keys[w]!, buf, from, len)) {
        this.hit = w;
        return this.ids[w]!;
      }
    }
    return -1;
  }

  /** Id of buf[from, to), or -2 when the bytes are not plain ASCII text. */
  id(buf: Buffer, from: number, to: number): number {
    const known = this.known(buf, from, to);
    if (known >= 0) return known;
    const text = asciiText(buf, from, to);
    if (text === undefined) return -2;
    const id = this.dict.id(text);
    const slot = this.next;
    this.next = (slot + 1) % this.ways;
    this.keys[slot] = buf.slice(from, to);
    this.ids[slot] = id;
    this.hit = slot;
    return id;
  }

  private same(k: Uint8Array, buf: Buffer, from: number, len: number): boolean {
    if (k.length !== len) return false;
    let j = 0;
    while (j < len && k[j] === buf[from + j]) j++;
    return j === len;
  }
}

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

/** A byte view of the program tag rule of the envelope: `[A-Za-z0-9_\-./()]+(\[\d+\])?:`. */
function isTag(buf: Uint8Array, from: number, to: number): boolean {
  if (to - from < 2 || buf[to - 1] !== 58) return false;
  let j = from;
  for (; j < to - 1; j++) {
    const c = buf[j]!;
    const ok =
      (c >= 65 && c <= 90) ||
      (c >= 97 && c <= 122) ||
      (c >= 48 && c <= 57) ||
      c === 95 ||
      c === 45 ||
      c === 46 ||
      c === 47 ||
      c === 40 ||
      c === 41;
    if (!ok) break;
  }
  if (j === from) return false;
  if (j === to - 1) return true;
  // "[pid]:"
  if (buf[j] !== 91 || buf[to - 2] !== 93 || to - 2 - (j + 1) < 1) return false;
  for (let k = j + 1; k < to - 2; k++) if (buf[k]! < 48 || buf[k]! > 57) return false;
  return true;
}

/** Where a program name ends inside a tag token: at `[` when there is one, else at `:`. */
function tagNameEnd(buf: Uint8Array, from: number, to: number): number {
  for (let j = from; j < to; j++) if (buf[j] === 91) return j;
  return to - 1;
}

/** Keys whose value is a decimal, read on the way to the token's end. */
const DECIMAL_KEYS =
  (1 << K.LEN) |
  (1 << K.TC) |
  (1 << K.FLOWLBL) |
  (1 << K.TTL) |
  (1 << K.ID) |
  (1 << K.SPT) |
  (1 << K.DPT) |
  (1 << K.SEQ) |
  (1 << K.ACK) |
  (1 << K.WINDOW) |
  (1 << K.TYPE) |
  (1 << K.CODE);

/** Prefixes remembered (the generated benchmark log alone interleaves five). */
const PREFIX_WAYS = 8;

/** A prefix read before: its bytes, and what the row takes from it. */
interface PrefixEntry {
  bytes: Uint8Array;
  /** Nothing but spaces. */
  blank: boolean;
  action: number;
  product: number;
  rule: number;
  prefix: number;
}

/** Reads netfilter lines into column batches; one per input (it keeps the last stamp and prefixes). */
export class NetfilterBytes {
  // Set by `bind` (from the constructor, and again when a batch brings another dictionary).
  private hosts!: RecentIds;
  private ifaces!: RecentIds;
  /** Destination and source MACs apart: each side repeats its own few addresses. */
  private dstMacs!: RecentIds;
  private srcMacs!: RecentIds;
  private formatId!: number;
  private readonly transportIds = new Map<string, number>();
  private lastStamp = new Uint8Array(0);
  private lastStampTime = 0;
  /** The prefixes read last (a log interleaves a few chains' prefixes), newest replacing the oldest. */
  private readonly prefixes: PrefixEntry[] = [];
  private nextPrefix = 0;
  /** Where decimalToSpace stopped: the space after the value, or the line's end. */
  private stop = 0;
  /** Groups of the IPv6 address being read. */
  private readonly groups: number[] = [0, 0, 0, 0, 0, 0, 0, 0];
  /** Lines read, and lines declined (left to the readable path). */
  read = 0;
  declined = 0;

  constructor(
    private batch: EventBatch,
    private readonly ctx: ParseContext,
  ) {
    this.bind(batch.dict);
  }

  /** The ids this reader remembers, of `dict`'s texts. */
  private bind(dict: EventBatch['dict']): void {
    this.hosts = new RecentIds(dict, 4);
    this.ifaces = new RecentIds(dict, 8);
    this.dstMacs = new RecentIds(dict, 8);
    this.srcMacs = new RecentIds(dict, 8);
    this.formatId = dict.id('netfilter');
  }

  /** Go on in another batch (the one before is full, or handed on); ids of another dictionary are forgotten. */
  use(batch: EventBatch): void {
    if (batch.dict !== this.batch.dict) {
      this.bind(batch.dict);
      this.transportIds.clear();
      this.prefixes.length = 0;
      this.nextPrefix = 0;
    }
    this.batch = batch;
  }

  private transportId(t: string): number {
    let id = this.transportIds.get(t);
    if (id === undefined) {
      id = this.batch.dict.id(t);
      this.transportIds.set(t, id);
    }
    return id;
  }

  /**
   * Read one line, buf[start, end) without its line end, into a new row of the batch. Returns false (and
   * leaves the batch as it was) when the line is not one the fast path reads exactly as the readable path.
   */
  readLine(buf: Buffer, start: number, end: number, file: number, line: number): boolean {
    this.read++;
    const b = this.batch;
    if (b.full) throw new Error('netfilter fast path: batch is full');
    const r = b.openRow(file, line);
    if (this.fill(buf, start, end, r)) return true;
    b.dropLastRow();
    this.declined++;
    return false;
  }

  /** Stamp of a line: epoch ms and where it ends (the space after it), or null. */
  private stamp(buf: Buffer, i: number, end: number): [number, number] | null {
    const c = buf[i]!;
    if (c >= 65 && c <= 90) return this.bsdStamp(buf, i, end);
    if (c >= 48 && c <= 57) return this.isoStamp(buf, i, end);
    return null;
  }

  /** `Mmm dd hh:mm:ss ` (day space-padded or not), whole seconds only. */
  private bsdStamp(buf: Uint8Array, i: number, end: number): [number, number] | null {
    // Same 15 bytes as the line before and a space after: the same second.
    const last = this.lastStamp;
    if (last.length > 0 && i + last.length < end && buf[i + last.length] === SP) {
      let j = 0;
      while (j < last.length && last[j] === buf[i + j]) j++;
      if (j === last.length) return [this.lastStampTime, i + last.length];
    }
    if (end - i < 15) return null;
    const month = MONTHS.indexOf(String.fromCharCode(buf[i]!, buf[i + 1]!, buf[i + 2]!));
    if (month < 0 || month % 3 !== 0 || buf[i + 3] !== SP) return null;
    let k = i + 4;
    if (buf[k] === SP) k++;
    let day = 0;
    let digits = 0;
    while (digits < 2 && buf[k]! >= 48 && buf[k]! <= 57) {
      day = day * 10 + buf[k]! - 48;
      k++;
      digits++;
    }
    if (digits === 0 || buf[k] !== SP) return null;
    k++;
    const h = decimal(buf, k, k + 2, 99);
    const m = decimal(buf, k + 3, k + 5, 99);
    const s = decimal(buf, k + 6, k + 8, 99);
    if (h < 0 || m < 0 || s < 0 || buf[k + 2] !== 58 || buf[k + 5] !== 58) return null;
    k += 8;
    if (buf[k] !== SP) return null; // a fraction or junk: the readable path
    if (day < 1 || day > 31 || h > 23 || m > 59 || s > 60) return null;
    const t = inferYearTime(this.ctx, month / 3, day, h, m, s, 0);
    this.lastStamp = buf.slice(i, k);
    this.lastStampTime = t;
    return [t, k];
  }

  /** `YYYY-MM-DD[T ]HH:MM:SS[.frac][Z|±HH[:]MM] ` as the envelope reads it. */
  private isoStamp(buf: Uint8Array, i: number, end: number): [number, number] | null {
    if (end - i < 20) return null;
    const year = decimal(buf, i, i + 4, 9999);
    const mon = decimal(buf, i + 5, i + 7, 99);
    const day = decimal(buf, i + 8, i + 10, 99);
    const h = decimal(buf, i + 11, i + 13, 99);
    const min = decimal(buf, i + 14, i + 16, 99);
    const sec = decimal(buf, i + 17, i + 19, 99);
    if (year < 0 || mon < 0 || day < 0 || h < 0 || min < 0 || sec < 0) return null;
    if (buf[i + 4] !== 45 || buf[i + 7] !== 45 || (buf[i + 10] !== 84 && buf[i + 10] !== SP)) return null;
    if (buf[i + 13] !== 58 || buf[i + 16] !== 58) return null;
    if (mon < 1 || mon > 12 || day < 1 || day > 31 || h > 23 || min > 59 || sec > 60) return null;
    let k = i + 19;
    let ms = 0;
    if (buf[k] === 46 || buf[k] === 44) {
      let frac = 0;
      let n = 0;
      k++;
      while (n < 9 && buf[k]! >= 48 && buf[k]! <= 57) {
        frac = frac * 10 + buf[k]! - 48;
        k++;
        n++;
      }
      if (n === 0) return null;
      // Number(`0.${digits}`) is the correctly rounded value, as is an exact integer over an exact power of ten.
      ms = Math.floor((frac / 10 ** n) * 1000);
    }
    let t = Date.UTC(year, mon - 1, day, h, min, sec, ms);
    const z = buf[k];
    if (z === 90) k++;
    else if (z === 43 || z === 45) {
      const zh = decimal(buf, k + 1, k + 3, 99);
      const colon = buf[k + 3] === 58 ? 1 : 0;
      const zm = decimal(buf, k + 3 + colon, k + 5 + colon, 99);
      if (zh < 0 || zm < 0) return null;
      t -= (z === 45 ? -1 : 1) * (zh * 60 + zm) * 60_000;
      k += 5 + colon;
    } else if (this.ctx.zone !== undefined) return null;
    else t -= this.ctx.utcOffsetMinutes * 60_000;
    if (buf[k] !== SP) return null;
    return [t, k];
  }

  /** Whether the envelope of the line being read named a program, and whether that was `kernel`. */
  private program = false;
  private programIsKernel = false;

  /**
   * The syslog envelope as the envelope reader splits it: `<PRI>` + RFC 5424 header, or an RFC 3164 / ISO
   * stamp and `[host] [tag:]`. Sets the row's time and host; returns where the message starts, or -1.
   */
  private envelope(buf: Buffer, start: number, end: number, r: number): number {
    this.program = false;
    this.programIsKernel = false;
    let i = start;
    if (buf[i] === 60) {
      // The first '>' of the line, 2 to 4 bytes in, closes a priority.
      let close = -1;
      for (let j = i + 1; j < end && j <= i + 4; j++)
        if (buf[j] === 62) {
          close = j;
          break;
        }
      if (close < i + 2) return -1;
      i = close + 1;
      if (buf[i] === 49 && buf[i + 1] === SP) return this.rfc5424(buf, i + 2, end, r);
    }
    const stamp = this.stamp(buf, i, end);
    if (stamp === null) return -1;
    this.batch.time[r] = stamp[0];
    // After the stamp: [host] [tag:] message.
    i = stamp[1] + 1;
    let sp = nextSpace(buf, i, end);
    if (sp === end) return -1;
    if (isTag(buf, i, sp)) {
      this.tag(buf, i, tagNameEnd(buf, i, sp));
      i = sp + 1;
    } else if (!(buf[i] === 91 || (buf[i] === 73 && buf[i + 1] === 78 && buf[i + 2] === 61))) {
      const host = this.hosts.id(buf, i, sp);
      if (host < 0) return -1;
      this.batch.host[r] = host;
      i = sp + 1;
      // A relay's header in front of the device's: the envelope reader unwraps it, so the readable path reads it.
      if (mayStartHeader(buf, i, end)) return -1;
      sp = nextSpace(buf, i, end);
      if (sp < end && isTag(buf, i, sp)) {
        this.tag(buf, i, tagNameEnd(buf, i, sp));
        i = sp + 1;
      }
    }
    return i;
  }

  private tag(buf: Buffer, from: number, to: number): void {
    this.program = true;
    this.programIsKernel = to - from === 6 && isKernel(buf, from);
  }

  /** RFC 5424 after `<PRI>1 `: TIMESTAMP HOST APP PROCID MSGID, then `-` for no structured data. */
  private rfc5424(buf: Buffer, from: number, end: number, r: number): number {
    // Cisco Meraki's "1 <epoch>.<ns> ...": no RFC 5424 header at all.
    if (buf[from]! >= 48 && buf[from]! <= 57 && buf[from + 10] !== 45 && buf[from + 4] !== 45) return -1;
    const cut: number[] = [];
    let i = from;
    for (let f = 0; f < 5; f++) {
      const sp = nextSpace(buf, i, end);
      if (sp === end) return -1;
      cut.push(i, sp);
      i = sp + 1;
    }
    const stamp = this.isoStamp(buf, cut[0]!, end);
    if (stamp === null || stamp[1] !== cut[1]) return -1;
    this.batch.time[r] = stamp[0];
    if (!(cut[3]! - cut[2]! === 1 && buf[cut[2]!] === 45)) {
      const host = this.hosts.id(buf, cut[2]!, cut[3]!);
      if (host < 0) return -1;
      this.batch.host[r] = host;
    }
    if (!(cut[5]! - cut[4]! === 1 && buf[cut[4]!] === 45)) this.tag(buf, cut[4]!, cut[5]!);
    if (buf[i] !== 45) return -1; // structured data: the readable path
    i++;
    if (buf[i] === SP) i++;
    if (!this.program && mayStartHeader(buf, i, end)) return -1; // a relayed header: the readable path
    return i;
  }

  private fill(buf: Buffer, start: number, end: number, r: number): boolean {
    let i = this.envelope(buf, start, end, r);
    if (i < 0) return false;
    // Kernel uptime stamp "[  123.456789]" and an optional caller id "[ C0]" / "[ T123]", one space after.
    if (buf[i] === 91) i = skipUptime(buf, i, end);
    // The body starts at the first "IN=" at the start of the message or after ' ', ':', ']' or '"'.
    // Searched by the byte where "IN=" would end (Horspool): most bytes of a prefix are none of I, N, =, so
    // the search moves three bytes at a time.
    let body = -1;
    for (let j = i; j + 3 <= end; ) {
      const c = buf[j + 2]!;
      if (c === 61) {
        if (buf[j] === 73 && buf[j + 1] === 78) {
          const before = j === i ? SP : buf[j - 1];
          if (before === SP || before === 58 || before === 93 || before === 34) {
            body = j;
            break;
          }
        }
        j += 3;
      } else if (c === 78) j += 1;
      else if (c === 73) j += 2;
      else j += 3;
    }
    if (body < 0) return false;
    if (!this.prefix(buf, i, body, r, this.program, this.programIsKernel)) return false;
    return this.fields(buf, body, end, r);
  }

  /** The prefix before IN=: action, rule, product and the trimmed text, remembered for the next line. */
  private prefix(
    buf: Buffer,
    from: number,
    to: number,
    r: number,
    program: boolean,
    programIsKernel: boolean,
  ): boolean {
    const b = this.batch;
    const len = to - from;
    let entry: PrefixEntry | undefined;
    for (const e of this.prefixes) {
      const key = e.bytes;
      if (key.length !== len) continue;
      let j = 0;
      while (j < len && key[j] === buf[from + j]) j++;
      if (j === len) {
        entry = e;
        break;
      }
    }
    if (entry === undefined) {
      const text = asciiText(buf, from, to);
      if (text === undefined) return false;
      const info = interpretPrefix(text);
      const trimmed = text.trim();
      entry = {
        bytes: buf.slice(from, to),
        blank: trimmed === '',
        action: actionCode(info.action),
        product: b.dict.id(info.product),
        rule: info.ruleName === undefined ? ABSENT : b.dict.id(info.ruleName),
        prefix: trimmed === '' ? ABSENT : b.dict.id(trimmed),
      };
      this.prefixes[this.nextPrefix] = entry;
      this.nextPrefix = (this.nextPrefix + 1) % PREFIX_WAYS;
    }
    // "Jan  8 03:37:09 DENY: IN=..." : the envelope took the prefix for a program tag.
    if (entry.blank && program && !programIsKernel) return false;
    b.action[r] = entry.action;
    b.product[r] = entry.product;
    b.rule[r] = entry.rule;
    b.prefix[r] = entry.prefix;
    return true;
  }

  /**
   * The dotted-quad IPv4 address from buf[from] to the next space (or the line's end) as an unsigned number,
   * or -1 when the token is no such address (also for leading zeros: the readable path decides those); this.stop
   * is then that space (left as it was when -1). The byte twin of net/ip.ts ipv4Value, without a string, read
   * on the way to the token's end.
   */
  private ipv4ToSpace(buf: Uint8Array, from: number, end: number): number {
    let out = 0;
    let parts = 0;
    let value = 0;
    let digits = 0;
    let j = from;
    for (; ; j++) {
      const c = j < end ? buf[j]! : SP;
      if (c === 46 || c === SP) {
        if (digits === 0 || value > 255 || (digits > 1 && buf[j - digits] === 48)) return -1;
        out = out * 256 + value;
        parts++;
        value = 0;
        digits = 0;
        if (c === SP) break;
      } else if (c >= 48 && c <= 57) {
        value = value * 10 + (c - 48);
        if (++digits > 3) return -1;
      } else return -1;
    }
    if (parts !== 4) return -1;
    this.stop = j;
    return out;
  }

  /**
   * The decimal at buf[from..] up to the next space (or `end`), or -1 when it is empty, holds another byte
   * or has more than 10 digits; sets `stop` to that space (or `end`) either way.
   */
  private decimalToSpace(buf: Uint8Array, from: number, end: number): number {
    let n = 0;
    let j = from;
    for (; j < end; j++) {
      const c = buf[j]!;
      if (c === SP) break;
      const d = c - 48;
      if (d < 0 || d > 9) {
        this.stop = nextSpace(buf, j, end);
        return -1;
      }
      n = n * 10 + d;
    }
    this.stop = j;
    return j === from || j - from > 10 ? -1 : n;
  }

  /** The KEY=VALUE and flag words after the prefix, as the netfilter parser reads them. */
  private fields(buf: Buffer, from: number, end: number, r: number): boolean {
    const b = this.batch;
    let afterProto = false;
    let protoSeen = false;
    let transport = '';
    let flags = ABSENT;
    let seen = 0;
    /** Where in KEY_ORDER the next key is expected. */
    let next = 0;
    /** The MACs' ids when both were known before the token's end was looked for (-1: not). */
    let macDst = -1;
    let macSrc = -1;
    let i = from;
    while (i < end) {
      const c = buf[i]!;
      if (c === SP) {
        i++;
        continue;
      }
      if (c === 91) return false; // a quoted inner packet or INCOMPLETE [n bytes]: the readable path
      let key: K;
      let vs: number;
      if (next < ORDER_BYTES.length && startsWithKey(buf, i, end, next)) {
        // The key expected next (see KEY_ORDER).
        key = ORDER_KEYS[next]!;
        vs = i + ORDER_BYTES[next]!.length;
        next++;
      } else {
        // The key: up to the token's first '=', or the whole token when it has none (a flag word).
        let eq = i;
        while (eq < end) {
          const t = buf[eq]!;
          if (t === 61 || t === SP) break;
          eq++;
        }
        if (eq === end || buf[eq] === SP) {
          const w = wordAt(buf, i, eq);
          if (w === WORD_DF) b.df[r] = 1;
          else if (w === WORD_MF) b.mf[r] = 1;
          else if (w !== 0) flags = (flags === ABSENT ? 0 : flags) | w;
          else if (isFrag(buf, i, eq)) return false; // FRAG:n, a fragment: the readable path
          i = eq + 1;
          continue;
        }
        key = keyAt(buf, i, eq);
        vs = eq + 1;
        // Expect the key after this one next, when it is in the order (the first place after the expected one).
        if (key !== K.Skip)
          for (let k = next; k < ORDER_KEYS.length; k++)
            if (ORDER_KEYS[k] === key) {
              next = k + 1;
              break;
            }
      }
      if (key === K.Skip) {
        i = nextSpace(buf, vs, end) + 1;
        continue;
      }
      if (key === K.Decline) return false;
      // A second IN/OUT/SRC/DST/PROTO outside brackets: glued records; the readable path judges them.
      if (key <= K.DST || key === K.PROTO) {
        const bit = 1 << key;
        if (seen & bit) return false;
        seen |= bit;
      }
      // A decimal value is read on the way to the token's end (-1: empty, not digits, over 10 digits).
      let n = -1;
      let sp: number;
      if ((DECIMAL_KEYS & (1 << key)) !== 0) {
        n = this.decimalToSpace(buf, vs, end);
        sp = this.stop;
      } else if (key === K.SRC || key === K.DST) {
        // An IPv4 address is read on the way to the token's end (n: its value, -1: not IPv4).
        n = this.ipv4ToSpace(buf, vs, end);
        sp = n >= 0 ? this.stop : nextSpace(buf, vs, end);
      } else {
        let from = vs;
        if (key === K.MAC && vs + 35 <= end && buf[vs + 17] === 58) {
          // Both MACs as read before: their 35 bytes hold no space, so the token's end is looked for after them.
          macDst = this.dstMacs.known(buf, vs, vs + 17);
          macSrc = macDst < 0 ? -1 : this.srcMacs.known(buf, vs + 18, vs + 35);
          if (macSrc >= 0) from = vs + 35;
        }
        sp = nextSpace(buf, from, end);
      }
      i = sp + 1;
      switch (key) {
        case K.IN:
        case K.OUT: {
          if (sp > vs) {
            const id = this.ifaces.id(buf, vs, sp);
            if (id < 0) return false;
            if (key === K.IN) b.inIf[r] = id;
            else b.outIf[r] = id;
          }
          break;
        }
        case K.MAC:
          if (macSrc >= 0) {
            b.dstMac[r] = macDst;
            b.srcMac[r] = macSrc;
            macSrc = -1;
          } else if (sp - vs >= 35) {
            const d = this.dstMacs.id(buf, vs, vs + 17);
            const s = this.srcMacs.id(buf, vs + 18, vs + 35);
            if (d < 0 || s < 0) return false;
            b.dstMac[r] = d;
            b.srcMac[r] = s;
          }
          break;
        case K.MACSRC:
        case K.MACDST: {
          const id = (key === K.MACSRC ? this.srcMacs : this.dstMacs).id(buf, vs, sp);
          if (id < 0) return false;
          if (key === K.MACSRC) b.srcMac[r] = id;
          else b.dstMac[r] = id;
          break;
        }
        case K.SRC:
        case K.DST: {
          const kinds = key === K.SRC ? b.srcKind : b.dstKind;
          const values = key === K.SRC ? b.src : b.dst;
          if (n >= 0) {
            kinds[r] = AddrKind.V4;
            values[r] = n;
          } else {
            if (!ipv6At(buf, vs, sp, this.groups)) return false;
            kinds[r] = AddrKind.V6;
            values[r] = b.dict.id(formatIpv6(this.groups));
          }
          break;
        }
        case K.LEN:
          if (!afterProto) {
            if (n < 0 || n > 65535) return false;
            b.length_[r] = n;
          }
          break;
        case K.TOS:
          n = hex4(buf, vs, sp);
          if (n < 0) return false;
          b.tos[r] = n;
          break;
        case K.TC:
          if (n < 0 || n > 255) return false;
          b.trafficClass[r] = n;
          break;
        case K.FLOWLBL:
          if (n < 0 || n > 0xfffff) return false;
          b.flowLabel[r] = n;
          break;
        case K.TTL:
          if (n < 0 || n > 255) return false;
          b.ttl[r] = n;
          break;
        case K.ID:
          if (n < 0 || n > 0xffffffff) return false;
          if (!afterProto) b.ipId[r] = n;
          else b.icmpId[r] = n;
          break;
        case K.PROTO: {
          afterProto = true;
          protoSeen = true;
          // The common names by their bytes; any other name through its text.
          let known = commonProto(buf, vs, sp);
          if (known === undefined) {
            const name = asciiText(buf, vs, sp);
            if (name === undefined) return false;
            known = PROTOCOLS[name];
          }
          if (known) {
            transport = known[0];
            b.ianaNumber[r] = known[1];
          } else {
            n = decimal(buf, vs, sp, 255);
            if (n < 0 || sp - vs > 3) return false;
            transport = NUMBERED[n] ?? `proto-${n}`;
            b.ianaNumber[r] = n;
          }
          break;
        }
        case K.SPT:
          if (n < 0 || n > 65535) return false;
          b.sport[r] = n;
          break;
        case K.DPT:
          if (n < 0 || n > 65535) return false;
          b.dport[r] = n;
          break;
        case K.SEQ:
          if (sp === vs) break;
          if (transport === 'icmp' || transport === 'ipv6-icmp') {
            if (n < 0 || n > 65535) return false;
            b.icmpSeq[r] = n;
          } else {
            if (n < 0 || n > 0xffffffff) return false;
            b.tcpSeq[r] = n;
          }
          break;
        case K.ACK:
          if (sp > vs) {
            if (n < 0 || n > 0xffffffff) return false;
            b.tcpAck[r] = n;
          }
          break;
        case K.WINDOW:
          if (n < 0 || n > 65535) return false;
          b.tcpWindow[r] = n;
          break;
        case K.TYPE:
          if (n < 0 || n > 255) return false;
          b.icmpType[r] = n;
          break;
        case K.CODE:
          if (n < 0 || n > 255) return false;
          b.icmpCode[r] = n;
          break;
      }
    }
    const srcKind = b.srcKind[r]!;
    if (srcKind === AddrKind.None || b.dstKind[r] === AddrKind.None || !protoSeen) return false;
    const v6 = srcKind === AddrKind.V6;
    b.ipVersion[r] = v6 ? 6 : 4;
    if (v6 && transport === 'icmp') transport = 'ipv6-icmp';
    if (b.ianaNumber[r] === ABSENT && transport === 'ipv6-icmp') b.ianaNumber[r] = 58;
    const ported = transport === 'tcp' || transport === 'udp' || transport === 'udplite';
    if (ported && (b.sport[r] === ABSENT || b.dport[r] === ABSENT)) return false;
    if (transport === 'tcp' && flags === ABSENT && b.tcpWindow[r] !== ABSENT) flags = 0;
    b.flags[r] = flags;
    b.transport[r] = this.transportId(transport);
    b.format[r] = this.formatId;
    const inIf = b.inIf[r] !== ABSENT;
    const outIf = b.outIf[r] !== ABSENT;
    b.direction[r] = inIf && outIf ? 2 : inIf ? 0 : outIf ? 1 : 3;
    return true;
  }
}

/**
 * True when buf[i..] may begin another syslog header (`<PRI>`, `Mmm d`, `yyyy-mm-dd`): a relay put its own header
 * in front of the device's, which the envelope reader unwraps; the fast path leaves such lines to it.
 */
function mayStartHeader(buf: Uint8Array, i: number, end: number): boolean {
  if (i >= end) return false;
  const c = buf[i]!;
  if (c === 60) return true;
  if (c >= 48 && c <= 57) return buf[i + 4] === 45 && buf[i + 7] === 45;
  if (c < 65 || c > 90 || buf[i + 3] !== SP) return false;
  const month = MONTHS.indexOf(String.fromCharCode(c, buf[i + 1]!, buf[i + 2]!));
  return month >= 0 && month % 3 === 0;
}

/** Index of the next space in buf[i, end), or end (a JS loop: a native indexOf per token costs more than the scan). */
function nextSpace(buf: Uint8Array, i: number, end: number): number {
  while (i < end && buf[i] !== SP) i++;
  return i;
}

function isFrag(buf: Uint8Array, i: number, sp: number): boolean {
  return (
    sp - i >= 5 &&
    buf[i] === 70 &&
    buf[i + 1] === 82 &&
    buf[i + 2] === 65 &&
    buf[i + 3] === 71 &&
    buf[i + 4] === 58
  );
}

function isKernel(buf: Uint8Array, i: number): boolean {
  return (
    buf[i] === 107 &&
    buf[i + 1] === 101 &&
    buf[i + 2] === 114 &&
    buf[i + 3] === 110 &&
    buf[i + 4] === 101 &&
    buf[i + 5] === 108
  );
}

/** Past `[ 123.456]` and an optional `[ C0]`/`[ T12]` and one space; `i` itself when it is no uptime stamp. */
function skipUptime(buf: Uint8Array, i: number, end: number): number {
  let k = i + 1;
  while (k < end && buf[k] === SP) k++;
  let d = 0;
  while (k < end && buf[k]! >= 48 && buf[k]! <= 57) {
    k++;
    d++;
  }
  if (d === 0 || buf[k] !== 46) return i;
  k++;
  d = 0;
  while (k < end && buf[k]! >= 48 && buf[k]! <= 57) {
    k++;
    d++;
  }
  if (d === 0 || buf[k] !== 93) return i;
  k++;
  if (buf[k] === 91) {
    let c = k + 1;
    while (c < end && buf[c] === SP) c++;
    if (buf[c] === 67 || buf[c] === 84) {
      c++;
      let n = 0;
      while (c < end && buf[c]! >= 48 && buf[c]! <= 57) {
        c++;
        n++;
      }
      if (n > 0 && buf[c] === 93) k = c + 1;
    }
  }
  if (buf[k] === SP) k++;
  return k;
}
