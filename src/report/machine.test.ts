// Machine output against its contracts: JSON Schemas (report, event, finding), real ECS field names and types, CSV.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { EcsFlat } from '@elastic/ecs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import ipaddr from 'ipaddr.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../test/helpers.js';
import { run } from '../cli/main.js';
import { csvField } from './machine.js';

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
// ajv-formats is CommonJS: under NodeNext its default export arrives wrapped.
const addFormats = ((formatsModule as unknown as { default?: typeof formatsModule }).default ??
  formatsModule) as unknown as (ajv: Ajv2020) => void;

async function cli(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (d: Buffer) => chunks.push(d));
  stderr.resume();
  const code = await run(args, { stdout, stderr, env: { LANG: 'C' } });
  return { code, out: Buffer.concat(chunks).toString('utf8') };
}

function loadSchemas() {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  for (const name of ['event', 'finding', 'report'])
    ajv.addSchema(JSON.parse(readFileSync(join(ROOT, 'schema', `${name}.schema.json`), 'utf8')));
  return {
    report: ajv.getSchema('report.schema.json')!,
    event: ajv.getSchema('event.schema.json')!,
    finding: ajv.getSchema('finding.schema.json')!,
    errors: (v: { errors?: unknown }) => ajv.errorsText(v.errors as never),
  };
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

/** Why a value does not fit its ECS field (undefined when it fits). */
function ecsMismatch(name: string, value: unknown): string | undefined {
  const field = (EcsFlat as Record<string, { type: string; normalize: string[] }>)[name];
  if (!field) return `${name} is not an ECS field`;
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
  const schemas = loadSchemas();
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
    expect(schemas.report(report), schemas.errors(schemas.report)).toBe(true);
  });

  it('the schema rejects a broken report (it is not a rubber stamp)', () => {
    const broken = structuredClone(report) as { totals: Record<string, unknown> };
    broken.totals.events = 'many';
    expect(schemas.report(broken)).toBe(false);
    const extra = { ...report, surprise: 1 };
    expect(schemas.report(extra)).toBe(false);
  });

  it('--ndjson has one line per event and one alert line per finding, each valid against its schema', () => {
    const events = lines.filter((l) => (l.event as { kind: string }).kind === 'event');
    const alerts = lines.filter((l) => (l.event as { kind: string }).kind === 'alert');
    expect(events.length + alerts.length).toBe(lines.length);
    expect(events.length).toBe(report.totals.events);
    expect(alerts.length).toBe(report.findings.length);
    for (const e of events) expect(schemas.event(e), schemas.errors(schemas.event)).toBe(true);
    for (const a of alerts) expect(schemas.finding(a), schemas.errors(schemas.finding)).toBe(true);
    // The raw line travels along, so a SIEM keeps the evidence.
    expect((events[0]!.event as { original: string }).original).toMatch(/SRC=/);
  });

  it('event lines of every fixture format validate against the event schema', () => {
    expect(fixtureLines.length).toBeGreaterThan(500);
    const modules = new Set(fixtureLines.map((l) => (l.event as { module?: string }).module));
    expect(modules.size).toBeGreaterThan(15);
    const bad = fixtureLines
      .filter((l) => (l.event as { kind: string }).kind === 'event' && !schemas.event(l))
      .map((l) => `${(l.event as { module: string }).module}: ${schemas.errors(schemas.event)}`);
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

  it('the ECS check itself catches a wrong name and a wrong type', () => {
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
