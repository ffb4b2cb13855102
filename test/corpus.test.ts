// Every file of ../shared/corpus (real logs by others): read with the right format, no line lost, and the
// fields both sides have agree with the source project's own expected parse (*.expected.json).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toEcs } from '../src/event.js';
import { expectationFor } from './corpus-map.js';
import { CORPUS, HAVE_CORPUS, ingestFiles } from './helpers.js';

interface Row {
  file: string;
  format: string;
  lines: number;
  events: number;
  nonTraffic: number;
  malformed: number;
  unrecognized: number;
  compared: number;
  agreeing: number;
}
const rows: Row[] = [];

function get(doc: unknown, path: string): unknown {
  let node = doc as Record<string, unknown> | undefined;
  for (const part of path.split('.')) {
    if (node === undefined || node === null || typeof node !== 'object') return undefined;
    node = node[part] as Record<string, unknown> | undefined;
  }
  return node;
}

const ALLOW =
  /^(accept|accepted|allow|allowed|pass|permit|permitted|success|ok|built|teardown|start|close)$/i;
const DENY =
  /^(drop|dropped|deny|denied|block|blocked|discard|discarded|failure|reset|reset-both|reset-client|reset-server)$/i;

function normAction(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  if (/^reject/i.test(v)) return 'reject';
  if (ALLOW.test(v)) return 'allow';
  if (DENY.test(v)) return 'deny';
  return undefined;
}

/** Compare the fields both parses have; returns [compared, agreeing, first disagreement]. */
function compare(ours: Record<string, unknown>, theirs: unknown): [number, number, string | undefined] {
  let compared = 0;
  let agreeing = 0;
  let first: string | undefined;
  const check = (name: string, a: unknown, b: unknown) => {
    if (a === undefined || b === undefined || b === null || b === '') return;
    compared++;
    if (String(a).toLowerCase() === String(b).toLowerCase()) agreeing++;
    else first ??= `${name}: ours ${String(a)} theirs ${String(b)}`;
  };
  for (const f of ['source.ip', 'destination.ip', 'source.port', 'destination.port', 'network.transport'])
    check(f, get(ours, f), get(theirs, f));
  const theirAction = normAction(get(theirs, 'event.action') ?? get(theirs, 'action.name'));
  if (theirAction) check('action', ours.event && (ours.event as { action: string }).action, theirAction);
  // A connection's opening or closing record (ECS event.type start / end) where both name one.
  const phaseOf = (types: unknown) =>
    Array.isArray(types) ? types.find((t) => t === 'start' || t === 'end') : undefined;
  check('event.type', phaseOf(get(ours, 'event.type')), phaseOf(get(theirs, 'event.type')));
  const theirDir = get(theirs, 'network.direction');
  if (typeof theirDir === 'string' && /^(inbound|outbound)$/i.test(theirDir))
    check('network.direction', get(ours, 'network.direction'), theirDir);
  // Time: compare minutes and seconds only; years of year-less stamps and assumed zones differ by design.
  const theirTime = get(theirs, '@timestamp');
  const ourTime = get(ours, '@timestamp');
  if (typeof theirTime === 'string' && typeof ourTime === 'string') {
    const mmss = (s: string) => /T\d{2}:(\d{2}:\d{2})/.exec(s)?.[1];
    check('@timestamp (mm:ss)', mmss(ourTime), mmss(theirTime));
  }
  return [compared, agreeing, first];
}

const files = HAVE_CORPUS
  ? readdirSync(CORPUS, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) =>
        readdirSync(join(CORPUS, d.name))
          .filter((f) => !f.endsWith('.expected.json'))
          .map((f) => `${d.name}/${f}`),
      )
      .sort()
  : [];

describe.skipIf(!HAVE_CORPUS)('shared corpus of real logs', () => {
  for (const rel of files) {
    const exp = expectationFor(rel);
    const run = exp?.pending ? it.fails : it;
    run(
      `${rel} -> ${exp?.format ?? 'no firewall traffic'}${exp?.pending ? ` (pending: ${exp.pending})` : ''}`,
      async () => {
        expect(exp, `no expectation for ${rel} in test/corpus-map.ts`).toBeDefined();
        const { events, stats } = await ingestFiles([join(CORPUS, rel)], { year: 2026 });
        const input = stats.inputs[0]!;
        expect(input.error).toBeUndefined();
        const nonTraffic = Object.values(input.nonTraffic).reduce((a, b) => a + b, 0);
        const row: Row = {
          file: rel,
          format: Object.keys(input.formats).join('+') || '-',
          lines: input.lines,
          events: input.events,
          nonTraffic,
          malformed: input.malformed,
          unrecognized: input.unrecognized,
          compared: 0,
          agreeing: 0,
        };
        rows.push(row);
        // No line vanishes: every line is in exactly one bucket (a record of many flows is one line, many events).
        expect(
          input.events -
            input.multiEventExtra +
            nonTraffic +
            input.malformed +
            input.unrecognized +
            input.blank,
        ).toBe(input.lines);
        expect(
          input.unrecognized,
          `unrecognized lines: ${JSON.stringify(stats.unrecognizedSamples.slice(0, 2))}`,
        ).toBe(exp!.unrecognized?.count ?? 0);
        expect(
          input.malformed,
          `malformed lines: ${JSON.stringify(stats.malformedSamples.slice(0, 2))}`,
        ).toBe(exp!.malformed?.count ?? 0);
        if (exp!.format) {
          expect(Object.keys(input.formats)).toEqual(input.events > 0 ? [exp!.format] : []);
          expect(input.events + nonTraffic).toBeGreaterThan(0);
        } else expect(input.events).toBe(0);

        const expectedPath = join(CORPUS, rel.replace(/\.[a-z]+$/, '.expected.json'));
        if (existsSync(expectedPath)) {
          const expected = (JSON.parse(readFileSync(expectedPath, 'utf8')) as { expected: unknown[] })
            .expected;
          const disagreements: string[] = [];
          for (const ev of events) {
            const theirs = expected[(ev.line ?? 0) - 1];
            if (theirs === undefined) continue;
            const [c, a, first] = compare(toEcs(ev), theirs);
            row.compared += c;
            row.agreeing += a;
            if (first) disagreements.push(`line ${ev.line}: ${first}`);
          }
          expect(disagreements, disagreements.slice(0, 5).join('\n')).toEqual([]);
        }
      },
    );
  }
});

afterAll(() => {
  if (rows.length === 0) return;
  const lines = rows.map(
    (r) =>
      `${r.file.padEnd(62)} ${r.format.padEnd(18)} ${String(r.lines).padStart(5)} ${String(r.events).padStart(5)} ${String(r.nonTraffic).padStart(5)} ${String(r.malformed).padStart(4)} ${String(r.unrecognized).padStart(4)} ${r.compared ? `${r.agreeing}/${r.compared}` : '-'}`,
  );
  console.log(
    `\ncorpus: file, format, lines, events, non-traffic, malformed, unrecognized, fields agreeing\n${lines.join('\n')}`,
  );
});
