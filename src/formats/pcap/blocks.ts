// Reads the records of a classic pcap or a pcapng file from a byte stream: link type, time and bytes of each
// packet; a truncated or damaged file ends with an error record after the packets read before the damage.
import { damaged, reasonOf } from '../damaged.js';
import type { ParseError } from '../types.js';

/** One captured packet as the capture file stores it. */
export interface CapturedPacket {
  /** Link-layer header type (LINKTYPE_* number) of the interface that captured it. */
  linkType: number;
  /** Capture time, epoch ms; undefined for pcapng Simple Packet Blocks, which carry none. */
  timestamp?: number;
  /** The captured bytes (possibly cut at the snapshot length). */
  data: Uint8Array;
  /** Length of the packet on the wire. */
  originalLength: number;
}

/** A problem that ends the reading of a capture (or, in a pcapng file, that spoils one packet block). */
export type CaptureDamage = ParseError;

/** Largest record we accept; bigger lengths mean a damaged header, not a real packet. */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/**
 * Accumulates stream chunks and hands out exact byte ranges. A block spread over many chunks is joined
 * once, when enough bytes have arrived (linear in its length), never chunk by chunk.
 */
export class ByteQueue {
  private buf = new Uint8Array(0);
  private off = 0;
  /** Chunks read but not yet joined to `buf`, and their total length. */
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  ended = false;
  /** Bytes copied while joining chunks (lets a test check that joining stays linear). */
  copiedBytes = 0;
  constructor(private readonly it: AsyncIterator<Uint8Array>) {}

  get available(): number {
    return this.buf.length - this.off + this.pendingBytes;
  }

  /** Make at least n bytes available; false when the stream ends first. */
  async fill(n: number): Promise<boolean> {
    while (this.available < n && !this.ended) {
      const r = await this.it.next();
      if (r.done) {
        this.ended = true;
        break;
      }
      this.pending.push(r.value);
      this.pendingBytes += r.value.length;
    }
    if (this.pending.length > 0) this.join();
    return this.available >= n;
  }

  private join(): void {
    const rest = this.buf.subarray(this.off);
    const merged = new Uint8Array(rest.length + this.pendingBytes);
    merged.set(rest, 0);
    let at = rest.length;
    for (const chunk of this.pending) {
      merged.set(chunk, at);
      at += chunk.length;
    }
    this.copiedBytes += merged.length;
    this.buf = merged;
    this.off = 0;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Take n bytes (caller has filled them). */
  take(n: number): Uint8Array {
    const out = this.buf.subarray(this.off, this.off + n);
    this.off += n;
    return out;
  }
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** Milliseconds from a (seconds, fraction) pair at a given fraction unit per second. */
function toMs(seconds: number, fraction: number, unitsPerSecond: number): number {
  return seconds * 1000 + Math.floor((fraction * 1000) / unitsPerSecond);
}

/** Read every packet of a classic pcap or pcapng stream. */
export async function* readCapture(
  stream: AsyncIterable<Uint8Array>,
): AsyncGenerator<CapturedPacket | CaptureDamage> {
  const q = new ByteQueue(stream[Symbol.asyncIterator]());
  if (!(await q.fill(4))) {
    yield damaged('parse.pcap.noMagic');
    return;
  }
  const magic = q.take(4);
  const m = ((magic[0]! << 24) | (magic[1]! << 16) | (magic[2]! << 8) | magic[3]!) >>> 0;
  if (m === 0x0a0d0d0a) yield* readPcapng(q, magic);
  else yield* readPcap(q, m);
}

async function* readPcap(q: ByteQueue, magic: number): AsyncGenerator<CapturedPacket | CaptureDamage> {
  // a1b2c3d4: microseconds, a1b23c4d: nanoseconds; read byte-swapped they tell the file is little-endian.
  const little = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
  const unitsPerSecond = magic === 0xa1b23c4d || magic === 0x4d3cb2a1 ? 1e9 : 1e6;
  if (!(await q.fill(20))) {
    yield damaged('parse.pcap.fileHeader');
    return;
  }
  const header = view(q.take(20));
  // The link type sits in the low 16 bits; the high bits may carry FCS information.
  const linkType = header.getUint32(16, little) & 0xffff;
  let n = 0;
  for (;;) {
    if (!(await q.fill(16))) {
      if (q.available > 0) yield damaged('parse.pcap.truncatedInHeader', { n: n + 1 });
      return;
    }
    const rec = view(q.take(16));
    const seconds = rec.getUint32(0, little);
    const fraction = rec.getUint32(4, little);
    const capLen = rec.getUint32(8, little);
    const origLen = rec.getUint32(12, little);
    if (capLen > MAX_RECORD_BYTES || fraction >= unitsPerSecond) {
      yield damaged('parse.pcap.badRecordHeader', { n: n + 1 });
      return;
    }
    if (!(await q.fill(capLen))) {
      yield damaged('parse.pcap.truncatedInside', { n: n + 1 });
      return;
    }
    n++;
    yield {
      linkType,
      timestamp: toMs(seconds, fraction, unitsPerSecond),
      data: q.take(capLen).slice(),
      originalLength: origLen,
    };
  }
}

/** Interface of a pcapng section: its link type and time resolution. */
interface PcapngInterface {
  linkType: number;
  /** Timestamp units per second (if_tsresol; default 10^6). */
  unitsPerSecond: bigint;
  snapLength: number;
}

/** if_tsresol option value to units per second: high bit clear = 10^-n, set = 2^-n. */
function tsResolution(v: number): bigint {
  return v & 0x80 ? 1n << BigInt(v & 0x7f) : 10n ** BigInt(v);
}

function readIdb(body: DataView, little: boolean): PcapngInterface {
  const iface: PcapngInterface = {
    linkType: body.getUint16(0, little),
    snapLength: body.getUint32(4, little),
    unitsPerSecond: 1_000_000n,
  };
  let i = 8;
  while (i + 4 <= body.byteLength) {
    const code = body.getUint16(i, little);
    const len = body.getUint16(i + 2, little);
    if (code === 0) break;
    if (code === 9 && len >= 1 && i + 4 < body.byteLength)
      iface.unitsPerSecond = tsResolution(body.getUint8(i + 4));
    i += 4 + ((len + 3) & ~3);
  }
  return iface;
}

async function* readPcapng(
  q: ByteQueue,
  firstType: Uint8Array,
): AsyncGenerator<CapturedPacket | CaptureDamage> {
  let little = true;
  let interfaces: PcapngInterface[] = [];
  let n = 0;
  let typeBytes: Uint8Array | null = firstType;
  for (;;) {
    if (typeBytes === null) {
      if (!(await q.fill(4))) {
        if (q.available > 0) yield damaged('parse.pcap.truncatedAfter', { n });
        return;
      }
      typeBytes = q.take(4);
    }
    if (!(await q.fill(4))) {
      yield damaged('parse.pcap.truncatedAfter', { n });
      return;
    }
    const lenBytes = q.take(4);
    const isShb = view(typeBytes).getUint32(0) === 0x0a0d0d0a;
    if (isShb) {
      // The byte-order magic after the length decides the endianness of this whole section.
      if (!(await q.fill(4))) {
        yield damaged('parse.pcap.truncatedSection');
        return;
      }
      const bom = q.take(4);
      little = view(bom).getUint32(0, true) === 0x1a2b3c4d;
      if (!little && view(bom).getUint32(0, false) !== 0x1a2b3c4d) {
        yield damaged('parse.pcap.noByteOrder');
        return;
      }
      interfaces = [];
      const total = view(lenBytes).getUint32(0, little);
      if (total < 28 || total % 4 !== 0 || total > MAX_RECORD_BYTES) {
        yield damaged('parse.pcap.sectionLength');
        return;
      }
      if (!(await q.fill(total - 12))) {
        yield damaged('parse.pcap.truncatedSection');
        return;
      }
      q.take(total - 12);
      typeBytes = null;
      continue;
    }
    const type = view(typeBytes).getUint32(0, little);
    const total = view(lenBytes).getUint32(0, little);
    if (total < 12 || total % 4 !== 0 || total > MAX_RECORD_BYTES) {
      yield damaged('parse.pcap.blockLength', { n });
      return;
    }
    if (!(await q.fill(total - 8))) {
      yield damaged('parse.pcap.truncatedAfter', { n });
      return;
    }
    const block = q.take(total - 8);
    const body = view(block.subarray(0, block.length - 4));
    typeBytes = null;
    if (type === 1) {
      if (body.byteLength < 8) {
        yield damaged('parse.pcap.interfaceBlock');
        return;
      }
      interfaces.push(readIdb(body, little));
      continue;
    }
    if (type !== 6 && type !== 3 && type !== 2) continue; // statistics, name resolution, custom blocks ...
    n++;
    const packet = readPacketBlock(type, body, block, little, interfaces);
    if ('error' in packet) {
      yield damaged('parse.pcap.packet', { n, reason: reasonOf(packet) });
      continue;
    }
    yield packet;
  }
}

/** Enhanced (6), Simple (3) or obsolete (2) packet block to a packet. */
function readPacketBlock(
  type: number,
  body: DataView,
  block: Uint8Array,
  little: boolean,
  interfaces: PcapngInterface[],
): CapturedPacket | CaptureDamage {
  if (type === 3) {
    const iface = interfaces[0];
    if (!iface || body.byteLength < 4) return damaged('parse.pcap.simpleNoInterface');
    const origLen = body.getUint32(0, little);
    const capLen = Math.min(origLen, body.byteLength - 4, iface.snapLength || Number.MAX_SAFE_INTEGER);
    return { linkType: iface.linkType, data: block.slice(4, 4 + capLen), originalLength: origLen };
  }
  // EPB: if(4) tsHigh(4) tsLow(4) capLen(4) origLen(4); obsolete PB: if(2) drops(2) then the same.
  if (body.byteLength < 20) return damaged('parse.pcap.blockShort');
  const ifIndex = type === 6 ? body.getUint32(0, little) : body.getUint16(0, little);
  const iface = interfaces[ifIndex];
  if (!iface) return damaged('parse.pcap.unknownInterface', { index: ifIndex });
  const high = BigInt(body.getUint32(4, little));
  const low = BigInt(body.getUint32(8, little));
  const capLen = body.getUint32(12, little);
  const origLen = body.getUint32(16, little);
  if (20 + capLen > body.byteLength) return damaged('parse.pcap.blockOverrun');
  const units = (high << 32n) | low;
  return {
    linkType: iface.linkType,
    timestamp: Number((units * 1000n) / iface.unitsPerSecond),
    data: block.slice(20, 20 + capLen),
    originalLength: origLen,
  };
}
