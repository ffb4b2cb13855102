// Machine output against its contracts: JSON Schemas (report, event, finding), real ECS field names and types, CSV.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { EcsFlat, EcsVersion } from '@elastic/ecs';
import ipaddr from 'ipaddr.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../test/helpers.js';
import { schemaValidator } from '../../test/support/schemas.js';
import { run } from '../cli/main.js';
import { ECS_VERSION, ecsMac, toEcs } from '../event.js';
import { csvField, eventDocument } from './machine.js';

const SAMPLE = join(ROOT, 'examples', 'sample.log');
const FIXTURES = join(ROOT, 'test', 'fixtures');
/** Every text fixture of every format, so the ECS check sees every field some parser fills. */
const ALL_FIXTURE_LOGS = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !['mapped', 'knowledge', 'lab'].includes(d.name))
  .flatMap((d) =>
    readdirSync(join(FIXTURES, d.name))
      .filter((f) => /\.(log|txt|json|csv|pcap|pcapng)$/.test(f) && !/expected/.test(f))
      .map((f) => join(FIXTURES, d.name, f)),
  );
const tmp = mkdtempSync(join(tmpdir(), 'fwlens-machine-'));
async function cli(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (d: Buffer) => chunks.push(d));
  stderr.resume();
  const code = await run(args, { stdout, stderr, env: { LANG: 'C' } });
  return { code, out: Buffer.concat(chunks).toString('utf8') };
}

/** Leaf fields of a nested document as dotted names, stopping at arrays and at our own namespace. */
function leaves(doc: Record<string, unknown>, prefix = ''): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(doc)) {
    const name = prefix ? `${prefix}.${k}` : k;
    if (name === 'fwlens') continue;
    if (v !== null && typeof v === 'object' && !Array.isArray(v))
      out.push(...leaves(v as Record<string, unknown>, name));
    else out.push([name, v]);
  }
  return out;
}

/** Why a value does not fit its ECS field: name, type or pattern (undefined when it fits). */
function ecsMismatch(name: string, value: unknown): string | undefined {
  const field = (EcsFlat as Record<string, { type: string; normalize: string[]; pattern?: string }>)[name];
  if (!field) return `${name} is not an ECS field`;
  if (field.pattern !== undefined)
    for (const v of Array.isArray(value) ? value : [value])
      if (!new RegExp(field.pattern).test(String(v)))
        return `${name}=${JSON.stringify(v)} does not match the ECS pattern ${field.pattern}`;
  const isArrayField = field.normalize.includes('array');
  if (Array.isArray(value) && !isArrayField) return `${name} is an array but ECS expects one value`;
  for (const v of Array.isArray(value) ? value : [value]) {
    const ok =
      field.type === 'ip'
        ? typeof v === 'string' && ipaddr.isValid(v)
        : field.type === 'long'
          ? Number.isInteger(v)
          : field.type === 'float' || field.type === 'scaled_float'
            ? typeof v === 'number'
            : field.type === 'date'
              ? typeof v === 'string' && !Number.isNaN(Date.parse(v))
              : field.type === 'boolean'
                ? typeof v === 'boolean'
                : ['keyword', 'constant_keyword', 'wildcard', 'match_only_text', 'text'].includes(field.type)
                  ? typeof v === 'string'
                  : false;
    if (!ok) return `${name}=${JSON.stringify(v)} does not fit ECS type ${field.type}`;
  }
  return undefined;
}

describe('JSON and NDJSON output', () => {
  const schemas = schemaValidator();
  let report: Record<string, unknown> & { findings: unknown[]; totals: { events: number } };
  let lines: Record<string, unknown>[];
  let fixtureLines: Record<string, unknown>[];

  beforeAll(async () => {
    report = JSON.parse((await cli(['analyze', '--json', SAMPLE])).out);
    lines = (await cli(['analyze', '--ndjson', SAMPLE])).out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    fixtureLines = (await cli(['analyze', '--ndjson', ...ALL_FIXTURE_LOGS])).out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
  }, 120_000);

  it('--json validates against schema/report.schema.json, findings included', () => {
    expect(report.findings.length).toBeGreaterThan(0);
    expect(schemas.validate('report.schema.json', report), schemas.errors()).toBe(true);
  });

  it('the schema rejects a broken report (it is not a rubber stamp)', () => {
    const broken = structuredClone(report) as { totals: Record<string, unknown> };
    broken.totals.events = 'many';
    expect(schemas.validate('report.schema.json', broken)).toBe(false);
    const extra = { ...report, surprise: 1 };
    expect(schemas.validate('report.schema.json', extra)).toBe(false);
  });

  it('--ndjson has one line per event and one alert line per finding, each valid against its schema', () => {
    const events = lines.filter((l) => (l.event as { kind: string }).kind === 'event');
    const alerts = lines.filter((l) => (l.event as { kind: string }).kind === 'alert');
    // The last line closes the run with its line accounting.
    const closing = lines.at(-1)!;
    expect(closing.event).toMatchObject({ kind: 'metric', dataset: 'fwlens.inputs', outcome: 'success' });
    expect(schemas.validate('inputs.schema.json', closing), schemas.errors()).toBe(true);
    expect(closing.fwlens).toMatchObject({ inputs: { events: report.totals.events } });
    expect(events.length + alerts.length + 1).toBe(lines.length);
    expect(events.length).toBe(report.totals.events);
    expect(alerts.length).toBe(report.findings.length);
    for (const e of events) expect(schemas.validate('event.schema.json', e), schemas.errors()).toBe(true);
    for (const a of alerts) expect(schemas.validate('finding.schema.json', a), schemas.errors()).toBe(true);
    // The raw line travels along, so a SIEM keeps the evidence.
    expect((events[0]!.event as { original: string }).original).toMatch(/SRC=/);
  });

  it('event lines of every fixture format validate against the event schema', () => {
    expect(fixtureLines.length).toBeGreaterThan(500);
    const modules = new Set(fixtureLines.map((l) => (l.event as { module?: string }).module));
    expect(modules.size).toBeGreaterThan(15);
    const bad = fixtureLines
      .filter(
        (l) => (l.event as { kind: string }).kind === 'event' && !schemas.validate('event.schema.json', l),
      )
      .map((l) => `${(l.event as { module: string }).module}: ${schemas.errors()}`);
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('every field outside fwlens.* is a real ECS field with the right type', () => {
    const problems = new Set<string>();
    const seen = new Set<string>();
    for (const doc of [...lines, ...fixtureLines]) {
      for (const [name, value] of leaves(doc)) {
        seen.add(name);
        const why = ecsMismatch(name, value);
        if (why) problems.add(why.replace(/=.*? does/, ' does'));
      }
    }
    expect([...problems]).toEqual([]);
    // The check covered the fields that matter to a SIEM.
    for (const f of [
      'source.ip',
      'destination.port',
      'network.transport',
      'event.action',
      'related.ip',
      'rule.id',
    ])
      expect(seen, f).toContain(f);
  });

  it('every NDJSON document carries the fields ECS requires, in the version we check against', () => {
    const required = Object.values(EcsFlat as Record<string, { flat_name: string; required?: boolean }>)
      .filter((f) => f.required)
      .map((f) => f.flat_name);
    expect(required).toEqual(expect.arrayContaining(['@timestamp', 'ecs.version']));
    const missing = new Set<string>();
    for (const doc of [...lines, ...fixtureLines]) {
      const names = new Set(leaves(doc).map(([n]) => n));
      for (const r of required)
        if (!names.has(r)) missing.add(`${(doc.event as { dataset: string }).dataset}: ${r}`);
      expect((doc.ecs as { version: string }).version).toBe(EcsVersion);
      // <module>.<dataset>, as ECS recommends.
      const { module, dataset } = doc.event as { module: string; dataset: string };
      expect(dataset.startsWith(`${module}.`), dataset).toBe(true);
    }
    expect([...missing]).toEqual([]);
    expect(ECS_VERSION).toBe(EcsVersion);
  });

  it('writes MAC addresses in the ECS form, and keeps what is no MAC in our namespace', () => {
    const macs = fixtureLines.flatMap((l) => [
      (l.source as { mac?: string } | undefined)?.mac,
      (l.destination as { mac?: string } | undefined)?.mac,
    ]);
    expect(macs.filter((m) => m !== undefined).length).toBeGreaterThan(20);
    expect(ecsMac('00:1b:21:3c:9d:01')).toBe('00-1B-21-3C-9D-01');
    expect(ecsMac('001b.213c.9d01')).toBe('00-1B-21-3C-9D-01');
    expect(ecsMac('00-1b-21-3c-9d-01')).toBe('00-1B-21-3C-9D-01');
    expect(ecsMac('not-a-mac')).toBeUndefined();
    expect(ecsMac('00:1b:21')).toBeUndefined();
    const doc = toEcs({ format: 'netfilter', action: 'deny', direction: 'inbound', sourceMac: 'zz:zz' });
    expect(doc).toMatchObject({ fwlens: { source_mac: 'zz:zz' } });
    expect(doc.source).toBeUndefined();
  });

  it('stamps a document whose log gave no time with the read time, and says so', () => {
    const ev = { format: 'netfilter', action: 'deny', direction: 'inbound' } as const;
    const doc = eventDocument(ev, 'raw', Date.UTC(2026, 11, 5, 4, 0, 0));
    expect(doc).toMatchObject({
      '@timestamp': '2026-12-05T04:00:00.000Z',
      ecs: { version: ECS_VERSION },
      event: { created: '2026-12-05T04:00:00.000Z', dataset: 'netfilter.log', module: 'netfilter' },
      fwlens: { timestamp_basis: 'read' },
    });
    const timed = eventDocument({ ...ev, timestamp: Date.UTC(2026, 10, 20) }, 'raw', Date.UTC(2026, 11, 5));
    expect(timed['@timestamp']).toBe('2026-11-20T00:00:00.000Z');
    expect(timed.fwlens).toBeUndefined();
  });

  it('the ECS check itself catches a wrong name, a wrong type and a wrong pattern', () => {
    expect(ecsMismatch('source.mac', '00:1b:21:3c:9d:01')).toMatch(/pattern/);
    expect(ecsMismatch('icmp.type', 8)).toMatch(/not an ECS field/);
    expect(ecsMismatch('network.iana_number', 6)).toMatch(/keyword/);
    expect(ecsMismatch('source.ip', 'not-an-ip')).toMatch(/ip/);
    expect(ecsMismatch('source.port', 22)).toBeUndefined();
  });
});

describe('CSV of findings', () => {
  it('--csv writes one row per finding with the columns a spreadsheet needs', async () => {
    const path = join(tmp, 'findings.csv');
    const { code, out } = await cli(['analyze', '--json', '--csv', path, SAMPLE]);
    expect(code).toBe(0);
    const findings = JSON.parse(out).findings as { detector: string; severity: number }[];
    const text = readFileSync(path, 'utf8');
    const rows = parseCsv(text);
    expect(rows[0]!.slice(0, 3)).toEqual(['severity', 'detector', 'title']);
    expect(rows.length - 1).toBe(findings.length);
    for (let i = 0; i < findings.length; i++) {
      expect(rows[i + 1]![0]).toBe(String(findings[i]!.severity));
      expect(rows[i + 1]![1]).toBe(findings[i]!.detector);
      expect(rows[i + 1]!.length).toBe(rows[0]!.length);
    }
  });

  it('quotes commas, quotes and newlines, and defuses spreadsheet formulas', () => {
    expect(parseCsv(`${csvField('a,"b"\nc')}\r\n`)[0]).toEqual(['a,"b"\nc']);
    expect(csvField('=HYPERLINK("x")')).toMatch(/^"'=/);
    expect(csvField(-3)).toBe('-3');
    // A lone dash is a table's "none" (no country), not a formula; anything after a dash is still defused.
    expect(csvField('-')).toBe('-');
    expect(csvField('-1+cmd')).toBe("'-1+cmd");
    expect(csvField('--')).toBe("'--");
  });

  it('makes log text visible: no escape sequence, bell or bidi override reaches the terminal a CSV is shown on', () => {
    const hostile = 'SYN \x1b]0;pwn\x07flood!\u202e\x1b[2J';
    expect(csvField(hostile)).toBe('SYN \u241b]0;pwn\u2407flood!<U+202E>\u241b[2J');
    expect(csvField(`\r${hostile}`)).toMatch(/^\u240d/);
  });
});

/** A small RFC 4180 reader for the test (quoted fields with "" escapes and embedded newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}
