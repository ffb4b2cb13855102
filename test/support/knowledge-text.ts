// Helpers for the knowledge-base tests: parse the Chinese seed's port lists, walk bilingual texts, compare sentences.

/** A port or inclusive port range named by a line of the seed, with the protocol it states (if any). */
export interface SeedPortItem {
  from: number;
  to: number;
  proto?: 'tcp' | 'udp';
  line: string;
}

/** The seed's two port lists: destination ports (section one) and the source-port table (section two). */
export interface SeedPorts {
  destination: SeedPortItem[];
  source: SeedPortItem[];
}

/** Highest port number; "61000以上" ("61000 and above") in the seed runs up to it. */
const MAX_PORT = 65535;

/** A line opening with a port or a range such as `32770~32900`, `1-5/tcp` or `61000以上`. */
const SEED_PORT_LINE = /^(\d{1,5})(?:\s*[~-]\s*(\d{1,5}))?(以上)?(?:\/(tcp|udp))?(?=[\s(]|$)/i;

/** The heading line that opens the seed's source-port section ("what do these source ports mean?"). */
const SOURCE_SECTION = /源端口/;

function parseSeedLine(line: string): SeedPortItem | undefined {
  const m = SEED_PORT_LINE.exec(line.trim());
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[3] ? MAX_PORT : m[2] ? Number(m[2]) : from;
  // A protocol in the description, e.g. "Sub-7木马(TCP)", narrows the check to that protocol.
  const stated = m[4] ?? /[((](TCP|UDP)[))]/i.exec(line)?.[1];
  const proto = stated ? (stated.toLowerCase() as 'tcp' | 'udp') : undefined;
  return { from, to, line: line.trim(), ...(proto ? { proto } : {}) };
}

/** Read the port lines of a seed text, split at the heading of its source-port section. */
export function parseSeedPorts(text: string): SeedPorts {
  const result: SeedPorts = { destination: [], source: [] };
  let inSourceSection = false;
  for (const line of text.split(/\r?\n/)) {
    if (!inSourceSection && SOURCE_SECTION.test(line) && !SEED_PORT_LINE.test(line.trim())) {
      inSourceSection = true;
      continue;
    }
    const item = parseSeedLine(line);
    if (item) (inSourceSection ? result.source : result.destination).push(item);
  }
  return result;
}

/** A bilingual text found somewhere in the data, with a readable path to it. */
export interface FoundText {
  path: string;
  en: string;
  zh: string;
  /** Set when the object is a fact (it names a source). */
  source?: string;
}

/** Every object with string `en` and `zh` properties inside a value (names, facts, advice ...). */
export function collectTexts(value: unknown, path = ''): FoundText[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => collectTexts(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  const obj = value as Record<string, unknown>;
  const here: FoundText[] = [];
  if (typeof obj['en'] === 'string' && typeof obj['zh'] === 'string') {
    const found: FoundText = { path, en: obj['en'], zh: obj['zh'] };
    if (typeof obj['source'] === 'string') found.source = obj['source'];
    here.push(found);
  }
  const label = typeof obj['id'] === 'string' ? `${path}(${obj['id']})` : path;
  for (const [key, child] of Object.entries(obj)) here.push(...collectTexts(child, `${label}.${key}`));
  return here;
}

/** Every string inside a parsed YAML value. */
export function collectStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(collectStrings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(collectStrings);
  return [];
}

/** Split English prose into sentences, dropping the fact sheets' provenance prefixes. */
export function englishSentences(text: string): string[] {
  return text
    .replace(/^\((unverified|general knowledge)\)\s*/i, '')
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Split Chinese prose into sentences at full stops, semicolons and line breaks. */
export function chineseSentences(text: string): string[] {
  return text
    .split(/[。!?;\n!?;]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Lower-cased set of the words of an English sentence. Numbers (ports, addresses, years) are left out:
 * sharing a list of figures with a source is carrying over a fact, not copying its sentence.
 */
export function wordSet(sentence: string): Set<string> {
  const words = sentence.toLowerCase().match(/[a-z0-9]+(?:['-][a-z0-9]+)*/g) ?? [];
  return new Set(words.filter((w) => !/\d/.test(w)));
}

/** Set of adjacent Han-character pairs of a Chinese sentence (punctuation and Latin text ignored). */
export function hanBigramSet(sentence: string): Set<string> {
  const han = sentence.match(/\p{Script=Han}+/gu) ?? [];
  const pairs = new Set<string>();
  for (const run of han) for (let i = 0; i + 1 < run.length; i++) pairs.add(run.slice(i, i + 2));
  return pairs;
}

/** Share of the larger set that both sets have in common: 1 means the same words, 0 nothing shared. */
export function overlapRatio(a: Set<string>, b: Set<string>): number {
  const larger = Math.max(a.size, b.size);
  if (larger === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / larger;
}

/** Han ideographs, CJK punctuation and full-width forms: none of these belongs in English text. */
export const CJK_CHARACTER = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;

/**
 * Full-width forms of ASCII punctuation (，；：（）？！ ...): the Chinese texts write these half-width, as
 * `,;:()?!`, like the rest of the files. CJK punctuation proper (。、“”) is not in this block.
 */
export const FULL_WIDTH_ASCII_PUNCTUATION = /[\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff5e]/u;

/** At least one Han ideograph: what every Chinese text must contain. */
export const HAN_CHARACTER = /\p{Script=Han}/u;
