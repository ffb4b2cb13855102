// UTF-16 logs (with their byte-order mark), as Windows tools save them: PowerShell 5's `>` and Out-File, Notepad's
// "Unicode". analyze, ingest and the store's evidence read them as the same log in UTF-8, line for line; watch
// says it does not follow them instead of calling them binary.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { sniffMagic, utf16ToUtf8 } from '../src/ingest/lines.js';
import { ROOT, runCli } from './helpers.js';

const SAMPLE = join(ROOT, 'examples', 'sample.log');
let dir: string;
let text: string;

/** `text` as UTF-16 with its byte-order mark, little- or big-endian. */
function utf16(s: string, littleEndian: boolean): Buffer {
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
  return littleEndian ? le : Buffer.from(le).swap16();
}

/** The JSON report of one input, its path written as `INPUT`. */
async function report(path: string, args: string[] = []): Promise<string> {
  const r = await runCli(['analyze', path, '--json', ...args]);
  expect([r.code, r.err]).toEqual([0, '']);
  return r.out.split(JSON.stringify(path).slice(1, -1)).join('INPUT');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fwlens-utf16-'));
  // CRLF line ends, as a Windows tool writes them.
  text = readFileSync(SAMPLE, 'utf8').replace(/\n/g, '\r\n');
  writeFileSync(join(dir, 'plain.log'), text);
  writeFileSync(join(dir, 'le.log'), utf16(text, true));
  writeFileSync(join(dir, 'be.log'), utf16(text, false));
  writeFileSync(join(dir, 'le.log.gz'), gzipSync(utf16(text, true)));
});

describe('UTF-16 input', () => {
  it('is told apart from binary data by its byte-order mark', () => {
    expect(sniffMagic(Buffer.from([0xff, 0xfe, 0x4e, 0]))).toBe('utf16le');
    expect(sniffMagic(Buffer.from([0xfe, 0xff, 0, 0x4e]))).toBe('utf16be');
    expect(sniffMagic(Buffer.from([0xff, 0xfe, 0, 0]))).toBe('text'); // UTF-32's mark: left to the binary check
    expect(sniffMagic(Buffer.from('Nov 20 00:05:11 edge'))).toBe('text');
  });

  it('turns into the same UTF-8 however it is cut into chunks, surrogate pairs and CJK included', async () => {
    const s = 'Dec  7 fw kernel: DROP 丢弃 \u{1F525} SRC=192.0.2.1\r\nline 2 é\n';
    for (const littleEndian of [true, false]) {
      const bytes = utf16(s, littleEndian);
      for (let cut = 0; cut <= bytes.length; cut++) {
        const parts = [bytes.subarray(0, cut), bytes.subarray(cut)];
        const out: Buffer[] = [];
        for await (const b of utf16ToUtf8(chunks(parts), littleEndian)) out.push(b);
        expect(Buffer.concat(out).toString('utf8')).toBe(s);
      }
      const single: Buffer[] = [];
      const bytewise = [...bytes].map((b) => Buffer.from([b]));
      for await (const b of utf16ToUtf8(chunks(bytewise), littleEndian)) single.push(b);
      expect(Buffer.concat(single).toString('utf8')).toBe(s);
    }
  });

  it('ends in U+FFFD where a surrogate is unpaired or a byte is left over, never in an error', async () => {
    const lone = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('a', 'utf16le'),
      Buffer.from([0x3d, 0xd8]),
    ]);
    const out: Buffer[] = [];
    for await (const b of utf16ToUtf8(chunks([lone, Buffer.from([0x41])]), true)) out.push(b);
    expect(Buffer.concat(out).toString('utf8')).toBe('a\uFFFD');
  });

  it('gives analyze the report of the same log in UTF-8: little- and big-endian, gzipped, on stdin', async () => {
    const plain = await report(join(dir, 'plain.log'));
    expect(JSON.parse(plain).findings.length).toBeGreaterThan(20);
    expect(JSON.parse(plain).inputs[0].malformed).toBe(2); // the sample's two damaged lines, as in UTF-8
    expect(await report(join(dir, 'le.log'))).toBe(plain);
    expect(await report(join(dir, 'be.log'))).toBe(plain);
    expect(await report(join(dir, 'le.log.gz'))).toBe(plain);
    const piped = await runCli(['analyze', '-', '--json'], { stdin: utf16(text, true) });
    const pipedPlain = await runCli(['analyze', '-', '--json'], { stdin: text });
    expect([piped.code, pipedPlain.code]).toEqual([0, 0]);
    expect(JSON.parse(piped.out).findings.length).toBe(JSON.parse(plain).findings.length);
    expect(piped.out).toBe(pipedPlain.out);
  }, 60_000);

  it('is stored by ingest and its evidence lines read back from the file', async () => {
    const store = join(dir, 'store.duckdb');
    const ing = await runCli(['ingest', join(dir, 'le.log'), '--store', store]);
    expect(ing.code).toBe(0);
    const fromStore = await runCli(['analyze', '--store', store, '--json']);
    expect(fromStore.code).toBe(0);
    const stored = JSON.parse(fromStore.out) as { findings: { evidence: { text: string }[] }[] };
    const direct = JSON.parse(await report(join(dir, 'le.log'))) as typeof stored;
    expect(stored.findings.length).toBe(direct.findings.length);
    const evidence = stored.findings.flatMap((f) => f.evidence.map((e) => e.text));
    expect(evidence.length).toBeGreaterThan(20);
    expect(evidence.every((t) => t.length > 0 && !t.includes('\0') && !t.includes('\uFFFD'))).toBe(true);
    expect(evidence.every((t) => text.includes(t))).toBe(true);
  }, 60_000);
});

/** Buffers as a stream yields them. */
async function* chunks(parts: Buffer[]): AsyncGenerator<Buffer> {
  yield* parts;
}
