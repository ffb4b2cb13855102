// The two WatchGuard traffic-line layouts, matched token by token: a regular expression with a lazy interface
// group between blank runs took cubic time on a long line (4 KB of blanks: 30 s), this reads each token once.

import { MAX_RECORD_FIELDS } from '../util/text-scan.js';

/** A blank-separated word of the line and where it sits. */
interface Token {
  text: string;
  start: number;
  end: number;
}

/** The words of a text, split at runs of `\s` characters. */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /\S+/g;
  // A layout is a few dozen words; past the record bound the rest of a hostile line is not read.
  for (let m = re.exec(text); m !== null && out.length < MAX_RECORD_FIELDS; m = re.exec(text))
    out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

const DIGITS_RE = /^\d+$/;
/** An address token: hex digits, dots and colons with at least one `.` or `:`. */
const ADDRESS_RE = /^[0-9A-Fa-f]*[.:][0-9A-Fa-f.:]*$/;
const PROTOCOL_RE = /^(?:[a-z][a-z0-9-]*|\d{1,3})$/;
const VERDICTS = new Set(['Allow', 'Deny']);
const DISPOSITIONS = new Set(['Allowed', 'Denied']);

const isDigits = (t: Token | undefined) => t !== undefined && DIGITS_RE.test(t.text);
const isAddress = (t: Token | undefined) => t !== undefined && ADDRESS_RE.test(t.text);

/** Captures in the order of the former pattern's groups (index 0 is unused). */
export type LayoutMatch = (string | undefined)[];

/**
 * Classic layout: `Allow|Deny <in-if> <out-if> [<len>] <proto> [<hdr-len> <ttl>] <src> <dst> [<sport> <dport>]`.
 * Interface names may hold spaces, so the interface text is the shortest run of words after which the rest
 * fits. Groups: 1 verdict, 2 interfaces, 3 length, 4 protocol, 5 header length, 6 TTL, 7 source, 8 destination,
 * 9 source port, 10 destination port.
 */
export function matchClassicLayout(body: string): LayoutMatch | null {
  const t = tokenize(body);
  if (t.length < 2 || t[0]!.start !== 0 || !VERDICTS.has(t[0]!.text)) return null;
  /** The fixed part from token `i` on, trying optional words present first (as the pattern did). */
  const rest = (i: number): LayoutMatch | null => {
    for (const len of isDigits(t[i]) ? [1, 0] : [0]) {
      const p = i + len;
      if (!t[p] || !PROTOCOL_RE.test(t[p]!.text)) continue;
      for (const hdr of isDigits(t[p + 1]) && isDigits(t[p + 2]) ? [2, 0] : [0]) {
        const s = p + 1 + hdr;
        if (!isAddress(t[s]) || !isAddress(t[s + 1])) continue;
        const ports = isDigits(t[s + 2]) && isDigits(t[s + 3]);
        return [
          undefined,
          undefined,
          undefined,
          len ? t[i]!.text : undefined,
          t[p]!.text,
          hdr ? t[p + 1]!.text : undefined,
          hdr ? t[p + 2]!.text : undefined,
          t[s]!.text,
          t[s + 1]!.text,
          ports ? t[s + 2]!.text : undefined,
          ports ? t[s + 3]!.text : undefined,
        ];
      }
    }
    return null;
  };
  for (let k = 1; k < t.length; k++) {
    const m = rest(k + 1);
    if (m) return withHead(m, t[0]!.text, body.slice(t[1]!.start, t[k]!.end));
  }
  // No interface words: the pattern then took one blank of a run of three or more as the interface text.
  const m = t[1]!.start - t[0]!.end >= 3 ? rest(1) : null;
  return m ? withHead(m, t[0]!.text, body[t[1]!.start - 2]) : null;
}

/** The product part of a `<service>/<proto>` token: from the first letter of its final run of `[a-z0-9-]`. */
function serviceProtocol(token: string): string | undefined {
  let q = token.length;
  while (q > 0 && /[a-z0-9-]/.test(token[q - 1]!)) q--;
  while (q < token.length && !/[a-z]/.test(token[q]!)) q++;
  return q < token.length ? token.slice(q) : undefined;
}

/**
 * Fireware 12.10 / Traffic Monitor layout: `[Member<n>] Allow|Deny <src> <dst> <service>/<proto> [<sport>
 * <dport>] <in-if> <out-if> Allowed|Denied [<len> <ttl>] (<policy>) ...`. Groups: 1 verdict, 2 source,
 * 3 destination, 4 protocol, 5 source port, 6 destination port, 7 interfaces, 8 length, 9 TTL, 10 policy.
 */
export function matchMonitorLayout(body: string): LayoutMatch | null {
  const t = tokenize(body);
  if (t.length === 0 || t[0]!.start !== 0) return null;
  const lastClose = body.lastIndexOf(')');
  for (const member of /^Member\d+$/.test(t[0]!.text) ? [1, 0] : [0]) {
    const v = member;
    if (!t[v] || !VERDICTS.has(t[v]!.text) || !isAddress(t[v + 1]) || !isAddress(t[v + 2]) || !t[v + 3])
      continue;
    const proto = serviceProtocol(t[v + 3]!.text);
    if (proto === undefined) continue;
    for (const ports of isDigits(t[v + 4]) && isDigits(t[v + 5]) ? [2, 0] : [0]) {
      const a = v + 4 + ports;
      /** The disposition at token `d` and what follows it, with the interface text already cut. */
      const tail = (d: number, interfaces: string): LayoutMatch | null => {
        if (!t[d] || !DISPOSITIONS.has(t[d]!.text)) return null;
        for (const lt of isDigits(t[d + 1]) && isDigits(t[d + 2]) ? [2, 0] : [0]) {
          const paren = t[d + 1 + lt];
          if (!paren?.text.startsWith('(') || paren.start >= lastClose) continue;
          const close = body.indexOf(')', paren.start + 1);
          return [
            undefined,
            t[v]!.text,
            t[v + 1]!.text,
            t[v + 2]!.text,
            proto,
            ports ? t[v + 4]!.text : undefined,
            ports ? t[v + 5]!.text : undefined,
            interfaces,
            lt ? t[d + 1]!.text : undefined,
            lt ? t[d + 2]!.text : undefined,
            body.slice(paren.start + 1, close),
          ];
        }
        return null;
      };
      for (let k = a; k + 1 < t.length; k++) {
        const m = tail(k + 1, body.slice(t[a]!.start, t[k]!.end));
        if (m) return m;
      }
      // No interface words: the pattern then took one blank of a run of three or more as the interface text.
      const gap = t[a] && t[a]!.start - t[a - 1]!.end >= 3 ? tail(a, body[t[a]!.start - 2]!) : null;
      if (gap) return gap;
    }
  }
  return null;
}

function withHead(m: LayoutMatch, verdict: string, interfaces: string | undefined): LayoutMatch {
  m[1] = verdict;
  m[2] = interfaces;
  return m;
}
