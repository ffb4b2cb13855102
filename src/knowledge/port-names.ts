// One label from the names several knowledge entries give a port, each service named once.
import { NAME_SEPARATOR, QUALIFIER_MARKS } from '../i18n.js';
import type { Localized, PortEntry } from './schema.js';

type Lang = keyof typeof QUALIFIER_MARKS;

/** A Chinese character: Chinese compounds are not split into words by spaces. */
const HAN = /\p{Script=Han}/u;

/** A name split into what it names and its trailing parenthesis: "Telnet (remote login)" → Telnet + remote login. */
interface SplitName {
  words: string[];
  qualifiers: string[];
  /** The name as the knowledge base writes it, shown as it is unless another name folds into it. */
  written?: string;
}

/** The head of a name and the text of one trailing parenthesis (ASCII or full-width), if it has one. */
function splitName(name: string): SplitName {
  // By index, not by a pattern: `(.*?)\s*(` backtracks quadratically over a run of spaces.
  const body = name.trimEnd();
  const ascii = body.indexOf('(');
  const wide = body.indexOf('（');
  const open = ascii < 0 ? wide : wide < 0 ? ascii : Math.min(ascii, wide);
  const closed = body.endsWith(')') || body.endsWith('）');
  const head = open >= 0 && closed ? body.slice(0, open).trimEnd() : '';
  const qualifiers = head ? [body.slice(open + 1, -1).trim()] : [];
  return { words: (head || name).split(/\s+/).filter(Boolean), qualifiers, written: name };
}

/**
 * The words `longer` adds to `shorter` when both name one service: `shorter`'s words, in order, are a
 * subsequence of `longer`'s starting with the same word ("SSH" / "SSH password guessing", "Alternate HTTP
 * ports" / "Alternate HTTP proxy ports", "备用 HTTP 端口" / "备用 HTTP 代理端口"). Undefined when they name
 * different things. A slash joins two names already ("SMB / NetBIOS session"), so such a head is never folded.
 */
function addedWords(shorter: string[], longer: string[]): string[] | undefined {
  if (shorter.length === 0 || shorter.length > longer.length) return undefined;
  if ([...shorter, ...longer].includes('/')) return undefined;
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (!same(shorter[0]!, longer[0]!)) return undefined;
  const added: string[] = [];
  let i = 0;
  for (const word of longer) {
    const want = shorter[i];
    if (want !== undefined && same(word, want)) i++;
    // Chinese writes no space inside a compound: "代理端口" is "端口" with "代理" added.
    else if (want !== undefined && HAN.test(word) && word.length > want.length && word.endsWith(want)) {
      added.push(word.slice(0, -want.length));
      i++;
    } else added.push(word);
  }
  return i === shorter.length ? added : undefined;
}

/** Fold `next` into `into` when they name the same service; false when they do not. */
function fold(into: SplitName, next: SplitName): boolean {
  const addedByNext = addedWords(into.words, next.words);
  const addedByInto = addedByNext ? undefined : addedWords(next.words, into.words);
  if (!addedByNext && !addedByInto) return false;
  const extra = (words: string[] | undefined) => (words?.length ? [words.join(' ')] : []);
  // Qualifiers keep the entries' order: what the earlier name said comes first.
  const qualifiers = addedByNext
    ? [...into.qualifiers, ...extra(addedByNext), ...next.qualifiers]
    : [...extra(addedByInto), ...into.qualifiers, ...next.qualifiers];
  if (addedByInto) into.words = next.words;
  into.written = undefined;
  into.qualifiers = qualifiers.filter(
    (q, i) => qualifiers.findIndex((other) => other.toLowerCase() === q.toLowerCase()) === i,
  );
  return true;
}

function render(name: SplitName, lang: Lang): string {
  if (name.written !== undefined) return name.written;
  const head = name.words.join(' ');
  if (name.qualifiers.length === 0) return head;
  const m = QUALIFIER_MARKS[lang];
  return `${head}${m.open}${name.qualifiers.join(m.separator)}${m.close}`;
}

/** Names of one language joined, each service once ("SSH" + "SSH password guessing" → "SSH (password guessing)"). */
export function joinServiceNames(names: readonly string[], lang: Lang): string {
  const out: SplitName[] = [];
  for (const name of names) {
    const next = splitName(name);
    if (!out.some((kept) => fold(kept, next))) out.push(next);
  }
  return out.map((n) => render(n, lang)).join(NAME_SEPARATOR[lang]);
}

/** The label of a port from its knowledge entries (at most `limit` of them, in the order given). */
export function portNamesLabel(entries: readonly PortEntry[], limit = Number.POSITIVE_INFINITY): Localized {
  const names: Localized[] = entries.slice(0, limit).map((e) => e.name);
  return {
    en: joinServiceNames(
      names.map((n) => n.en),
      'en',
    ),
    zh: joinServiceNames(
      names.map((n) => n.zh),
      'zh',
    ),
  };
}
