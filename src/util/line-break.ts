// Where a line may break: the Unicode line-breaking rules (UAX #14) that matter for fwlens text, with its tailorings.

/**
 * Line-break classes of UAX #14 used here. AL letters and most symbols, NU digits, ID ideographs (break
 * on either side), OP/CL/CP opening and closing punctuation, IS infix separators (. , : ;), SY slash,
 * HY hyphen, BA break-after, NS no-start (CJK small kana, 々, ‥ …), EX ! ?, QU quotes, PR/PO prefixes
 * and postfixes of numbers, GL glue, SP space.
 */
export type BreakClass =
  | 'AL'
  | 'NU'
  | 'ID'
  | 'OP'
  | 'OPW'
  | 'CL'
  | 'CP'
  | 'IS'
  | 'SY'
  | 'HY'
  | 'BA'
  | 'NS'
  | 'EX'
  | 'QU'
  | 'PR'
  | 'PO'
  | 'GL'
  | 'SP';

const ASCII: Record<string, BreakClass> = {
  '(': 'OP',
  '[': 'OP',
  '{': 'OP',
  ')': 'CP',
  ']': 'CP',
  '}': 'CL',
  '.': 'IS',
  ',': 'IS',
  ':': 'IS',
  ';': 'IS',
  '/': 'SY',
  '-': 'HY',
  '!': 'EX',
  '?': 'EX',
  '"': 'QU',
  "'": 'QU',
  '%': 'PO',
  $: 'PR',
  '+': 'PR',
  '#': 'AL',
  '|': 'BA',
};

/** Chinese and full-width punctuation: what may not start a line (CL, NS, EX) and what may not end one (OPW). */
const WIDE: Record<string, BreakClass> = {
  '。': 'CL',
  '、': 'CL',
  '，': 'CL',
  '．': 'CL',
  '）': 'CL',
  '」': 'CL',
  '』': 'CL',
  '》': 'CL',
  '〉': 'CL',
  '】': 'CL',
  '〕': 'CL',
  '”': 'CL',
  '’': 'CL',
  '（': 'OPW',
  '「': 'OPW',
  '『': 'OPW',
  '《': 'OPW',
  '〈': 'OPW',
  '【': 'OPW',
  '〔': 'OPW',
  '“': 'OPW',
  '‘': 'OPW',
  '：': 'NS',
  '；': 'NS',
  '！': 'EX',
  '？': 'EX',
  '…': 'NS',
  '‥': 'NS',
  々: 'NS',
  '\u00a0': 'GL',
  '\u2011': 'GL',
};

/** The UAX #14 class of one character (the subset of the table that log text and fwlens' catalog use). */
export function breakClass(ch: string): BreakClass {
  if (ch === ' ' || ch === '\t') return 'SP';
  const ascii = ASCII[ch];
  if (ascii) return ascii;
  if (ch >= '0' && ch <= '9') return 'NU';
  const wide = WIDE[ch];
  if (wide) return wide;
  const cp = ch.codePointAt(0)!;
  // Ideographs, kana, Hangul, full-width forms and emoji: a line may break before and after each.
  if (
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xff01 && cp <= 0xff60) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 'ID';
  return 'AL';
}

/**
 * May a line break between a character of class `before` and one of class `after`? UAX #14 rules
 * LB13-LB30 for these classes, tailored so that no number, address or port is ever split:
 * - IS × NU and SY × (NU | AL) always, not only inside a number: `2001:db8::1`, `198.51.100.7:443`
 *   and `tcp/1524` stay whole (UAX #14 would allow `2001:db8::` / `1` and `tcp/` / `1524`);
 * - ID × OP: a narrow opening parenthesis stays with the word before it, so `后门(1524)` is one piece
 *   (UAX #14 glues `(` only to letters and digits, LB30); breakPieces keeps up to MAX_GROUP_IDEOGRAPHS
 *   characters of that word with it.
 */
export function canBreak(before: BreakClass, after: BreakClass): boolean {
  if (after === 'SP') return false; // LB7: break after spaces, never before
  if (before === 'SP') return true; // LB18
  if (before === 'GL' || after === 'GL') return false; // LB12, LB12a
  if (after === 'CL' || after === 'CP' || after === 'EX' || after === 'IS' || after === 'SY') return false; // LB13
  if (before === 'OP' || before === 'OPW') return false; // LB14
  if (after === 'NS' || after === 'HY' || after === 'BA') return false; // LB21
  if (after === 'QU' || before === 'QU') return false; // LB19
  if ((before === 'AL' && after === 'NU') || (before === 'NU' && after === 'AL')) return false; // LB23
  if ((before === 'PR' || before === 'PO') && (after === 'AL' || after === 'NU' || after === 'OP'))
    return false; // LB24, LB25
  if ((before === 'AL' || before === 'NU') && (after === 'PR' || after === 'PO')) return false; // LB24, LB25
  if ((before === 'HY' || before === 'IS' || before === 'SY') && after === 'NU') return false; // LB25, tailored
  if (before === 'NU' && after === 'NU') return false; // LB25
  if (before === 'AL' && after === 'AL') return false; // LB28
  if (before === 'IS' && after === 'AL') return false; // LB29
  if (before === 'SY' && after === 'AL') return false; // tailored
  if ((before === 'AL' || before === 'NU' || before === 'ID') && after === 'OP') return false; // LB30, tailored
  if ((before === 'CP' || before === 'CL') && (after === 'AL' || after === 'NU')) return false; // LB30
  return true; // LB31: everything else, ideographs included, may break
}

/** CJK characters a narrow `(` keeps with it: the word it annotates (`后门(1524)`, `网络文件系统(2049)`). */
export const MAX_GROUP_IDEOGRAPHS = 6;

/** Take back the single-ideograph pieces just before a `(`, so that the word and its parenthesis stay one piece. */
function takeWordBefore(pieces: string[]): string {
  let word = '';
  let n = 0;
  while (n < MAX_GROUP_IDEOGRAPHS - 1 && pieces.length > 0) {
    const last = pieces[pieces.length - 1]!;
    if ([...last].length !== 1 || breakClass(last) !== 'ID') break;
    word = pieces.pop()! + word;
    n++;
  }
  return word;
}

/**
 * Text cut at every line-break opportunity: each piece is unbreakable and keeps the spaces that follow
 * it, so joining the pieces gives the text back.
 */
export function breakPieces(text: string): string[] {
  const pieces: string[] = [];
  let piece = '';
  let prev: BreakClass | undefined;
  /** The class of the character before the piece being gathered (undefined at the text's start). */
  let lead: BreakClass | undefined;
  for (const ch of text) {
    const cls = breakClass(ch);
    // LB20a: word-initial hyphens stay with their word (`ss -lntup`, `-T4`, `--tz`): the piece so far is
    // nothing but hyphens, perhaps after an opening bracket (`(--json`), and it starts the text or follows a space.
    const wordInitialHyphen =
      prev === 'HY' && cls === 'AL' && (lead === undefined || lead === 'SP') && /^[([{]?-+$/.test(piece);
    if (prev !== undefined && !wordInitialHyphen && canBreak(prev, cls)) {
      pieces.push(piece);
      piece = '';
      lead = prev;
    }
    // The word a `(` annotates comes along: `后门(` is one piece, not `后` / `门(`.
    if (cls === 'OP' && prev === 'ID' && [...piece].length === 1) piece = takeWordBefore(pieces) + piece;
    piece += ch;
    prev = cls;
  }
  if (piece) pieces.push(piece);
  return pieces;
}
