// Contract every registered format must meet: metadata, fixtures with expected output, rejects garbage,
// auto-detection picks it for its own fixtures. Set UPDATE_FIXTURES=1 to (re)write *.expected.json after review.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../src/event.js';
import { createEnvelopeReader, PENDING } from '../src/formats/envelope/index.js';
import { FORMATS } from '../src/formats/index.js';
import { FormatRouter } from '../src/formats/router.js';
import type { LogFormat } from '../src/formats/types.js';
import { parseOneLine } from '../src/ingest/parse-line.js';
import { ingestFiles, ROOT } from './helpers.js';
import { FIXTURE_CONTEXT as CTX, type FixtureResult, parseFixture } from './support/fixture-parse.js';

const FIXTURES = join(ROOT, 'test', 'fixtures');

/** Lines that no firewall format may turn into an event. */
const GARBAGE = [
  'hello world',
  '',
  '{"not": "a firewall record"}',
  'Nov 25 16:47:51 vm sshd[1234]: Accepted publickey for root from 192.0.2.4 port 50022 ssh2',
  'Nov 25 16:47:51 vm kernel: [ 5988.288300] e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex',
  '\u0000\u0001\u0002binary',
  'a,b,c,d,e,f,g,h,i,j',
  '#Fields: nothing',
];

/** Names every object has (inherited, or the prototype itself): a log word they must not be looked up as. */
const OBJECT_WORDS = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];
/** How such a value reads once it became text. */
const OBJECT_TEXT = /native code|\[object /;

/** Read a binary fixture (packet capture) with the format's readBinary, one result per record. */
async function parseBinaryFixture(format: LogFormat, bytes: Buffer): Promise<FixtureResult[]> {
  const out: FixtureResult[] = [];
  let line = 0;
  const stream = (async function* () {
    yield new Uint8Array(bytes);
  })();
  for await (const r of format.readBinary!(stream, CTX)) {
    line++;
    if (r === null) continue;
    if ('skip' in r) out.push({ line, skip: r.skip });
    else if ('error' in r) out.push({ line, error: r.error });
    else out.push({ line, event: r });
  }
  return out;
}

describe('format registry', () => {
  it('has unique kebab-case ids', () => {
    const ids = FORMATS.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});

for (const format of FORMATS) {
  describe(`format ${format.id}`, () => {
    const dir = join(FIXTURES, format.id);
    const inputs = existsSync(dir)
      ? readdirSync(dir).filter(
          (f) => !f.endsWith('.expected.json') && !f.startsWith('reject') && !f.endsWith('.md'),
        )
      : [];

    it('documents itself', () => {
      expect(format.label.length).toBeGreaterThan(3);
      expect(format.description.length).toBeGreaterThan(20);
      expect(format.fields.length).toBeGreaterThan(3);
    });

    // Every word of a line may be an attacker's: `constructor`, `__proto__`, `toString` or `hasOwnProperty` in
    // place of a word of a fixture line is an unknown word. A table lookup by log text once returned Object's
    // own methods: `PROTO=constructor` ended analyze with "function is not iterable", an Azure direction
    // `constructor` counted as the direction "function Object() { [native code] }".
    it.skipIf(format.readBinary !== undefined || inputs.length === 0)(
      'reads object property names in its lines as unknown words',
      () => {
        const problems: string[] = [];
        for (const input of inputs) {
          const lines = readFileSync(join(dir, input), 'utf8').split('\n').filter(Boolean).slice(0, 40);
          for (const line of lines)
            for (const m of [...line.matchAll(/[A-Za-z][\w-]*/g)].slice(0, 80))
              for (const word of OBJECT_WORDS) {
                const changed = `${line.slice(0, m.index)}${word}${line.slice(m.index + m[0].length)}`;
                let results: FixtureResult[];
                try {
                  results = parseFixture(format, changed);
                } catch (e) {
                  problems.push(`${m[0]} -> ${word}: threw ${(e as Error).message}`);
                  continue;
                }
                for (const r of results) {
                  if (r.skip !== undefined && typeof r.skip !== 'string')
                    problems.push(`${m[0]} -> ${word}: skip`);
                  for (const [key, value] of Object.entries(r.event ?? {}))
                    if (typeof value === 'function' || (typeof value === 'string' && OBJECT_TEXT.test(value)))
                      problems.push(`${m[0]} -> ${word}: ${key}`);
                }
              }
        }
        expect([...new Set(problems)]).toEqual([]);
      },
    );

    // Binary formats (packet captures) have no example line; their fixtures are read through readBinary.
    it.skipIf(format.readBinary !== undefined)('parses its own example line', () => {
      // A record spread over lines (nft monitor trace) has a multi-line example; its last line completes it.
      const r = format.example.includes('\n')
        ? ((parseFixture(format, format.example).at(-1)?.event as FwEvent | undefined) ?? null)
        : parseOneLine(format.example, CTX);
      expect(r, format.example).not.toBeNull();
      expect(r && 'error' in r ? r.error : undefined).toBeUndefined();
      expect(r && 'skip' in r ? r.skip : undefined).toBeUndefined();
      expect((r as FwEvent).format).toBe(format.id);
    });

    it('turns no garbage line into an event', () => {
      const parse = format.createParser(CTX);
      for (const g of GARBAGE) {
        const r = parse({ envelope: 'bare', message: g });
        expect(r === null || 'error' in r, `${format.id} accepted "${g}"`).toBe(true);
      }
    });

    it('has a fixture folder with input and expected output', () => {
      expect(existsSync(dir), `missing ${dir}`).toBe(true);
      expect(inputs.length).toBeGreaterThan(0);
    });

    for (const input of inputs) {
      it(`fixture ${input} matches its expected output`, async () => {
        const got = format.readBinary
          ? await parseBinaryFixture(format, readFileSync(join(dir, input)))
          : parseFixture(format, readFileSync(join(dir, input), 'utf8'));
        const expectedPath = join(dir, `${input.replace(/\.[a-z]+$/, '')}.expected.json`);
        if (process.env.UPDATE_FIXTURES) writeFileSync(expectedPath, `${JSON.stringify(got, null, 1)}\n`);
        expect(existsSync(expectedPath), `missing ${expectedPath}`).toBe(true);
        const expected = JSON.parse(readFileSync(expectedPath, 'utf8')) as FixtureResult[];
        expect(got).toEqual(expected);
      });

      it(`auto-detection reads ${input} as ${format.id}`, async () => {
        const { stats } = await ingestFiles([join(dir, input)], { year: 2026 });
        const counts = stats.inputs[0]!.formats;
        const top = Object.entries(counts).sort((a, b) => b[1] - a[1])[0];
        if (top === undefined && !format.readBinary) {
          // A file of non-traffic records only (an appfirewall.log of listen summaries): auto-detection must still
          // leave no line unrecognised, and the format itself reads every record as non-traffic.
          expect(stats.inputs[0]!.unrecognized).toBe(0);
          const own = parseFixture(format, readFileSync(join(dir, input), 'utf8'));
          expect(own.length).toBeGreaterThan(0);
          expect(own.every((r) => r.skip !== undefined)).toBe(true);
        } else expect(top?.[0]).toBe(format.id);
      });
    }

    // Line by line, as a syslog server mixing devices is read: no record of this format's fixtures may be claimed
    // by another format (a new layout elsewhere must not steal these lines).
    for (const input of format.readBinary ? [] : inputs)
      it(`auto-detection gives no line of ${input} to another format`, () => {
        const reader = createEnvelopeReader(CTX);
        const router = new FormatRouter(CTX, FORMATS);
        const stolen: string[] = [];
        const route = (env: ReturnType<typeof reader.push>, line: string) => {
          if (env === null || env === PENDING) return;
          const claimed = router.route(env)?.format.id;
          if (claimed !== undefined && claimed !== format.id)
            stolen.push(`${claimed}: ${line.slice(0, 120)}`);
        };
        for (const l of readFileSync(join(dir, input), 'utf8').split('\n')) {
          const line = l.replace(/\r$/, '');
          route(reader.push(line), line);
          if (reader.replay) route(reader.push(line), line);
        }
        const last = reader.flush();
        if (last) route(last, '(last record)');
        expect(stolen).toEqual([]);
      });

    const rejectPath = join(dir, 'reject.log');
    it('rejects the lines in reject.log', async () => {
      expect(existsSync(rejectPath), `missing ${rejectPath}`).toBe(true);
      const results = format.readBinary
        ? await parseBinaryFixture(format, readFileSync(rejectPath))
        : parseFixture(format, readFileSync(rejectPath, 'utf8'));
      for (const r of results) expect(r.error, `line ${r.line} of reject.log was accepted`).toBeDefined();
    });
  });
}
