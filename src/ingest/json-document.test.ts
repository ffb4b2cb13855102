// Pretty-printed JSON documents (native Azure flow log blobs) read as one record at their first line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestText, ROOT } from '../../test/helpers.js';
import { JsonDocumentJoiner, opensJsonDocument } from './json-document.js';

const ONE_LINE = readFileSync(
  join(ROOT, 'test', 'fixtures', 'azure-nsg-flow', 'native-multi-flow.log'),
  'utf8',
)
  .split('\n')
  .filter((l) => l !== '');

describe('JsonDocumentJoiner', () => {
  it('joins lines until braces balance, ignoring braces inside strings', () => {
    const j = new JsonDocumentJoiner();
    expect(j.push('plain line', 1)).toEqual({ kind: 'line' });
    expect(j.push('{', 2)).toEqual({ kind: 'pending' });
    expect(j.push('  "a": "x}]\\"{",', 3)).toEqual({ kind: 'pending' });
    expect(j.push('  "b": [1, {"c": 2}]', 4)).toEqual({ kind: 'pending' });
    const done = j.push('}', 5);
    expect(done).toEqual({ kind: 'document', text: '{"a": "x}]\\"{","b": [1, {"c": 2}]}', startLine: 2 });
    if (done.kind === 'document') expect(JSON.parse(done.text)).toEqual({ a: 'x}]"{', b: [1, { c: 2 }] });
    expect(j.push('{"whole": true}', 6)).toEqual({ kind: 'line' });
  });

  it('drops a document over its bound and reports it at its first line', () => {
    const j = new JsonDocumentJoiner(20);
    j.push('{', 1);
    j.push('"k": "a value longer than twenty characters"', 2);
    expect(j.push('}', 3)).toEqual({ kind: 'too-large', startLine: 1 });
  });

  it('hands over an unfinished document at the end of input', () => {
    const j = new JsonDocumentJoiner();
    j.push('{"records": [', 1);
    expect(j.flush()).toEqual({ kind: 'document', text: '{"records": [', startLine: 1 });
    expect(j.flush()).toBeUndefined();
  });

  it('only starts on a line that opens an object it does not close', () => {
    expect(opensJsonDocument('{')).toBe(true);
    expect(opensJsonDocument('  {"records": [')).toBe(true);
    expect(opensJsonDocument('{"a": 1}')).toBe(false);
    expect(opensJsonDocument('Nov 25 16:47:03 edge kernel: {')).toBe(false);
  });
});

describe('pretty-printed Azure flow log documents', () => {
  it('yield the same events as the one-line document, at the document first line', async () => {
    const flat = await ingestText(`${ONE_LINE[0]}\n${ONE_LINE[1]}\n`);
    const pretty = [
      JSON.stringify(JSON.parse(ONE_LINE[0]!), null, 2),
      JSON.stringify(JSON.parse(ONE_LINE[1]!), null, 4),
    ].join('\n');
    const firstLength = JSON.stringify(JSON.parse(ONE_LINE[0]!), null, 2).split('\n').length;
    const { events, stats } = await ingestText(`${pretty}\n`);
    const s = stats.inputs[0]!;
    expect(events.length).toBe(13);
    expect(events.map((e) => e.line)).toEqual([...Array(10).fill(1), ...Array(3).fill(firstLength + 1)]);
    const strip = (evs: typeof events) => evs.map(({ line: _l, ...rest }) => rest);
    expect(strip(events)).toEqual(strip(flat.events));
    expect(s.lines).toBe(pretty.split('\n').length);
    expect(s.malformed + s.unrecognized).toBe(0);
    const nonTraffic = Object.values(s.nonTraffic).reduce((a, b) => a + b, 0);
    expect(s.events - s.multiEventExtra + nonTraffic + s.malformed + s.unrecognized + s.blank).toBe(s.lines);
  });

  it('reads the blob layout with one record per CRLF line inside the records array', async () => {
    const records = (JSON.parse(ONE_LINE[0]!) as { records: unknown[] }).records.map((r) =>
      JSON.stringify(r),
    );
    const blob = `{"records":[\r\n${records.join('\r\n,')}\r\n]}\r\n`;
    const { events, stats } = await ingestText(blob);
    expect(events.length).toBe(10);
    expect(new Set(events.map((e) => e.line))).toEqual(new Set([1]));
    expect(stats.inputs[0]!.lines).toBe(4);
    expect(stats.inputs[0]!.blank).toBe(3);
  });

  it('reads one-object-per-line JSON whose first line is damaged: only that line is lost', async () => {
    const lines = [
      '{"time":"2018-11-13T12:00:35Z","rule":"R","flow.0":"1542110402,198.51.100.94,192.0.2.4,505',
      '{"time":"2018-11-13T12:00:36Z","rule":"R","flow.0":"1542110403,198.51.100.94,192.0.2.4,50572,3389,T,I,D"}',
      '{"time":"2018-11-13T12:00:37Z","rule":"R","flow.0":"1542110404,198.51.100.94,192.0.2.4,50573,3389,T,I,D"}',
    ];
    const cutMidNumber = [
      '{"records":[{"time":"2018-11-13T12:00:35Z","properties":{"Version":2,"flows":12',
      ...lines.slice(1),
    ];
    for (const text of [lines, cutMidNumber]) {
      const { events, stats } = await ingestText(`${text.join('\n')}\n`);
      const s = stats.inputs[0]!;
      expect(events.map((e) => [e.line, e.sourcePort])).toEqual([
        [2, 50572],
        [3, 50573],
      ]);
      // The damaged line is one record (malformed when it still names its tuples, else unrecognized).
      expect(s.malformed + s.unrecognized).toBe(1);
      expect(s.lines).toBe(3);
      expect(s.events + s.malformed + s.unrecognized + s.blank).toBe(s.lines);
    }
  });

  it('reports a document cut short as one malformed record', async () => {
    const pretty = JSON.stringify(JSON.parse(ONE_LINE[0]!), null, 2).split('\n');
    const { events, stats } = await ingestText(pretty.slice(0, 20).join('\n'));
    const s = stats.inputs[0]!;
    expect(events.length).toBe(0);
    expect(s.malformed).toBe(1);
    expect(s.lines).toBe(20);
    expect(s.blank).toBe(19);
    expect(stats.malformedSamples[0]!.line).toBe(1);
  });
});
