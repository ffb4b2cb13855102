// Lines to records: each record says where it began and how many lines it took, and every pushed line is
// taken by exactly one record (the line accounting rests on this).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeContext } from '../formats/envelope/time.js';
import { RecordAssembler, type TextRecord } from './records.js';

const NF = 'Nov 24 10:15:01 gw kernel: IN=eth0 OUT= SRC=198.51.100.7 DST=192.0.2.10 PROTO=TCP SPT=1 DPT=22';

/** Push lines (numbered from 1, `skip` left out as damaged lines are) and flush. */
function assemble(lines: string[], skip: number[] = []): TextRecord[] {
  const a = new RecordAssembler(makeContext(0, { year: 2026 }));
  const out: TextRecord[] = [];
  lines.forEach((line, i) => {
    if (!skip.includes(i + 1)) out.push(...a.push(line, i + 1));
  });
  return [...out, ...a.flush()];
}
const shape = (rs: TextRecord[]) => rs.map((r) => [r.kind, r.firstLine, r.lines]);

describe('RecordAssembler', () => {
  it('one record per plain line, blanks as blanks', () => {
    expect(shape(assemble([NF, '', NF]))).toEqual([
      ['record', 1, 1],
      ['blank', 2, 1],
      ['record', 3, 1],
    ]);
  });

  it('a journald export record takes its field lines and its closing blank line', () => {
    const rec = ['__CURSOR=s=1', '__REALTIME_TIMESTAMP=1764089271123456', `MESSAGE=${NF.slice(16)}`, ''];
    const rs = assemble([...rec, NF]);
    expect(shape(rs)).toEqual([
      ['record', 1, 4],
      ['record', 5, 1],
    ]);
    expect(rs[0]!.kind === 'record' && rs[0]!.raw).toBe(rec[2]);
  });

  it('an export record without its blank line ends before the next line, which is read on its own', () => {
    const rec = ['__CURSOR=s=1', '__REALTIME_TIMESTAMP=1764089271123456', `MESSAGE=${NF.slice(16)}`];
    expect(shape(assemble([...rec, NF]))).toEqual([
      ['record', 1, 3],
      ['record', 4, 1],
    ]);
    expect(shape(assemble(rec))).toEqual([['record', 1, 3]]);
  });

  it('a pretty-printed JSON document is one record; one cut short ends before the object that follows', () => {
    expect(shape(assemble(['{', '  "a": 1,', '  "b": [1,', '2]', '}']))).toEqual([['record', 1, 5]]);
    expect(shape(assemble(['{', '  "a": 1,', '{"b": 2}']))).toEqual([
      ['record', 1, 2],
      ['record', 3, 1],
    ]);
  });

  it('damaged lines inside an open record are not counted by it', () => {
    expect(shape(assemble(['{', '  "a": 1,', 'xx', '}'], [3]))).toEqual([['record', 1, 3]]);
    expect(shape(assemble(['__CURSOR=s=1', 'xx', 'MESSAGE=hi'], [2]))).toEqual([['record', 1, 2]]);
    // The record is named by its own first line, not by how many lines the envelope reader was given.
    expect(shape(assemble(['xx', 'yy', '__CURSOR=s=1', 'MESSAGE=hi', ''], [1, 2]))).toEqual([
      ['record', 3, 3],
    ]);
  });

  it('every pushed line is taken by exactly one record, whatever the lines', () => {
    const pieces = [
      '',
      NF,
      '{',
      '}',
      '[',
      ']',
      '"',
      '"a": 1,',
      '{"x": 1}',
      '__CURSOR=s=1',
      'MESSAGE=m',
      'FOO=1',
      '{ "a',
    ];
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom(...pieces), { maxLength: 3 }), { maxLength: 30 }),
        fc.array(fc.nat(30), { maxLength: 4 }),
        (parts, skip) => {
          const lines = parts.map((p) => p.join(''));
          const pushed = lines.filter((_, i) => !skip.includes(i + 1)).length;
          const rs = assemble(lines, skip);
          expect(rs.reduce((n, r) => n + r.lines, 0)).toBe(pushed);
          for (const r of rs) expect(r.lines).toBeGreaterThanOrEqual(1);
        },
      ),
      { seed: 1205, numRuns: 2000 },
    );
  });
});
