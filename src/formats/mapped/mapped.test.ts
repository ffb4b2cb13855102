// The `mapped` format end to end: the example mapping files read the fixture exports through the pipeline.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles, ROOT } from '../../../test/helpers.js';
import { makeContext } from '../envelope/time.js';
import { createMappedFormat, splitDelimited, validateMapping } from './index.js';

const FIX = join(ROOT, 'test', 'fixtures', 'mapped');
const EXAMPLES = join(ROOT, 'examples');

describe('mapped format', () => {
  it('reads a CSV export with the example mapping: header, quotes, zones, value maps', async () => {
    const { events, stats } = await ingestFiles([join(FIX, 'export.csv')], {
      format: 'mapped',
      mapping: join(EXAMPLES, 'mapping-csv.yaml'),
    });
    const input = stats.inputs[0]!;
    expect(input).toMatchObject({ lines: 8, events: 4, malformed: 3, nonTraffic: { header: 1 } });
    expect(events[0]).toMatchObject({
      format: 'mapped',
      action: 'deny',
      direction: 'inbound',
      sourceIp: '198.51.100.7',
      sourcePort: 51000,
      destinationPort: 22,
      transport: 'tcp',
      ruleName: 'deny ssh, internet',
      observerProduct: 'acme-edge',
      // 10:00:01 at +01:00
      timestamp: Date.UTC(2026, 0, 5, 9, 0, 1),
    });
    expect(events[1]).toMatchObject({ action: 'allow', direction: 'outbound', transport: 'udp' });
    expect(events[2]).toMatchObject({
      action: 'reject',
      sourceIp: '2001:db8::7',
      transport: 'tcp',
      ianaNumber: 6,
    });
    expect(events[3]).toMatchObject({ transport: 'icmp' });
    expect(events[3]!.destinationPort).toBeUndefined();
    const reasons = stats.malformedSamples.map((p) => p.reason);
    expect(reasons[0]).toMatch(/port "99999"/);
    expect(reasons[1]).toMatch(/"MAYBE" is not in the mapping's actions/);
    expect(reasons[2]).toMatch(/"yesterday" does not match the format "DD\/MMM\/YYYY:HH:mm:ss"/);
  });

  it('reads JSON lines with nested keys and epoch times', async () => {
    const { events, stats } = await ingestFiles([join(FIX, 'events.jsonl')], {
      format: 'mapped',
      mapping: join(EXAMPLES, 'mapping-json.yaml'),
    });
    expect(events.map((e) => e.action)).toEqual(['allow', 'deny', 'log']);
    expect(events[0]).toMatchObject({
      sourceIp: '198.51.100.20',
      destinationPort: 443,
      timestamp: 1767607201250,
    });
    expect(stats.inputs[0]!.malformed).toBe(1);
    expect(stats.malformedSamples[0]!.reason).toMatch(/not-an-ip/);
  });

  it('a mapped key reads only what the record holds, never what every object inherits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-mapped-'));
    const mapping = readFileSync(join(EXAMPLES, 'mapping-json.yaml'), 'utf8')
      .replace(/ruleName: rule\b/, 'ruleName: constructor')
      .replace(/fields:\n/, 'fields:\n  observerHost: net.__proto__\n');
    writeFileSync(join(dir, 'map.yaml'), mapping);
    const { events } = await ingestFiles([join(FIX, 'events.jsonl')], {
      format: 'mapped',
      mapping: join(dir, 'map.yaml'),
    });
    expect(events.length).toBeGreaterThan(0);
    for (const ev of events) {
      expect(ev.ruleName).toBeUndefined();
      expect(ev.observerHost).toBeUndefined();
    }
  });

  it('reports a missing or invalid mapping as an input error naming the problem', async () => {
    const missing = ingestFiles([join(FIX, 'export.csv')], { format: 'mapped' });
    await expect(missing).rejects.toThrow(/needs a mapping file/);
    const invalid = ingestFiles([join(FIX, 'export.csv')], {
      format: 'mapped',
      mapping: join(FIX, 'bad-mapping.yaml'),
    });
    await expect(invalid).rejects.toThrow(/not a valid mapping/);
  });

  it('names every problem of an invalid mapping', () => {
    expect(() => validateMapping({ input: 'xml', fields: {} })).toThrow(/input.*fields: map at least one/s);
  });

  it('reads numbered columns of a header-less file', () => {
    const format = createMappedFormat(
      validateMapping({
        input: 'csv',
        header: false,
        delimiter: ';',
        fields: { sourceIp: 2, destinationPort: 3 },
      }),
    );
    const parse = format.createParser(makeContext(0));
    expect(parse({ envelope: 'bare', message: 'x;192.0.2.1;80' })).toMatchObject({
      sourceIp: '192.0.2.1',
      destinationPort: 80,
    });
    expect(parse({ envelope: 'bare', message: 'x;192.0.2.1' })).toMatchObject({
      error: expect.stringMatching(/2 columns/),
    });
  });

  it('splits quoted fields', () => {
    expect(splitDelimited('a,"b,c","d ""e""",f', ',')).toEqual(['a', 'b,c', 'd "e"', 'f']);
  });
});
