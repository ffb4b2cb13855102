// Captures built byte by byte: link types and file variants the corpus lacks, and damaged files.
import { describe, expect, it } from 'vitest';
import { ingestText } from '../../../test/helpers.js';
import type { FwEvent } from '../../event.js';
import type { ParseResult } from '../types.js';
import { pcap } from './index.js';

/** IPv4/UDP packet 198.51.100.7:40000 -> 192.0.2.10:53, TTL 57, ID 0x1234, DF. */
function udp4(): Uint8Array {
  const b = Buffer.alloc(28);
  b.writeUInt8(0x45, 0);
  b.writeUInt16BE(28, 2);
  b.writeUInt16BE(0x1234, 4);
  b.writeUInt16BE(0x4000, 6);
  b.writeUInt8(57, 8);
  b.writeUInt8(17, 9);
  Buffer.from([198, 51, 100, 7, 192, 0, 2, 10]).copy(b, 12);
  b.writeUInt16BE(40000, 20);
  b.writeUInt16BE(53, 22);
  b.writeUInt16BE(8, 24);
  return b;
}

/** ICMP port unreachable from 192.0.2.10 quoting the UDP packet above. */
function icmpUnreachable(): Uint8Array {
  const quoted = udp4();
  const b = Buffer.alloc(20 + 8 + quoted.length);
  b.writeUInt8(0x45, 0);
  b.writeUInt16BE(b.length, 2);
  b.writeUInt8(64, 8);
  b.writeUInt8(1, 9);
  Buffer.from([192, 0, 2, 10, 198, 51, 100, 7]).copy(b, 12);
  b.writeUInt8(3, 20);
  b.writeUInt8(3, 21);
  Buffer.from(quoted).copy(b, 28);
  return b;
}

function classicPcap(
  linkType: number,
  packets: Uint8Array[],
  opts: { bigEndian?: boolean; nano?: boolean } = {},
) {
  const w32 = (b: Buffer, v: number, at: number) =>
    opts.bigEndian ? b.writeUInt32BE(v, at) : b.writeUInt32LE(v, at);
  const head = Buffer.alloc(24);
  w32(head, opts.nano ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  w32(head, 65535, 16);
  w32(head, linkType, 20);
  const parts: Buffer[] = [head];
  for (const p of packets) {
    const rec = Buffer.alloc(16);
    w32(rec, 1767323045, 0);
    w32(rec, opts.nano ? 250_000_000 : 250_000, 4);
    w32(rec, p.length, 8);
    w32(rec, p.length, 12);
    parts.push(rec, Buffer.from(p));
  }
  return Buffer.concat(parts);
}

function block(type: number, body: Buffer): Buffer {
  const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
  const total = padded.length + 12;
  const b = Buffer.alloc(total);
  b.writeUInt32LE(type, 0);
  b.writeUInt32LE(total, 4);
  padded.copy(b, 8);
  b.writeUInt32LE(total, total - 4);
  return b;
}

function pcapng(): Buffer {
  const shb = Buffer.alloc(16);
  shb.writeUInt32LE(0x1a2b3c4d, 0);
  shb.writeUInt16LE(1, 4);
  shb.writeBigInt64LE(-1n, 8);
  const idb = (linkType: number, tsresol?: number) => {
    const b = Buffer.alloc(tsresol === undefined ? 8 : 20);
    b.writeUInt16LE(linkType, 0);
    b.writeUInt32LE(65535, 4);
    if (tsresol !== undefined) {
      b.writeUInt16LE(9, 8);
      b.writeUInt16LE(1, 10);
      b.writeUInt8(tsresol, 12);
    }
    return b;
  };
  const epb = (iface: number, units: bigint, data: Uint8Array) => {
    const b = Buffer.alloc(20);
    b.writeUInt32LE(iface, 0);
    b.writeUInt32LE(Number(units >> 32n), 4);
    b.writeUInt32LE(Number(units & 0xffffffffn), 8);
    b.writeUInt32LE(data.length, 12);
    b.writeUInt32LE(data.length, 16);
    return Buffer.concat([b, Buffer.from(data)]);
  };
  const spb = (data: Uint8Array) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(data.length, 0);
    return Buffer.concat([b, Buffer.from(data)]);
  };
  return Buffer.concat([
    block(0x0a0d0d0a, shb),
    block(1, idb(101)), // interface 0: raw IP, microseconds
    block(1, idb(1, 9)), // interface 1: Ethernet, nanoseconds
    block(
      6,
      epb(
        1,
        1767323045_123456789n,
        Buffer.concat([Buffer.alloc(12, 0xaa), Buffer.from([0x08, 0x00]), udp4()]),
      ),
    ),
    block(5, Buffer.alloc(8)), // interface statistics: no packet
    block(6, epb(0, 1767323046_500000n, icmpUnreachable())),
    block(3, spb(udp4())),
  ]);
}

async function readAll(bytes: Uint8Array): Promise<ParseResult[]> {
  const out: ParseResult[] = [];
  const stream = (async function* () {
    // Two chunks split inside a record, as a stream would deliver them.
    yield bytes.subarray(0, 37);
    yield bytes.subarray(37);
  })();
  for await (const r of pcap.readBinary!(stream, {} as never)) out.push(r);
  return out;
}

describe('pcap reader', () => {
  it('reads Linux cooked v1 and v2 frames with their direction', async () => {
    const sll = Buffer.concat([
      Buffer.from([0, 0, 0, 1, 0, 6, 0xaa, 0xbb, 0xcc, 0, 0, 1, 0, 0, 8, 0]),
      udp4(),
    ]);
    const sll2 = Buffer.concat([
      Buffer.from([8, 0, 0, 0, 0, 0, 0, 3, 0, 1, 4, 6, 2, 0, 0, 0, 0, 9, 0, 0]),
      udp4(),
    ]);
    const [v1] = (await readAll(classicPcap(113, [sll]))) as FwEvent[];
    const [v2] = (await readAll(classicPcap(276, [sll2]))) as FwEvent[];
    expect(v1).toMatchObject({
      direction: 'inbound',
      sourceMac: 'aa:bb:cc:00:00:01',
      destinationPort: 53,
      ttl: 57,
    });
    expect(v2).toMatchObject({
      direction: 'outbound',
      outInterface: 'ifindex:3',
      sourceMac: '02:00:00:00:00:09',
    });
    expect(v1!.timestamp).toBe(1767323045250);
  });

  it('reads big-endian and nanosecond captures', async () => {
    const [ev] = (await readAll(classicPcap(101, [udp4()], { bigEndian: true, nano: true }))) as FwEvent[];
    expect(ev).toMatchObject({
      sourceIp: '198.51.100.7',
      dontFragment: true,
      ipId: 0x1234,
      timestamp: 1767323045250,
    });
  });

  it('reads pcapng with several interfaces, their time resolutions and a Simple Packet Block', async () => {
    const [eth, icmp, simple] = (await readAll(pcapng())) as FwEvent[];
    expect(eth).toMatchObject({ sourceMac: 'aa:aa:aa:aa:aa:aa', transport: 'udp', timestamp: 1767323045123 });
    expect(icmp).toMatchObject({
      transport: 'icmp',
      icmpType: 3,
      icmpCode: 3,
      timestamp: 1767323046500,
      inner: {
        sourceIp: '198.51.100.7',
        destinationIp: '192.0.2.10',
        sourcePort: 40000,
        destinationPort: 53,
      },
    });
    expect(simple).toMatchObject({ sourceIp: '198.51.100.7', destinationPort: 53 });
    expect(simple!.timestamp).toBeUndefined();
  });

  it('yields the packets before a truncation, then one error, through the pipeline', async () => {
    const whole = classicPcap(101, [udp4(), udp4(), udp4()]);
    const cut = whole.subarray(0, whole.length - 10);
    const { events, stats } = await ingestText(cut, {}, 'cut.pcap');
    expect(events).toHaveLength(2);
    expect(stats.inputs[0]).toMatchObject({ lines: 3, events: 2, malformed: 1 });
    expect(stats.malformedSamples[0]!.reason).toMatch(/truncated inside packet 3/);
  });

  it('refuses a capture when a text format was forced', async () => {
    const { stats } = await ingestText(classicPcap(101, [udp4()]), { format: 'netfilter' }, 'x.pcap');
    expect(stats.inputs[0]!.error).toMatch(/packet capture/);
  });
});
