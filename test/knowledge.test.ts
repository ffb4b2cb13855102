// Checks the real knowledge base in data/: schema, sources, unique ids, bilingual text, FAQ and seed coverage, no copying.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DATA_DIR, KnowledgeBase } from '../src/knowledge/index.js';
import { loadKnowledgeData } from '../src/knowledge/load.js';
import { type KnowledgeData, PortEntry, type Proto, SECTION_FILES } from '../src/knowledge/schema.js';
import {
  CJK_CHARACTER,
  chineseSentences,
  collectStrings,
  collectTexts,
  englishSentences,
  FULL_WIDTH_ASCII_PUNCTUATION,
  HAN_CHARACTER,
  hanBigramSet,
  overlapRatio,
  parseSeedPorts,
  type SeedPortItem,
  wordSet,
} from './support/knowledge-text.js';

/** Shared read-only material (fact sheets and the Chinese seed) lives next to the repository. */
const SHARED_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared');
const HAS_SHARED = existsSync(join(SHARED_DIR, 'faq-facts.yaml')) && existsSync(join(SHARED_DIR, 'seed'));
if (!HAS_SHARED)
  console.warn(`knowledge.test: ${SHARED_DIR} is absent, skipping FAQ/seed coverage and copy checks`);

/** A sentence sharing at least this share of its words with a source sentence counts as copied. */
const COPY_THRESHOLD = 0.8;
/** Sentences shorter than this (words, or Han character pairs) are too generic to compare. */
const MIN_COMPARED_WORDS = 6;
const MIN_COMPARED_BIGRAMS = 8;

/** Data files present in data/ that hold bilingual text (every section file except the bibliography). */
const TEXT_FILES = Object.entries(SECTION_FILES)
  .filter(([section]) => section !== 'sources')
  .flatMap(([, files]) => files)
  .filter((file) => existsSync(join(DATA_DIR, file)));

/** One data file as parsed YAML, so a failure names the file that holds the problem. */
const readDataFile = (file: string): unknown => parseYaml(readFileSync(join(DATA_DIR, file), 'utf8'));

const data: KnowledgeData = loadKnowledgeData();
const kb = new KnowledgeBase(data);

/** Ports and protocols of a seed or fact-sheet item, expanded. */
function* portsOf(from: number, to: number): Generator<number> {
  for (let p = from; p <= to; p++) yield p;
}

const blank = (s: string | undefined): boolean => s === undefined || s.trim() === '';

describe('knowledge base data', () => {
  it('passes the schema, and data/ports-faq.yaml does on its own', () => {
    expect(() => loadKnowledgeData()).not.toThrow();
    const own = readDataFile('ports-faq.yaml');
    const checked = z.array(PortEntry).safeParse(own);
    expect(checked.success, checked.success ? '' : JSON.stringify(checked.error.issues[0])).toBe(true);
    expect(data.ports.length).toBeGreaterThan(0);
  });

  it('cites only source ids listed in sources.yaml', () => {
    const known = new Set(data.sources.map((s) => s.id));
    const facts = collectTexts(data).filter((t) => t.source !== undefined);
    expect(facts.length).toBeGreaterThan(0);
    const unknown = facts.filter((f) => !known.has(f.source!)).map((f) => `${f.path}: ${f.source}`);
    expect(unknown).toEqual([]);
  });

  it('uses every id once across all sections, and every source id once', () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const [section, entries] of Object.entries(data)) {
      if (section === 'sources') continue;
      for (const entry of entries as { id?: string }[]) {
        if (entry.id === undefined) continue;
        const first = seen.get(entry.id);
        if (first !== undefined) clashes.push(`${entry.id} in ${first} and ${section}`);
        else seen.set(entry.id, section);
      }
    }
    expect(clashes).toEqual([]);
    const sourceIds = data.sources.map((s) => s.id);
    expect(new Set(sourceIds).size).toBe(sourceIds.length);
  });

  it.each(TEXT_FILES)('%s: writes Chinese in every zh text and no CJK characters in any en text', (file) => {
    const texts = collectTexts(readDataFile(file));
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.filter((t) => !HAN_CHARACTER.test(t.zh)).map((t) => `${t.path}: ${t.zh}`)).toEqual([]);
    expect(texts.filter((t) => CJK_CHARACTER.test(t.en)).map((t) => `${t.path}: ${t.en}`)).toEqual([]);
  });

  it.each(TEXT_FILES)('%s: writes half-width punctuation in Chinese (no full-width ，；：（）？)', (file) => {
    const texts = collectTexts(readDataFile(file));
    const wide = texts
      .filter((t) => FULL_WIDTH_ASCII_PUNCTUATION.test(t.zh))
      .map((t) => `${t.path}: ${t.zh}`);
    expect(wide).toEqual([]);
  });

  it('tags every entry of ports-faq.yaml with faq or seed', () => {
    const own = readDataFile('ports-faq.yaml') as PortEntry[];
    const untagged = own.filter((e) => !e.tags?.some((t) => t === 'faq' || t === 'seed')).map((e) => e.id);
    expect(untagged).toEqual([]);
  });
});

describe.skipIf(!HAS_SHARED)('coverage of the Firewall Forensics FAQ (needs ../shared)', () => {
  const seedText = HAS_SHARED
    ? readdirSync(join(SHARED_DIR, 'seed'))
        .filter((f) => f.endsWith('.txt'))
        .map((f) => readFileSync(join(SHARED_DIR, 'seed', f), 'utf8'))
        .join('\n')
    : '';
  const seed = parseSeedPorts(seedText);
  const sheet = HAS_SHARED
    ? (parseYaml(readFileSync(join(SHARED_DIR, 'faq-facts.yaml'), 'utf8')) as FactSheet)
    : { ports: [] };

  const protosOf = (item: SeedPortItem): Proto[] => (item.proto ? [item.proto] : ['tcp', 'udp']);

  it('finds both port lists in the seed', () => {
    expect(seed.destination.length).toBeGreaterThan(0);
    expect(seed.source.length).toBeGreaterThan(0);
  });

  it('has a seed-tagged destination entry, complete in both languages, for every seed port', () => {
    const missing: string[] = [];
    for (const item of seed.destination)
      for (const port of portsOf(item.from, item.to)) {
        const entries = protosOf(item).flatMap((proto) => kb.portEntries(port, proto));
        const good = entries.filter(
          (e) =>
            e.tags?.includes('seed') &&
            !blank(e.name.en) &&
            !blank(e.name.zh) &&
            !blank(e.advice.en) &&
            !blank(e.advice.zh) &&
            e.facts.length > 0 &&
            e.facts.every((f) => !blank(f.en) && !blank(f.zh)),
        );
        if (good.length === 0) missing.push(`${port} (${item.line})`);
      }
    expect(missing).toEqual([]);
  });

  it('has a source-port entry, complete in both languages, for every row of the seed source-port table', () => {
    const missing: string[] = [];
    for (const item of seed.source) {
      const uncovered = [...portsOf(item.from, item.to)].filter((port) => {
        const entries = protosOf(item).flatMap((proto) => kb.sourcePortEntries(port, proto));
        return !entries.some(
          (e) =>
            !blank(e.name.en) &&
            !blank(e.name.zh) &&
            e.facts.length > 0 &&
            e.facts.every((f) => !blank(f.en) && !blank(f.zh)),
        );
      });
      if (uncovered.length > 0)
        missing.push(`${item.line}: ${uncovered.length} port(s), first ${uncovered[0]}`);
    }
    expect(missing).toEqual([]);
  });

  it('covers every port and protocol of every ports: item of faq-facts.yaml with a faq entry', () => {
    expect(sheet.ports.length).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const item of sheet.ports) {
      const [from, to] = item.range ?? [item.port!, item.port!];
      for (const port of portsOf(from, to))
        for (const proto of item.proto)
          if (!kb.portEntries(port, proto).some((e) => e.tags?.includes('faq')))
            missing.push(`${port}/${proto}`);
    }
    expect(missing).toEqual([]);
  });

  it('tags seed-mentioned fact-sheet ports with seed and explains outbound-only ports from our side', () => {
    const problems: string[] = [];
    for (const item of sheet.ports) {
      const port = item.range ? item.range[0] : item.port!;
      const entries = item.proto
        .flatMap((proto) => kb.portEntries(port, proto))
        .filter((e) => e.tags?.includes('faq'));
      if (item.in_seed && !entries.some((e) => e.tags?.includes('seed')))
        problems.push(`${port}: no seed tag`);
      if (item.direction === 'outbound' && !entries.some((e) => e.direction === 'outbound' && e.outbound))
        problems.push(`${port}: outbound port without an outbound explanation`);
    }
    expect(problems).toEqual([]);
  });

  // Reference sentences our texts must not copy: the English fact sheets and the Chinese seed.
  const sheetStrings = collectStrings(sheet);
  const modernPath = join(SHARED_DIR, 'modern-ports.yaml');
  if (existsSync(modernPath))
    sheetStrings.push(...collectStrings(parseYaml(readFileSync(modernPath, 'utf8'))));
  const sourceSentences = sheetStrings
    .flatMap(englishSentences)
    .map(wordSet)
    .filter((w) => w.size >= MIN_COMPARED_WORDS);
  const seedSentences = chineseSentences(seedText)
    .map(hanBigramSet)
    .filter((b) => b.size >= MIN_COMPARED_BIGRAMS);

  it('finds enough reference sentences to compare against', () => {
    expect(sourceSentences.length).toBeGreaterThan(100);
    expect(seedSentences.length).toBeGreaterThan(20);
  });

  it.each(TEXT_FILES)(
    '%s: copies no sentence from the fact sheets (English) or the seed (Chinese)',
    (file) => {
      const copied: string[] = [];
      // Names are labels (often lists of product names), not sentences; every other text is prose.
      for (const text of collectTexts(readDataFile(file)).filter((t) => !t.path.endsWith('.name'))) {
        for (const sentence of englishSentences(text.en)) {
          const words = wordSet(sentence);
          if (words.size < MIN_COMPARED_WORDS) continue;
          if (sourceSentences.some((s) => overlapRatio(words, s) >= COPY_THRESHOLD))
            copied.push(`${text.path} en: ${sentence}`);
        }
        for (const sentence of chineseSentences(text.zh)) {
          const pairs = hanBigramSet(sentence);
          if (pairs.size < MIN_COMPARED_BIGRAMS) continue;
          if (seedSentences.some((s) => overlapRatio(pairs, s) >= COPY_THRESHOLD))
            copied.push(`${text.path} zh: ${sentence}`);
        }
      }
      expect(copied).toEqual([]);
    },
  );
});

/** The part of shared/faq-facts.yaml these tests read. */
interface FactSheet {
  ports: {
    port?: number;
    range?: [number, number];
    proto: Proto[];
    direction?: string;
    in_seed?: boolean;
  }[];
}
