// Gzip member by member: the same bytes as zlib's own gunzip for whole files, in any chunking; every byte
// before a damage or trailing junk is handed on; headers with every optional field; checks that fail.

import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { GzipError, gunzipMembers } from './gunzip.js';

/** Stream inflaters made (zlib's own, counted). */
const made = vi.hoisted(() => ({ inflaters: 0 }));
vi.mock('node:zlib', async (importOriginal) => {
  const zlib = await importOriginal<typeof import('node:zlib')>();
  return {
    ...zlib,
    createInflateRaw: (...args: Parameters<typeof zlib.createInflateRaw>) => {
      made.inflaters++;
      return zlib.createInflateRaw(...args);
    },
  };
});

/** The input cut into chunks of the given sizes (cycled), as a stream would hand it over. */
async function* chunks(data: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (let i = 0; at < data.length; i++) {
    const n = Math.max(1, sizes[i % sizes.length]!);
    yield data.subarray(at, at + n);
    at += n;
  }
}

/** Everything the decoder hands on, and the error it ends with (if any). */
async function run(data: Buffer, sizes = [65536]): Promise<{ out: Buffer; error?: GzipError | Error }> {
  const parts: Buffer[] = [];
  try {
    for await (const b of gunzipMembers(chunks(data, sizes))) parts.push(b);
    return { out: Buffer.concat(parts) };
  } catch (e) {
    return { out: Buffer.concat(parts), error: e as Error };
  }
}

/** Log-like text of `n` lines (compresses as logs do: well). */
function lines(n: number, seed = 1): Buffer {
  const out: string[] = [];
  for (let i = 0; i < n; i++)
    out.push(
      `Nov 20 10:${String((i >> 6) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} edge kernel: [UFW BLOCK] SRC=203.0.113.${(i * seed) % 250} DST=192.0.2.10 PROTO=TCP SPT=${40000 + (i % 999)} DPT=${i % 1024}`,
    );
  return Buffer.from(`${out.join('\n')}\n`);
}

describe('gunzipMembers', () => {
  it('gives what zlib gives for one and for several members, whatever the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 5 }),
        async (memberLines, sizes) => {
          const members = memberLines.map((n, i) => lines(n, i + 3));
          const gz = Buffer.concat(members.map((m) => gzipSync(m)));
          const { out, error } = await run(gz, sizes);
          expect(error).toBeUndefined();
          expect(out.equals(gunzipSync(gz))).toBe(true);
        },
      ),
      { numRuns: 40, seed: 20261207 },
    );
  });

  it('reads one byte at a time (every header field and the trailer split anywhere)', async () => {
    const gz = Buffer.concat([gzipSync(lines(50)), gzipSync(lines(20, 7))]);
    const { out, error } = await run(gz, [1]);
    expect(error).toBeUndefined();
    expect(out.equals(gunzipSync(gz))).toBe(true);
  });

  it('reads a header with an extra field, a name, a comment and a header CRC', async () => {
    const body = lines(200);
    const plain = gzipSync(body);
    // Rebuild the header with FEXTRA, FNAME, FCOMMENT and FHCRC set (RFC 1952 2.3.1), the body and trailer as made.
    const extra = Buffer.from([4, 0, 0x41, 0x42, 0x43, 0x44]);
    const header = Buffer.concat([
      Buffer.from([0x1f, 0x8b, 8, 0x04 | 0x08 | 0x10 | 0x02]),
      plain.subarray(4, 10),
      extra,
      Buffer.from('kern.log\0'),
      Buffer.from('rotated by logrotate\0'),
      Buffer.from([0x12, 0x34]),
    ]);
    const gz = Buffer.concat([header, plain.subarray(10)]);
    for (const sizes of [[65536], [1], [3, 7]]) {
      const { out, error } = await run(gz, sizes);
      expect(error).toBeUndefined();
      expect(out.equals(body)).toBe(true);
    }
  });

  it('bytes after the last member: every line before them is handed on, then they are said (with their count)', async () => {
    const body = lines(20_000);
    const gz = Buffer.concat([gzipSync(body), Buffer.from('trailing garbage\n')]);
    // zlib's own gunzip loses the output of the step in which the member ended.
    expect(() => gunzipSync(gz)).toThrow();
    for (const sizes of [[65536], [1 << 20], [4093]]) {
      const { out, error } = await run(gz, sizes);
      expect(out.equals(body)).toBe(true);
      expect(error).toBeInstanceOf(GzipError);
      expect(error).toMatchObject({ code: 'GZ_TRAILING', trailingBytes: 17 });
    }
  });

  it('a header whose file name never ends is refused once past its bound, not gathered whole', async () => {
    // The FNAME flag, then 8 MB without the NUL that would end the name.
    const hostile = Buffer.concat([
      Buffer.from([0x1f, 0x8b, 8, 0x08, 0, 0, 0, 0, 0, 3]),
      Buffer.alloc(8 << 20, 0x41),
    ]);
    const { out, error } = await run(hostile, [65536]);
    expect(out.length).toBe(0);
    expect(error).toMatchObject({ code: 'Z_DATA_ERROR', message: 'header too long' });
  });

  it('zero padding after the last member is no error, as gzip allows', async () => {
    const body = lines(300);
    const { out, error } = await run(Buffer.concat([gzipSync(body), Buffer.alloc(4096)]), [1000]);
    expect(error).toBeUndefined();
    expect(out.equals(body)).toBe(true);
  });

  it('a cut file ends in Z_BUF_ERROR after what could be read; damaged data and a wrong check in Z_DATA_ERROR', async () => {
    const body = lines(20_000);
    const gz = gzipSync(body);
    const cut = await run(gz.subarray(0, gz.length >> 1));
    expect(cut.error).toMatchObject({ code: 'Z_BUF_ERROR' });
    expect(cut.out.length).toBeGreaterThan(body.length / 4);
    expect(body.subarray(0, cut.out.length).equals(cut.out)).toBe(true);
    // Only the trailer missing: the data is all there, but cannot be checked.
    expect((await run(gz.subarray(0, gz.length - 8))).error).toMatchObject({ code: 'Z_BUF_ERROR' });
    const badCrc = Buffer.from(gz);
    badCrc[badCrc.length - 6]! ^= 0xff;
    expect((await run(badCrc)).error).toMatchObject({ code: 'Z_DATA_ERROR' });
    const badLength = Buffer.from(gz);
    badLength[badLength.length - 2]! ^= 0x01;
    expect((await run(badLength)).error).toMatchObject({ code: 'Z_DATA_ERROR' });
    const badBody = Buffer.from(gz);
    badBody[gz.length >> 1]! ^= 0xff;
    expect((await run(badBody)).error?.message).toBeDefined();
    expect((await run(Buffer.from('not gzip at all'))).error).toMatchObject({ code: 'Z_DATA_ERROR' });
  });

  it('one member per line: the same lines as one member, in any chunking, at the cost of their bytes', async () => {
    const body = lines(3000, 11);
    const perLine = body
      .toString()
      .split(/(?<=\n)/)
      .map((l) => gzipSync(l));
    const gz = Buffer.concat(perLine);
    expect(perLine.length).toBe(3000);
    for (const sizes of [[65536], [1 << 20], [4093]]) {
      made.inflaters = 0;
      const { out, error } = await run(gz, sizes);
      expect(error).toBeUndefined();
      expect(out.equals(body)).toBe(true);
      // A stream inflater (256 KB buffers, events) per member made such a file 14 times slower than one
      // member: now only a member cut by the end of a chunk is streamed.
      expect(made.inflaters).toBeLessThanOrEqual(Math.ceil(gz.length / sizes[0]!) + 1);
    }
    // Chunks of a few bytes: every member is cut, and streamed.
    const few = Buffer.concat(perLine.slice(0, 100));
    const { out, error } = await run(few, [1, 5, 200]);
    expect(error).toBeUndefined();
    expect(out.equals(body.subarray(0, out.length))).toBe(true);
    expect(out.toString().split('\n').length).toBe(101);
  });

  it('one member per line: a damaged or cut member still ends them, after every line before it', async () => {
    const all = lines(500, 13)
      .toString()
      .split(/(?<=\n)/);
    const members = all.map((l) => gzipSync(l));
    const gz = Buffer.concat(members);
    const before = Buffer.from(all.slice(0, 250).join(''));
    const at = members.slice(0, 250).reduce((n, m) => n + m.length, 0);
    const badCrc = Buffer.from(gz);
    badCrc[at + members[250]!.length - 6]! ^= 0xff;
    const crc = await run(badCrc);
    expect(crc.error).toMatchObject({ code: 'Z_DATA_ERROR' });
    expect(crc.out.subarray(0, before.length).equals(before)).toBe(true);
    const badBody = Buffer.from(gz);
    badBody[at + 12]! ^= 0xff;
    const body = await run(badBody);
    expect(body.error?.message).toBeDefined();
    expect(body.out.subarray(0, before.length).equals(before)).toBe(true);
    const cut = await run(gz.subarray(0, at + 15));
    expect(cut.error).toMatchObject({ code: 'Z_BUF_ERROR' });
    expect(cut.out.subarray(0, before.length).equals(before)).toBe(true);
  });

  it('a gzip bomb is not inflated whole: its output comes in chunks as it is taken', async () => {
    // 64 KB of compressed zeros make 64 MB: past the bound of a member inflated at once, it is streamed.
    const gz = gzipSync(Buffer.alloc(64 << 20));
    let largest = 0;
    let total = 0;
    for await (const b of gunzipMembers(chunks(gz, [65536]))) {
      largest = Math.max(largest, b.length);
      total += b.length;
    }
    expect(total).toBe(64 << 20);
    expect(largest).toBeLessThanOrEqual(1 << 20);
  });
});
