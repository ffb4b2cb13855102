// Structure-aware fuzzing shared by the test suite and `npm run fuzz`: seeds from every fixture, mutators, the checks.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { createEnvelopeReader, PENDING } from '../../src/formats/envelope/index.js';
import { makeContext } from '../../src/formats/envelope/time.js';
import { parseJsonObject } from '../../src/formats/flow-record.js';
import { FORMATS } from '../../src/formats/index.js';
import { FormatRouter } from '../../src/formats/router.js';
import type { Envelope, LogFormat, ParseContext } from '../../src/formats/types.js';
import { opensJsonDocument } from '../../src/ingest/json-document.js';
import { DEFAULT_MAX_LINE_BYTES } from '../../src/ingest/line-splitter.js';
import { looksBinary } from '../../src/ingest/lines.js';
import { type InputStats, ingest } from '../../src/ingest/pipeline.js';
import { jsonDepthWithin } from '../../src/util/text-scan.js';

/** Repository root. */
const REPO_ROOT = join(import.meta.dirname, '..', '..');
/** Fixture root (one folder per format id). */
export const FIXTURES_DIR = join(REPO_ROOT, 'test', 'fixtures');

/**
 * Largest overlong value a mutation writes. Lines stay under the 64 KiB line-length cap that the
 * line reader is getting on another branch, so the fuzzer measures parsers, not the cap.
 */
export const MAX_OVERLONG_BYTES = 60_000;

/** Id of the pseudo-target that fuzzes the envelope layer (syslog, journald, dmesg, PVE wrappers). */
export const ENVELOPE_TARGET = 'envelope';

/** What one fuzz target feeds: text seed lines (or capture bytes) and the clean lines that open each batch. */
export interface FuzzTarget {
  /** Format id, or `envelope`. */
  id: string;
  /** Format forced with `--format` in half the batches; undefined when only auto-detection applies. */
  format?: LogFormat;
  /** Every non-blank line of every fixture file (inputs and reject.log) of the format. */
  seeds: string[];
  /** Clean lines (the first fixture file) that open a batch, so headers are set and the binary sniff passes. */
  head: string[];
  /** Binary fixtures (packet captures): mutated as bytes instead of lines. */
  captures: Buffer[];
}

/** Fixture files of a format that are inputs or rejects (not expected output, not notes). */
function fixtureFiles(id: string): string[] {
  const dir = join(FIXTURES_DIR, id);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => !f.endsWith('.expected.json') && !f.endsWith('.md'))
    .sort((a, b) => Number(a.startsWith('reject')) - Number(b.startsWith('reject')) || a.localeCompare(b))
    .map((f) => join(dir, f));
}

function textLinesOf(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.replace(/\r$/, ''));
}

/** Payloads the envelope target wraps: a few real payloads of different shapes. */
const ENVELOPE_PAYLOAD_FORMATS = ['netfilter', 'cisco-asa', 'pf-filterlog', 'fortigate', 'cef', 'ipfw'];

/** The fuzz targets: every registered format (fixtures as seeds) plus the envelope layer. */
export function fuzzTargets(): FuzzTarget[] {
  const targets: FuzzTarget[] = FORMATS.map((format) => {
    const files = fixtureFiles(format.id);
    if (format.readBinary) {
      const captures = files.filter((f) => !f.endsWith('.log')).map((f) => readFileSync(f));
      return { id: format.id, format, seeds: [], head: [], captures };
    }
    const seeds = files.flatMap(textLinesOf).filter((l) => l.trim() !== '');
    const head = files[0] ? textLinesOf(files[0]).filter((l, i, all) => i < all.length - 1 || l !== '') : [];
    return { id: format.id, format, seeds, head, captures: [] };
  });
  const payloads = ENVELOPE_PAYLOAD_FORMATS.flatMap((id) =>
    fixtureFiles(id)
      .slice(0, 1)
      .flatMap(textLinesOf)
      .filter((l) => l.trim() !== '')
      .slice(0, 4)
      .map(stripSyslogHeader),
  );
  const seeds = payloads.flatMap((p) => ENVELOPES.map((wrap) => wrap(p)));
  targets.push({ id: ENVELOPE_TARGET, seeds, head: seeds.slice(0, 8), captures: [] });
  return targets;
}

/** Drop a BSD syslog header so a payload can be wrapped again in another envelope. */
function stripSyslogHeader(line: string): string {
  const m = /^(?:<\d{1,3}>)?[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ (?:\S+: )?/.exec(line);
  return m ? line.slice(m[0].length) : line;
}

/** Envelopes a payload can be wrapped in (each an id the envelope reader knows). */
const ENVELOPES: ReadonlyArray<(p: string) => string> = [
  // The first four differ most; the suite's growth check takes only these.
  (p) =>
    `<134>1 2026-11-25T16:47:51.123456+01:00 edge fw 4242 MSG-1 [ex@32473 k="v \\"q\\" \\]"][b@1 x="y"] ${p}`,
  (p) => `<4>Nov  5 06:07:08 edge kernel: [ 5988.288300] ${p}`,
  (p) =>
    JSON.stringify({
      __REALTIME_TIMESTAMP: '1764089271123456',
      _HOSTNAME: 'edge',
      SYSLOG_IDENTIFIER: 'kernel',
      MESSAGE: p,
    }),
  (p) => `[Tue Nov 25 16:47:51 2026] ${p}`,
  (p) => `Nov 25 16:47:51 edge kernel: ${p}`,
  (p) => `<13>1 - - - - - - \ufeff${p}`,
  (p) => `2026-11-25T16:47:51.123Z edge kernel: ${p}`,
  (p) => JSON.stringify({ __REALTIME_TIMESTAMP: 1764089271123456, MESSAGE: [...Buffer.from(p)] }),
  (p) => `__CURSOR=s=abc;i=1\n__REALTIME_TIMESTAMP=1764089271123456\n_HOSTNAME=edge\nMESSAGE=${p}\n`,
  (p) => `[ 5988.288300] ${p}`,
  (p) => `100 6 tap100i0-IN 25/Nov/2026:16:47:51 +0100 policy DROP: ${p}`,
  (p) => `<134>1 1764089271.123456789 ${p}`,
  // A syslog relay's header in front of the device's own (unwrapped by the envelope reader).
  (p) => `Nov 25 16:47:52 relay1 <4>Nov 25 16:47:51 edge kernel: ${p}`,
];

/** Separators that swap, duplicate or appear out of place. */
const SEPARATORS = [
  '=',
  '"',
  "'",
  ',',
  '|',
  ';',
  ':',
  '[',
  ']',
  '(',
  ')',
  '{',
  '}',
  '<',
  '>',
  ' ',
  '\t',
  '\\',
];
/** Shapes an overlong value is made of (besides a copy of the token it replaces). */
const RUN_SHAPES = [
  ' ',
  '\t',
  '(',
  ')',
  '"',
  '=',
  'a=',
  'a=b ',
  '|',
  ',',
  ';',
  '[',
  ']',
  '\\',
  ':',
  'a',
  '0',
  '.',
  '%',
];
/** Text inserted as is: bidi overrides, zero-width characters, ANSI escapes, markup, injection bait. */
const INSERTS = [
  '\u202e',
  '\u202d',
  '\u2066',
  '\u200f',
  '\u200b',
  '\ufeff',
  '\x1b[31m',
  '\x1b[0m',
  '\x1b]0;x\x07',
  '\x1b[2J',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '</td></tr>',
  '&lt;&amp;',
  '$' + '{jndi:ldap://x}', // log4shell bait, spelled in two parts so it is not read as a template
  '{{7*7}}',
  '%s%n%x',
  '\\"',
  '\\u0000',
  '防火墙',
  '😀',
  'é',
];
/** Raw bytes inserted: invalid UTF-8, Latin-1, NUL, CR, DEL, ESC, a BOM. */
const BYTE_INSERTS: ReadonlyArray<readonly number[]> = [
  [0xff],
  [0xfe, 0xff],
  [0xc3],
  [0x80],
  [0xed, 0xa0, 0x80],
  [0xc0, 0xaf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe9],
  [0xa0],
  [0x00],
  [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00],
  [0x0d],
  [0x7f],
  [0x1b],
  [0xef, 0xbb, 0xbf],
];
/** Numbers that replace a digit run: huge, negative, out of every range, not quite numbers. */
const NUMBERS = [
  '99999999999999999999999999',
  '18446744073709551616',
  '4294967296',
  '2147483648',
  '65536',
  '-1',
  '-0',
  '0',
  '1e308',
  'NaN',
  'Infinity',
  '0x7fffffff',
  '00000000000000000001',
  '١٢٣',
  '1.5',
  '',
];
/**
 * Names every plain JavaScript object answers to through its prototype: a table kept as a plain object and
 * looked up by such a word finds a function or Object.prototype (test/object-words.test.ts).
 */
export const OBJECT_WORDS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
/** Line ends: LF (the default), CRLF, CR only (glues this line to the next), LF CR, none (end of input glues). */
const LINE_ENDS = ['\n', '\r\n', '\r', '\n\r', ''];

/** One mutation of a seed line; positions are taken modulo what the line has. */
export type Mutation =
  | { kind: 'delete'; at: number; span: number }
  | { kind: 'duplicate'; at: number; span: number }
  | { kind: 'overlong'; at: number; shape: number; size: number }
  | { kind: 'separator'; at: number; sep: number; count: number; replace: boolean }
  | { kind: 'insert'; at: number; text: number }
  | { kind: 'number'; at: number; value: number; negate: boolean }
  | { kind: 'word'; at: number; word: number }
  | { kind: 'glue'; other: number; joiner: number }
  | { kind: 'wrap'; envelope: number }
  | { kind: 'empty'; text: number }
  | { kind: 'bytes'; at: number; bytes: number; repeat: number }
  | { kind: 'encode'; as: 'latin1' | 'utf16le' | 'utf16be' }
  | { kind: 'truncate'; at: number };

/** A mutated line: which seed, which mutations in order, how it ends. */
export interface MutatedLine {
  seed: number;
  mutations: Mutation[];
  end: number;
}

/** Options of the line generator. */
export interface GeneratorOptions {
  /** Largest overlong value, bytes (at most MAX_OVERLONG_BYTES). */
  maxOverlong: number;
}

/** The fast-check arbitrary of one mutation. */
export function mutationArbitrary(opts: GeneratorOptions): fc.Arbitrary<Mutation> {
  const at = fc.nat();
  const size = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: Math.min(512, opts.maxOverlong) }) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: Math.min(MAX_OVERLONG_BYTES, opts.maxOverlong) }) },
  );
  return fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), at, span: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ kind: fc.constant('duplicate' as const), at, span: fc.integer({ min: 1, max: 4 }) }),
    fc.record({ kind: fc.constant('overlong' as const), at, shape: fc.nat(RUN_SHAPES.length), size }),
    fc.record({
      kind: fc.constant('separator' as const),
      at,
      sep: fc.nat(SEPARATORS.length - 1),
      count: fc.oneof(fc.constant(1), fc.integer({ min: 2, max: 64 })),
      replace: fc.boolean(),
    }),
    fc.record({ kind: fc.constant('insert' as const), at, text: fc.nat(INSERTS.length - 1) }),
    fc.record({
      kind: fc.constant('number' as const),
      at,
      value: fc.nat(NUMBERS.length - 1),
      negate: fc.boolean(),
    }),
    fc.record({ kind: fc.constant('word' as const), at, word: fc.nat(OBJECT_WORDS.length - 1) }),
    fc.record({ kind: fc.constant('glue' as const), other: fc.nat(), joiner: fc.nat(2) }),
    fc.record({ kind: fc.constant('wrap' as const), envelope: fc.nat(ENVELOPES.length - 1) }),
    fc.record({ kind: fc.constant('empty' as const), text: fc.nat(3) }),
    fc.record({
      kind: fc.constant('bytes' as const),
      at,
      bytes: fc.nat(BYTE_INSERTS.length - 1),
      repeat: fc.oneof(fc.constant(1), fc.integer({ min: 2, max: 100 })),
    }),
    fc.record({ kind: fc.constant('encode' as const), as: fc.constantFrom('latin1', 'utf16le', 'utf16be') }),
    fc.record({ kind: fc.constant('truncate' as const), at }),
  );
}

/** The fast-check arbitrary of one mutated line of a target with `seedCount` seeds. */
export function lineArbitrary(seedCount: number, opts: GeneratorOptions): fc.Arbitrary<MutatedLine> {
  return fc.record({
    seed: fc.nat(Math.max(0, seedCount - 1)),
    mutations: fc.array(mutationArbitrary(opts), { minLength: 1, maxLength: 3 }),
    end: fc.oneof(
      { weight: 12, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.nat(LINE_ENDS.length - 1) },
    ),
  });
}

/** Split into tokens, keeping separators as tokens of their own. */
function tokens(line: string): string[] {
  return line.split(/(\s+|[=",|;:[\](){}<>])/).filter((t) => t !== '');
}

/** Index of the n-th (modulo) token boundary, as a character offset. */
function boundary(toks: string[], at: number): number {
  const k = at % (toks.length + 1);
  let off = 0;
  for (let i = 0; i < k; i++) off += toks[i]!.length;
  return off;
}

function repeatTo(shape: string, size: number): string {
  return shape.repeat(Math.ceil(size / shape.length)).slice(0, size);
}

function applyText(line: string, m: Mutation, seeds: readonly string[]): string {
  const toks = tokens(line);
  switch (m.kind) {
    case 'delete': {
      if (toks.length === 0) return line;
      const i = m.at % toks.length;
      toks.splice(i, m.span);
      return toks.join('');
    }
    case 'duplicate': {
      if (toks.length === 0) return line;
      const i = m.at % toks.length;
      toks.splice(i, 0, ...toks.slice(i, i + m.span));
      return toks.join('');
    }
    case 'overlong': {
      if (toks.length === 0) return repeatTo(RUN_SHAPES[m.shape % RUN_SHAPES.length]!, m.size);
      const i = m.at % toks.length;
      // The last shape index grows the token itself (a value copied many times over).
      const shape = m.shape === RUN_SHAPES.length ? toks[i]! : RUN_SHAPES[m.shape]!;
      toks[i] = repeatTo(shape, m.size);
      return toks.join('');
    }
    case 'separator': {
      const sep = SEPARATORS[m.sep]!.repeat(m.count);
      const seps = toks.map((t, i) =>
        tokens(t).length === 1 && /^(\s+|[=",|;:[\](){}<>])$/.test(t) ? i : -1,
      );
      const sepIdx = seps.filter((i) => i >= 0);
      if (m.replace && sepIdx.length > 0) {
        toks[sepIdx[m.at % sepIdx.length]!] = sep;
        return toks.join('');
      }
      const off = boundary(toks, m.at);
      return line.slice(0, off) + sep + line.slice(off);
    }
    case 'insert': {
      const off = boundary(toks, m.at);
      return line.slice(0, off) + INSERTS[m.text]! + line.slice(off);
    }
    case 'number': {
      const runs = [...line.matchAll(/\d+/g)];
      if (runs.length === 0) return line;
      const r = runs[m.at % runs.length]!;
      const value = m.negate ? `-${r[0]}` : NUMBERS[m.value]!;
      return line.slice(0, r.index) + value + line.slice(r.index + r[0].length);
    }
    case 'word': {
      // A word (never a separator) replaced by a name every object has.
      const words = toks.flatMap((t, i) => (/^(\s+|[=",|;:[\](){}<>])$/.test(t) ? [] : [i]));
      if (words.length === 0) return line;
      toks[words[m.at % words.length]!] = OBJECT_WORDS[m.word]!;
      return toks.join('');
    }
    case 'glue':
      return line + ['', ' ', '\t'][m.joiner]! + (seeds[m.other % seeds.length] ?? '');
    case 'wrap':
      return ENVELOPES[m.envelope]!(line);
    case 'empty':
      return ['', ' ', '\t', '   \t '][m.text]!;
    default:
      return line;
  }
}

function applyBytes(bytes: Buffer, m: Mutation): Buffer {
  switch (m.kind) {
    case 'bytes': {
      const at = m.at % (bytes.length + 1);
      const ins = Buffer.from(Array.from({ length: m.repeat }, () => BYTE_INSERTS[m.bytes]!).flat());
      return Buffer.concat([bytes.subarray(0, at), ins, bytes.subarray(at)]);
    }
    case 'encode': {
      const text = bytes.toString('utf8');
      if (m.as === 'latin1') return Buffer.from(text, 'latin1');
      const le = Buffer.from(text, 'utf16le');
      return m.as === 'utf16le' ? le : le.swap16();
    }
    case 'truncate':
      return bytes.subarray(0, m.at % (bytes.length + 1));
    default:
      return bytes;
  }
}

/** Build the bytes of one mutated line, its line end included. Text mutations run first, then byte mutations. */
export function renderLine(m: MutatedLine, seeds: readonly string[]): Buffer {
  let text = seeds[m.seed % Math.max(1, seeds.length)] ?? '';
  for (const mu of m.mutations) text = applyText(text, mu, seeds);
  let bytes: Buffer = Buffer.from(text, 'utf8');
  for (const mu of m.mutations) bytes = applyBytes(bytes, mu);
  return Buffer.concat([bytes, Buffer.from(LINE_ENDS[m.end]!, 'latin1')]);
}

/** A mutated packet capture: byte edits of a fixture capture (truncation, flips, absurd lengths, copies). */
export interface MutatedCapture {
  capture: number;
  edits: Array<{ at: number; kind: 'flip' | 'max' | 'zero' | 'copy' | 'truncate'; value: number }>;
}

/** The fast-check arbitrary of a mutated capture. */
export function captureArbitrary(captureCount: number): fc.Arbitrary<MutatedCapture> {
  return fc.record({
    capture: fc.nat(Math.max(0, captureCount - 1)),
    edits: fc.array(
      fc.record({
        at: fc.nat(),
        kind: fc.constantFrom(
          'flip' as const,
          'max' as const,
          'zero' as const,
          'copy' as const,
          'truncate' as const,
        ),
        value: fc.nat(255),
      }),
      { minLength: 1, maxLength: 6 },
    ),
  });
}

/** Bytes of a mutated capture. Edits skip the first 4 bytes so the pipeline still sees a capture's magic. */
export function renderCapture(m: MutatedCapture, captures: readonly Buffer[]): Buffer {
  let bytes = Buffer.from(captures[m.capture % captures.length]!);
  for (const e of m.edits) {
    const at = 4 + (e.at % Math.max(1, bytes.length - 4));
    if (e.kind === 'truncate') bytes = bytes.subarray(0, at);
    else if (e.kind === 'copy')
      bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(4, 4 + e.value * 8), bytes.subarray(at)]);
    else if (at < bytes.length) {
      if (e.kind === 'flip') bytes[at] = bytes[at]! ^ (1 << (e.value % 8));
      else bytes.fill(e.kind === 'max' ? 0xff : 0, at, Math.min(bytes.length, at + 4));
    }
  }
  return bytes;
}

/** Lines as the line reader sees them: LF, CRLF and a lone CR each end one (a reference split, byte by byte). */
export function readerLines(bytes: Buffer): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== 10 && b !== 13) continue;
    out.push(bytes.toString('utf8', start, i));
    if (b === 13 && bytes[i + 1] === 10) i++;
    start = i + 1;
  }
  if (start < bytes.length) out.push(bytes.toString('utf8', start));
  return out;
}

/** How a batch is read: auto-detection (the default of `analyze`) or the target's format forced. */
export type FuzzMode = 'auto' | 'forced';

/** What feeding one batch through the pipeline showed. */
export interface BatchReport {
  /** Lines fed (as the reader splits them); for captures, packets read. */
  lines: number;
  /** Lines missing from (or counted twice in) the accounting: 0 when every line landed in one bucket. */
  lost: number;
  /** Property violations, one sentence each (empty when all held). */
  violations: string[];
  /** The exception that escaped ingest, if any. */
  exception?: unknown;
  stats?: InputStats;
}

/**
 * Feed chunks to `ingest()` as one in-memory input (the path `analyze` takes) and check the properties:
 * nothing escapes, every line fed ends in exactly one bucket, blank lines are only empty lines (outside
 * journald export records and multi-line JSON documents), events point at lines that exist.
 */
export async function runBatch(
  target: FuzzTarget,
  chunks: Buffer[],
  mode: FuzzMode,
  binary = false,
): Promise<BatchReport> {
  const eventLines: number[] = [];
  let stats: InputStats;
  try {
    const total = await ingest([{ path: 'fuzz.log', stream: Readable.from(chunks) }], {
      format: mode === 'forced' && target.format ? target.format.id : 'auto',
      year: 2026,
      onEvent: (ev) => eventLines.push(ev.line ?? -1),
    });
    stats = total.inputs[0]!;
  } catch (exception) {
    return { lines: 0, lost: 0, violations: [`exception: ${describe(exception)}`], exception };
  }
  const violations: string[] = [];
  const skipped = Object.values(stats.nonTraffic).reduce((a, b) => a + b, 0);
  const buckets =
    stats.events - stats.multiEventExtra + stats.malformed + stats.unrecognized + stats.blank + skipped;
  for (const [name, n] of Object.entries({
    malformed: stats.malformed,
    unrecognized: stats.unrecognized,
    blank: stats.blank,
    multiEventExtra: stats.multiEventExtra,
    ...stats.nonTraffic,
  }))
    if (n < 0) violations.push(`bucket ${name} is negative (${n})`);
  let lost = Math.abs(buckets - stats.lines);
  if (buckets !== stats.lines)
    violations.push(
      `buckets sum to ${buckets} but ${stats.lines} lines were counted: ${JSON.stringify(stats)}`,
    );
  if (eventLines.length !== stats.events)
    violations.push(`${eventLines.length} events seen, ${stats.events} counted`);
  if (binary) {
    const bad = eventLines.find((n) => n < 1 || n > stats.lines);
    if (bad !== undefined) violations.push(`an event points at packet ${bad} of ${stats.lines}`);
    return { lines: stats.lines, lost, violations, stats };
  }
  const all = Buffer.concat(chunks);
  const lines = readerLines(all);
  if (stats.error) {
    // Only a head that looks binary may stop a text input, and then before any line is read.
    if (!looksBinary(chunks[0] ?? Buffer.alloc(0)) || stats.lines !== 0)
      violations.push(`input stopped: ${stats.error} after ${stats.lines} lines`);
    return { lines: 0, lost, violations, stats };
  }
  if (stats.lines !== lines.length) {
    violations.push(`${lines.length} lines fed, ${stats.lines} counted`);
    lost += Math.abs(lines.length - stats.lines);
  }
  const firstText = lines.find((l) => l.trim() !== '');
  const multiLine =
    lines.some((l) => l.startsWith('__CURSOR=')) || (firstText !== undefined && opensJsonDocument(firstText));
  if (!multiLine) {
    const empty = lines.filter((l) => l.length === 0).length;
    if (stats.blank !== empty) {
      violations.push(`${empty} empty lines fed, ${stats.blank} counted as blank`);
      lost += Math.abs(stats.blank - empty);
    }
  }
  const bad = eventLines.find((n) => n < 1 || n > lines.length);
  if (bad !== undefined) violations.push(`an event points at line ${bad} of ${lines.length}`);
  return { lines: lines.length, lost, violations, stats };
}

/** One line of text for an exception: its message and the first frame. */
export function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const frame = e.stack?.split('\n').find((l) => l.trim().startsWith('at '));
  // Paths relative to the repository, so a report written to docs/ names no directory of this machine.
  const text = `${e.name}: ${e.message}${frame ? ` (${frame.trim()})` : ''}`;
  return text.replaceAll(`${REPO_ROOT}/`, '');
}

/** The bytes of a text batch: the target's clean head (its own chunk), then the mutated lines. */
export function textBatch(target: FuzzTarget, lines: readonly MutatedLine[], withHead = true): Buffer[] {
  const body = Buffer.concat(lines.map((l) => renderLine(l, target.seeds)));
  if (!withHead || target.head.length === 0) return [body];
  return [Buffer.from(`${target.head.join('\n')}\n`, 'utf8'), body];
}

/** The slowest line of a batch: time (µs) and byte length. */
export interface WorstLine {
  micros: number;
  bytes: number;
  text: string;
  /** Exceptions the lines raised (one line each, with the line that raised it). */
  exceptions: string[];
}

/**
 * Time every line through the same steps ingest runs per line (envelope reader, then the format router),
 * and return the slowest. A line over `recheckMicros` is timed again alone twenty more times and keeps its
 * fastest timing (its steady cost), so a garbage collection pause, a first compilation or a busy machine
 * does not count as the line's cost. Lines over the reader's length cap are not timed: ingest counts them
 * as too long and never routes them.
 */
export function worstLine(
  lines: readonly string[],
  target: FuzzTarget,
  mode: FuzzMode,
  recheckMicros = 200,
): WorstLine {
  const ctx = makeContext(0, { year: 2026 });
  const candidates = mode === 'forced' && target.format ? [target.format] : FORMATS;
  const reader = createEnvelopeReader(ctx);
  const router = new FormatRouter(ctx, candidates);
  let worst: WorstLine = { micros: 0, bytes: 0, text: '', exceptions: [] };
  const exceptions: string[] = [];
  for (const line of lines) {
    if (line.length > DEFAULT_MAX_LINE_BYTES / 4 && Buffer.byteLength(line) > DEFAULT_MAX_LINE_BYTES)
      continue;
    let t: number;
    try {
      t = timeLine(reader, router, line);
    } catch (e) {
      exceptions.push(`${describe(e)} on ${JSON.stringify(line.slice(0, 300))}`);
      continue;
    }
    // A stall (garbage collection, the machine busy elsewhere) does not repeat: the fastest of twenty more.
    if (t > recheckMicros)
      for (let retry = 0; retry < 20; retry++) t = Math.min(t, timeAlone(line, ctx, candidates));
    if (t > worst.micros) worst = { micros: t, bytes: Buffer.byteLength(line), text: line, exceptions };
  }
  return { ...worst, exceptions };
}

function timeLine(
  reader: ReturnType<typeof createEnvelopeReader>,
  router: FormatRouter,
  line: string,
): number {
  const t0 = performance.now();
  let env = reader.push(line);
  if (reader.replay) {
    router.route(env as Envelope);
    env = reader.push(line);
  }
  if (env !== null && env !== PENDING) router.route(env);
  return (performance.now() - t0) * 1000;
}

/**
 * The slowest step of one line, to name the culprit of a slow line: the envelope reader, or one
 * format's detect() or parser (each timed alone on the line's envelope).
 */
export function slowestStep(
  line: string,
  target: FuzzTarget,
  mode: FuzzMode,
): { step: string; micros: number } {
  const ctx = makeContext(0, { year: 2026 });
  const candidates = mode === 'forced' && target.format ? [target.format] : FORMATS;
  const timed = (fn: () => unknown): number => {
    const t0 = performance.now();
    fn();
    return (performance.now() - t0) * 1000;
  };
  let env: Envelope | typeof PENDING | null = null;
  let worst = { step: 'envelope reader', micros: timed(() => (env = createEnvelopeReader(ctx).push(line))) };
  const envelope = env as Envelope | typeof PENDING | null;
  if (envelope === null || envelope === PENDING) return worst;
  for (const f of candidates) {
    const detect = timed(() => f.detect(envelope.message, envelope));
    if (detect > worst.micros) worst = { step: `${f.id} detect()`, micros: detect };
    const parse = f.createParser(ctx);
    const parsing = timed(() => {
      try {
        parse({ ...envelope });
      } catch {
        // Exceptions are counted by the accounting pass; here only time matters.
      }
    });
    if (parsing > worst.micros) worst = { step: `${f.id} parser`, micros: parsing };
  }
  return worst;
}

/** Long enough to be scanned, and never a line the fuzzer makes. */
const MEMO_FLUSH = `{"memo":"${'-'.repeat(5000)}"}`;

function timeAlone(line: string, ctx: ParseContext, candidates: readonly LogFormat[]): number {
  // The parsers keep the last line's JSON parse and depth scan (the formats are tried in turn on one
  // line): replace them, so every timing pays for the line in full as its first encounter did.
  parseJsonObject(MEMO_FLUSH);
  jsonDepthWithin(MEMO_FLUSH);
  return timeLine(createEnvelopeReader(ctx), new FormatRouter(ctx, candidates), line);
}

/** Hostile shapes a token grows into for the growth check (besides runs of the seed's own fields). */
export const GROWTH_SHAPES = [
  ' ',
  '\t',
  '(',
  '"',
  '=',
  'a=',
  'a=b ',
  '|',
  ',',
  ';',
  '[',
  ']',
  '\\',
  ':',
  'a',
  '0',
];

/** Sizes (bytes of the grown token) of the growth check: per-byte cost at the last must stay near the second's. */
export const GROWTH_SIZES = [1024, 4096, 16_384, MAX_OVERLONG_BYTES];

/**
 * Largest allowed growth of the per-byte cost from 4 KB to a bigger size: 6 (t(60K)/t(4K) under ~90, where
 * linear work gives ~15 and quadratic ~225, so a quadratic parser still fails at 60 KB, a cubic one at 16 KB).
 * It was 3 until session 31, when a new machine failed linear parsers at 3.0-4.0x: linear work there steps up
 * once with the length (zeek-conn on a run of tabs: 8-18 ns a byte at 4 KB, 33 at 16 KB, 30 at 60 KB; juniper-srx
 * on a run of "No ": 22, 18 and 57 ns a byte, the same at the session's start), and repeated calls on one short
 * line can take a faster way than the one or two calls on a long line. Generous, so a loaded machine does not
 * fail it either.
 */
export const GROWTH_LIMIT = 6;

/** A line whose work per byte grew too much with its size. */
export interface GrowthFailure {
  /** What was timed (the format's detect and parser, or the envelope layer). */
  work: string;
  /** How the seed line was grown. */
  variant: string;
  size: number;
  /** Per-byte cost at `size` over per-byte cost at the reference size. */
  ratio: number;
  seed: string;
}

/** A seed line of a target that its own parser turns into an event, with the lines before it (headers). */
function growthSeeds(target: FuzzTarget, maxSeeds: number): Array<{ before: string[]; line: string }> {
  // The envelope target: its first payload in each envelope (four per seed asked for; single lines only).
  if (target.id === ENVELOPE_TARGET)
    return target.seeds
      .slice(0, Math.min(ENVELOPES.length, 4 * maxSeeds))
      .filter((line) => !line.includes('\n'))
      .map((line) => ({ before: [], line }));
  const out: Array<{ before: string[]; line: string }> = [];
  const ctx = makeContext(0, { year: 2026 });
  for (const file of fixtureFiles(target.id).filter((f) => !f.includes('reject'))) {
    if (out.length >= maxSeeds) break;
    const lines = textLinesOf(file);
    const parse = target.format!.createParser(ctx);
    const reader = createEnvelopeReader(ctx);
    for (let i = 0; i < lines.length; i++) {
      const env = reader.push(lines[i]!);
      if (env === null || env === PENDING) continue;
      const r = parse(env);
      if (
        r !== null &&
        !Array.isArray(r) &&
        !('error' in r) &&
        !('skip' in r) &&
        !lines[i]!.startsWith('__')
      ) {
        out.push({ before: lines.slice(0, i), line: lines[i]! });
        break;
      }
    }
  }
  return out;
}

/** One unit of per-line work that the growth check times, named for the report. */
interface Work {
  name: string;
  run: (line: string) => void;
}

/**
 * The work one line costs in the worst case. A format: the envelope reader, its detect() and its parser
 * (primed with the lines before the seed, so headers are known). The envelope target: the reader alone.
 */
function lineWork(target: FuzzTarget, ctx: ParseContext, before: string[]): Work {
  const envelope = (line: string) => createEnvelopeReader(ctx).push(line);
  if (!target.format) return { name: 'envelope reader', run: envelope };
  const format = target.format;
  const parse = format.createParser(ctx);
  const reader = createEnvelopeReader(ctx);
  for (const l of before) {
    const env = reader.push(l);
    if (env !== null && env !== PENDING) parse(env);
  }
  return {
    name: `${format.id} detect() + parser`,
    run: (line) => {
      const env = envelope(line);
      if (env === null || env === PENDING) return;
      format.detect(env.message, env);
      parse(env);
    },
  };
}

/** Shortest timing the growth check trusts (ms): faster work is repeated until it takes this long. */
const MEASURE_MS = 2;
/** A call this long (ms) is timed once: repeating it costs more than the noise it would remove. */
const LONG_MS = 20;

/**
 * Work per byte (ms per byte) of `work(line)`: one call first; unless it took LONG_MS, the call is
 * repeated enough times to last MEASURE_MS, best of `rounds`.
 */
function workPerByte(work: (line: string) => void, line: string, rounds: number): number {
  const bytes = Buffer.byteLength(line);
  let t0 = performance.now();
  work(line);
  const once = performance.now() - t0;
  if (once >= LONG_MS) return once / bytes;
  const calls = Math.min(10_000, Math.ceil(MEASURE_MS / Math.max(once, 0.0005)));
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    t0 = performance.now();
    for (let c = 0; c < calls; c++) work(line);
    best = Math.min(best, performance.now() - t0);
  }
  return best / (calls * bytes);
}

/** Hostile lines of one seed: a token replaced by a run (tail kept), or the line cut there and the run appended. */
export function hostileVariants(line: string): Array<{ label: string; grown: (size: number) => string }> {
  const toks = tokens(line);
  const out: Array<{ label: string; grown: (size: number) => string }> = [];
  const positions = [
    ...new Set([Math.floor(toks.length / 4), Math.floor(toks.length / 2), Math.max(0, toks.length - 2)]),
  ];
  for (const p of positions) {
    // The seed's own fields repeated (a duplicated `key=value ` run) next to the generic shapes.
    const own = [toks.slice(p, p + 2).join(''), toks.slice(p, p + 4).join('')].filter((s) => s.trim() !== '');
    for (const shape of [...GROWTH_SHAPES, ...own]) {
      const shown = JSON.stringify(shape);
      out.push({
        label: `token ${p} replaced by a run of ${shown}`,
        grown: (size) => toks.slice(0, p).join('') + repeatTo(shape, size) + toks.slice(p + 1).join(''),
      });
      out.push({
        label: `line cut at token ${p}, then a run of ${shown}`,
        grown: (size) => toks.slice(0, p).join('') + repeatTo(shape, size),
      });
    }
  }
  return out;
}

/**
 * Grow a token of a seed line to each of GROWTH_SIZES in hostile shapes and compare the work per byte
 * with the work per byte at 4 KB (best of several timings, so noise only makes the check kinder). Stops
 * at the first variant that grows too fast (a quadratic parser costs seconds at the top size).
 */
export function growthCheck(
  target: FuzzTarget,
  opts: { maxSeeds?: number; variantStride?: number } = {},
): GrowthFailure | null {
  const ctx = makeContext(0, { year: 2026 });
  const stride = opts.variantStride ?? 1;
  for (const seed of growthSeeds(target, opts.maxSeeds ?? 1)) {
    const work = lineWork(target, ctx, seed.before);
    const variants = hostileVariants(seed.line).filter((_, i) => i % stride === 0);
    for (const variant of variants) {
      const grew = perByteGrowth(work.run, variant.grown);
      if (grew) return { work: work.name, variant: variant.label, ...grew, seed: seed.line };
    }
  }
  return null;
}

/**
 * Work per byte of `run` on `grown(size)` for each of GROWTH_SIZES, against the work per byte at 4 KB.
 * Returns the first size where it grew more than GROWTH_LIMIT times (so a quadratic parser fails at
 * 16 KB without paying for 60 KB), or null when the work stayed linear.
 */
export function perByteGrowth(
  run: (line: string) => void,
  grown: (size: number) => string,
): { size: number; ratio: number } | null {
  workPerByte(run, grown(GROWTH_SIZES[0]!), 1); // warm the code up (JIT) on this shape
  const reference = workPerByte(run, grown(GROWTH_SIZES[1]!), 3);
  for (const size of GROWTH_SIZES.slice(2)) {
    const line = grown(size);
    let perByte = workPerByte(run, line, 1);
    // Noise only makes a timing slower (the machine busy elsewhere): a failing one is re-taken, best of 6.
    for (let retry = 0; retry < 5 && perByte > GROWTH_LIMIT * reference; retry++)
      perByte = Math.min(perByte, workPerByte(run, line, 3));
    const ratio = perByte / reference;
    if (ratio > GROWTH_LIMIT) return { size, ratio };
  }
  return null;
}
