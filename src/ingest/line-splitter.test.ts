// The byte-level line splitter against a plain reference split: endings, chunk borders, the line cap, NUL lines.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LineBatch, LineSplitter, LONG_LINE_PREFIX_BYTES, lineText } from './line-splitter.js';

/** Feed `chunks` to a splitter and collect every line, marking flawed ones as `<kind:bytes>prefix`. */
function split(chunks: Buffer[], maxLineBytes = 64 * 1024): { lines: string[]; splitter: LineSplitter } {
  const splitter = new LineSplitter(maxLineBytes);
  const lines: string[] = [];
  const take = (b: LineBatch) => {
    let f = 0;
    b.lines.forEach((line, i) => {
      const flaw = b.flaws?.[f];
      if (flaw?.index === i) {
        f++;
        lines.push(`<${flaw.kind}:${flaw.bytes}>${line}`);
      } else lines.push(line);
    });
  };
  for (const c of chunks) take(splitter.push(c));
  take(splitter.end());
  return { lines, splitter };
}

/** Cut a buffer into pieces at the given offsets. */
function cutAt(buf: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of [...at, buf.length]) {
    if (c > prev) out.push(buf.subarray(prev, c));
    prev = Math.max(prev, c);
  }
  return out;
}

/** The readable reference: CRLF, lone CR and LF each end a line; no empty line after a final ending. */
function referenceSplit(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const UFW =
  'Nov 20 00:05:11 edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 LEN=60 PROTO=TCP SPT=40404 DPT=22 SYN';

describe('LineSplitter', () => {
  it('ends lines at LF, CRLF and a lone CR (old Mac or mixed line ends), one ending each', () => {
    const text = `${UFW}\r${UFW}\r\n${UFW}\n\r\n${UFW}`;
    expect(split([Buffer.from(text)]).lines).toEqual([UFW, UFW, UFW, '', UFW]);
  });

  it('takes a CRLF cut between two chunks as one ending', () => {
    expect(split([Buffer.from('a\r'), Buffer.from('\nb\r'), Buffer.from('c\n')]).lines).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('splits like the reference for any text and any chunking (property)', () => {
    const piece = fc.constantFrom('a', 'é', '中', ' ', '\n', '\r', '\r\n', 'SRC=1.2.3.4');
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 60 }),
        fc.array(fc.nat(400), { maxLength: 8 }),
        (parts, cuts) => {
          const text = parts.join('');
          // Multi-byte characters cut between chunks are joined again before decoding.
          expect(split(cutAt(Buffer.from(text), cuts)).lines).toEqual(referenceSplit(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeping bytes gives the same lines and flaws as making text, for any text and chunking (property)', () => {
    const piece = fc.constantFrom('a', 'é', '中', '\0', '\n', '\r', '\r\n', 'x'.repeat(30), '\xff');
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 50 }),
        fc.array(fc.nat(300), { maxLength: 6 }),
        (parts, cuts) => {
          const chunks = cutAt(Buffer.from(parts.join('')), cuts);
          const text = new LineSplitter(40);
          const bytes = new LineSplitter(40, false, true);
          const got: unknown[] = [];
          const want: unknown[] = [];
          for (const [c, last] of [
            ...chunks.map((c) => [c, false] as const),
            [Buffer.alloc(0), true] as const,
          ]) {
            const a = last ? text.end() : text.push(c);
            const b = last ? bytes.end() : bytes.push(c);
            want.push(a.lines, a.flaws);
            expect(b.spans!.length).toBe(2 * b.lines.length);
            got.push(
              b.lines.map((_, i) => lineText(b, i)),
              b.flaws,
            );
          }
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives each line its start offset in the input, like the reference, for any chunking (property)', () => {
    const piece = fc.constantFrom('a', '中', '\n', '\r', '\r\n', 'x'.repeat(40));
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 40 }),
        fc.array(fc.nat(300), { maxLength: 6 }),
        (parts, cuts) => {
          const bytes = Buffer.from(parts.join(''));
          // latin1 keeps one character per byte, so string indexes are byte offsets.
          const text = bytes.toString('latin1');
          const expected: number[] = [];
          const re = /\r\n|\r|\n/g;
          let start = 0;
          for (let m = re.exec(text); m; m = re.exec(text)) {
            expected.push(start);
            start = m.index + m[0].length;
          }
          if (start < bytes.length) expected.push(start);
          const splitter = new LineSplitter(64, true);
          const got: number[] = [];
          for (const c of cutAt(bytes, cuts)) got.push(...(splitter.push(c).offsets ?? []));
          got.push(...(splitter.end().offsets ?? []));
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts a line over the cap once, with its length and a short prefix, wherever the chunks cut it', () => {
    const long = 'x'.repeat(5000);
    const text = Buffer.from(`${UFW}\n${long}\n${UFW}\n`);
    for (const cuts of [[], [100], [200, 3000, 4000], [UFW.length + 1 + 5000]]) {
      const { lines } = split(cutAt(text, cuts), 1024);
      expect(lines).toEqual([UFW, `<too-long:5000>${'x'.repeat(LONG_LINE_PREFIX_BYTES)}`, UFW]);
    }
  });

  it('joins a 50 MB line without newline in linear work and keeps only its prefix', () => {
    const chunk = Buffer.alloc(1 << 20, 'a');
    const splitter = new LineSplitter();
    let lines: string[] = [];
    for (let i = 0; i < 50; i++) lines = lines.concat(splitter.push(chunk).lines);
    const last = splitter.end();
    expect(lines).toEqual([]);
    expect(last.lines).toEqual(['a'.repeat(LONG_LINE_PREFIX_BYTES)]);
    expect(last.flaws).toEqual([{ index: 0, kind: 'too-long', bytes: 50 << 20 }]);
    // At most the cap is ever copied for one line (quadratic joining copied ~1.3 GB here).
    expect(splitter.copiedBytes).toBeLessThanOrEqual(64 * 1024);
  });

  it('copies a line spread over many small chunks about once (work grows linearly)', () => {
    const copied = (n: number) => {
      const { splitter, lines } = split(
        cutAt(
          Buffer.from(`${'b'.repeat(n)}\n`),
          [...Array(n / 100).keys()].map((i) => i * 100),
        ),
      );
      expect(lines).toEqual(['b'.repeat(n)]);
      return splitter.copiedBytes;
    };
    expect(copied(10_000)).toBeLessThanOrEqual(3 * 10_000);
    expect(copied(40_000)).toBeLessThanOrEqual(3 * 40_000);
  });

  it('flags a line holding NUL bytes, also when the NULs came in an earlier chunk', () => {
    const text = Buffer.concat([Buffer.from(`${UFW}\n`), Buffer.alloc(512), Buffer.from(`${UFW}\n${UFW}\n`)]);
    const expected = [UFW, `<nul:${512 + UFW.length}>${'\0'.repeat(512)}${UFW}`, UFW];
    expect(split([text]).lines).toEqual(expected);
    expect(split(cutAt(text, [UFW.length + 10, UFW.length + 300])).lines).toEqual(expected);
  });
});
