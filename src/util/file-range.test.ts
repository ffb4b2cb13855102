// fileRange against what a ReadStream on a descriptor does: the range read by position, the descriptor
// left open when the reader stops early, the bytes handed over counted.
import { closeSync, fstatSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileRange } from './file-range.js';

const dir = mkdtempSync(join(tmpdir(), 'fwlens-file-range-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c);
  return Buffer.concat(parts);
}

describe('fileRange', () => {
  const bytes = Buffer.from(Array.from({ length: 100_000 }, (_, i) => i % 251));
  const path = join(dir, 'data.bin');
  writeFileSync(path, bytes);

  it('gives bytes [start, end) in chunks of the asked size, whatever the file position', async () => {
    const fd = openSync(path, 'r');
    try {
      const s = fileRange(fd, 1_000, 60_000, 4_096);
      expect(await collect(s)).toEqual(bytes.subarray(1_000, 60_000));
      expect(s.bytesRead).toBe(59_000);
      // Up to the file's end when the range runs past it; the whole file by default.
      expect(await collect(fileRange(fd, 90_000, 200_000))).toEqual(bytes.subarray(90_000));
      expect(await collect(fileRange(fd))).toEqual(bytes);
    } finally {
      closeSync(fd);
    }
  });

  it('leaves the descriptor open when the reader stops early (a ReadStream on it would close it)', async () => {
    const fd = openSync(path, 'r');
    try {
      const s = fileRange(fd, 0, Number.POSITIVE_INFINITY, 1_024);
      for await (const _ of s) break;
      expect(s.destroyed).toBe(true);
      await new Promise((r) => setTimeout(r, 20));
      expect(fstatSync(fd).size).toBe(bytes.length);
      expect(await collect(fileRange(fd, 10, 20))).toEqual(bytes.subarray(10, 20));
    } finally {
      closeSync(fd);
    }
  });

  it('counts fewer bytes than the range when the file became shorter', async () => {
    const short = join(dir, 'short.bin');
    writeFileSync(short, bytes);
    const fd = openSync(short, 'r');
    try {
      truncateSync(short, 30_000);
      const s = fileRange(fd, 10_000, 100_000);
      expect(await collect(s)).toEqual(bytes.subarray(10_000, 30_000));
      expect(s.bytesRead).toBe(20_000);
    } finally {
      closeSync(fd);
    }
  });
});
