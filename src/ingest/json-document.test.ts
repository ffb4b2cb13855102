// Pretty-printed JSON documents (native Azure flow log blobs) read as one record at their first line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestText, ROOT } from '../../test/helpers.js';
import { azureNsgFlow, SERIES_MIN_FLOWS } from '../formats/azure-nsg-flow.js';
import { makeContext } from '../formats/envelope/time.js';
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

/** NSG v2 tuples, as a busy NSG writes them. */
function tuples(n: number, from = 0): string[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return `${1542110402 + (i >> 4)},198.51.${(i >> 8) & 255}.${i & 255},192.0.2.4,${1024 + (i % 60000)},${[22, 80, 443][i % 3]},T,I,${i % 5 ? 'D' : 'A'},B,,,,`;
  });
}

/** A pretty-printed native NSG document (one tuple a line) holding the given tuples. */
function nsgDocument(flowTuples: string[]): string {
  const doc = {
    records: [
      {
        time: '2018-11-13T12:00:35.3899262Z',
        category: 'NetworkSecurityGroupFlowEvent',
        properties: {
          Version: 2,
          flows: [{ rule: 'DefaultRule_DenyAllInBound', flows: [{ mac: '000D3AF87856', flowTuples }] }],
        },
      },
    ],
  };
  return `${JSON.stringify(doc, null, 1)}\n`;
}

describe('a document of many flows', () => {
  const N = 3 * SERIES_MIN_FLOWS + 123;

  it('gives the events small documents of the same flows give, at its first line, accounted as one record', async () => {
    const all = tuples(N);
    const big = nsgDocument(all);
    const { events, stats } = await ingestText(big);
    // The same flows in documents small enough to be read as an array of events each.
    const parts: string[] = [];
    for (let i = 0; i < N; i += SERIES_MIN_FLOWS) parts.push(nsgDocument(all.slice(i, i + SERIES_MIN_FLOWS)));
    const small = await ingestText(parts.join(''));
    expect(events.length).toBe(N);
    expect(new Set(events.map((e) => e.line))).toEqual(new Set([1]));
    const strip = (evs: typeof events) => evs.map(({ line: _l, ...rest }) => rest);
    expect(strip(events)).toEqual(strip(small.events));
    expect(events[0]!.ruleName).toBe('DefaultRule_DenyAllInBound');
    const s = stats.inputs[0]!;
    expect(s.malformed + s.unrecognized).toBe(0);
    const nonTraffic = Object.values(s.nonTraffic).reduce((a, b) => a + b, 0);
    expect(s.events - s.multiEventExtra + nonTraffic + s.malformed + s.unrecognized + s.blank).toBe(s.lines);
  });

  it('makes its events as they are taken, not all at once (900,000 flows held as events ran a worker out of memory)', () => {
    const doc = JSON.stringify(JSON.parse(nsgDocument(tuples(N))));
    const parse = azureNsgFlow.createParser(makeContext(Date.UTC(2026, 0, 1)));
    const r = parse({ envelope: 'bare', message: doc });
    expect(Array.isArray(r)).toBe(false);
    expect(r).toMatchObject({ flowCount: N });
    if (r === null || !('flowCount' in r)) return;
    const made = r.events()[Symbol.iterator]();
    const first = made.next();
    expect(first.done).toBe(false);
    expect(first.value).toMatchObject({ sourceIp: '198.51.0.0', destinationPort: 22, action: 'allow' });
    let more = 1;
    while (!made.next().done) more++;
    expect(more).toBe(N);
  });

  it('one damaged flow still makes the whole document damaged, naming it, and gives no events', async () => {
    const all = tuples(N);
    all[N - 2] = '1542110402,198.51.100.1,192.0.2.4,1024,22,T,I,Q,B,,,,';
    const { events, stats } = await ingestText(nsgDocument(all));
    expect(events.length).toBe(0);
    expect(stats.inputs[0]!.malformed).toBe(1);
    expect(stats.malformedSamples[0]!.reason).toContain(`${N - 1}`);
    expect(stats.malformedSamples[0]!.reason).toContain(`${N}`);
  });
});
