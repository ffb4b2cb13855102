// Detector wording has one owner: catalog messages (src/i18n.ts) or knowledge-base signatures, never text built in code.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { MESSAGES, type MessageKey, NOUNS, t } from '../i18n.js';
import { knowledgeBase } from '../knowledge/index.js';
import { serviceName } from './finding.js';

const DETECT = join(import.meta.dirname);
/** Every file that words findings: the detector specs and the shared helpers they word with. */
const WORDING_SOURCES = [
  ...readdirSync(join(DETECT, 'detectors'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(DETECT, 'detectors', f)),
  join(DETECT, 'finding.ts'),
  join(DETECT, 'postprocess.ts'),
];

/** Han ideographs, CJK punctuation and full-width forms: Chinese text. */
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
/** Three words in a row: English prose rather than a key such as `${src}|${proto}`. */
const PROSE = /\b[a-z]{2,}[ ,;:]+[a-z]{2,}[ ,;:]+[a-z]{2,}\b/;

interface Literal {
  file: string;
  line: number;
  text: string;
}

/** The text of every string and template literal (each template piece) outside tunable docs and errors. */
function literalsOf(file: string): { texts: Literal[]; lCalls: Literal[]; signatures: string[] } {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const texts: Literal[] = [];
  const lCalls: Literal[] = [];
  const signatures: string[] = [];
  const at = (n: ts.Node, text: string): Literal => ({
    file: file.slice(DETECT.length + 1),
    line: source.getLineAndCharacterOfPosition(n.getStart()).line + 1,
    text,
  });
  const visit = (n: ts.Node): void => {
    // Tunable docs are the reference manual (docs/detection-config.md), English by design.
    if (ts.isPropertyAssignment(n) && n.name.getText() === 'doc') return;
    if (ts.isNewExpression(n) && n.expression.getText() === 'Error') return;
    if (ts.isPropertyAssignment(n) && n.name.getText() === 'signature' && ts.isStringLiteral(n.initializer))
      signatures.push(n.initializer.text);
    if (ts.isCallExpression(n) && n.expression.getText() === 'L') lCalls.push(at(n, n.getText()));
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) texts.push(at(n, n.text));
    if (ts.isTemplateExpression(n)) {
      texts.push(at(n, n.head.text));
      for (const span of n.templateSpans) texts.push(at(span, span.literal.text));
    }
    ts.forEachChild(n, visit);
  };
  visit(source);
  return { texts, lCalls, signatures };
}

const scanned = WORDING_SOURCES.map(literalsOf);

describe('detector wording lives in the catalog', () => {
  it('scans the detectors', () => {
    expect(WORDING_SOURCES.length).toBeGreaterThan(15);
    expect(scanned.flatMap((s) => s.texts).length).toBeGreaterThan(100);
  });

  it('no detector source holds Chinese text', () => {
    const found = scanned.flatMap((s) => s.texts).filter((l) => CJK.test(l.text));
    expect(found).toEqual([]);
  });

  it('no detector source holds an English sentence', () => {
    const found = scanned.flatMap((s) => s.texts).filter((l) => PROSE.test(l.text));
    expect(found).toEqual([]);
  });

  it('no detector builds a two-language text by hand with L()', () => {
    const found = WORDING_SOURCES.filter((f) => !f.endsWith('finding.ts')).flatMap(
      (f) => literalsOf(f).lCalls,
    );
    expect(found).toEqual([]);
  });

  it('every signature a detector names exists, so its words are never a silent fallback', () => {
    const named = new Set([...scanned.flatMap((s) => s.signatures), 'smurf', 'fraggle']);
    expect(named.size).toBeGreaterThan(10);
    const kb = knowledgeBase();
    expect([...named].filter((id) => !kb.signature(id))).toEqual([]);
  });
});

/** Words English puts after a count; "1 answers" or "1 different ports" is what this test exists to catch. */
const PLURAL_AFTER_COUNT =
  /\b1 (?:[A-Za-z-]+ ){0,2}?(answers|ports|hosts|packets|probes|requests|replies|addresses|servers|sources|times|hops|SYNs|episodes|connections|datagrams|protocols|pairs|attempts)\b/;

/**
 * Placeholders that hold words, lists or addresses rather than counts (`sent`, `records`, `arrived`: a count
 * already worded, src/detect/finding.ts recordCount).
 */
const TEXT_PLACEHOLDERS = new Set(
  'src dst net list service services every span steady purpose what kind hunted why caveat targetList marks sport names name title specific rest last first explanation reason cls groups parts seq swapped session unit order named portList replies ttl proto port low high sent records arrived'.split(
    ' ',
  ),
);

describe('every detector message renders with counts 0, 1 and 2', () => {
  const keys = (Object.keys(MESSAGES) as MessageKey[]).filter((k) => k.startsWith('detect.'));
  const names = (s: string) => [...s.matchAll(/\{(\w+)(?::(\w+))?\}/g)].map((m) => [m[1]!, m[2]] as const);

  it('has the detector messages', () => {
    expect(keys.length).toBeGreaterThan(80);
  });

  it.each(keys)('%s', (key) => {
    const msg = MESSAGES[key] as { en: string; zh: string };
    for (const n of [0, 1, 2]) {
      const vars = Object.fromEntries(
        names(msg.en).map(([name]) => [name, TEXT_PLACEHOLDERS.has(name) ? 'x' : n]),
      );
      const en = t(key, 'en', vars);
      const zh = t(key, 'zh', vars);
      expect(en, key).not.toMatch(/\{\w+(:\w+)?\}/);
      expect(zh, key).not.toMatch(/\{\w+(:\w+)?\}/);
      for (const [, noun] of names(msg.en)) {
        if (!noun) continue;
        const w = NOUNS[noun as keyof typeof NOUNS];
        expect(en, key).toContain(`${n} ${n === 1 ? w.one : w.other}`);
      }
      if (n === 1) expect(en, key).not.toMatch(PLURAL_AFTER_COUNT);
    }
    // A count in the English (a `{name:noun}`) is followed by its measure word or noun in the Chinese.
    for (const [name, noun] of names(msg.en)) {
      if (!noun) continue;
      expect(msg.zh, `${key}: {${name}} in Chinese`).toMatch(
        new RegExp(`\\{${name}:\\w+\\}|\\{${name}\\} ?[\\u4e00-\\u9fff]`),
      );
    }
  });
});

describe('the name a finding gives a port', () => {
  const kb = knowledgeBase();
  it("is the port's own entry before a group's category, then the transport's own before a shared one", () => {
    // 111/udp has its own entry (sunrpc, TCP and UDP) and is one of seven in a UDP-only group of amplifiers.
    expect(serviceName(kb, 111, 'udp').en).toMatch(/^sunrpc/);
    expect(serviceName(kb, 111, 'tcp').en).toMatch(/^sunrpc/);
    // 137/udp: NetBIOS, not "Legacy and LAN UDP services ...".
    expect(serviceName(kb, 137, 'udp').en).not.toMatch(/Legacy and LAN/);
    // A port with only the group's entry keeps its name.
    const groupOnly = [17, 69, 520, 5353, 27015].filter(
      (p) => !kb.portEntries(p, 'udp').some((e) => e.ports.length === 1 && e.ports[0] === p),
    );
    for (const p of groupOnly) expect(serviceName(kb, p, 'udp').en).toMatch(/^Legacy and LAN UDP services/);
  });
});
