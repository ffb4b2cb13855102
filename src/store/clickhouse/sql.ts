// ClickHouse SQL literals and identifiers: the one place where a value becomes SQL text (the 18.16 server takes no query parameters).

/**
 * A ClickHouse string literal holding exactly `value`: backslash and quote escaped, every control character
 * (NUL, line ends, ESC ...) as `\xHH`, the rest as UTF-8 text. Both ClickHouse 18.16 and current versions read
 * it back byte for byte. A lone UTF-16 surrogate (not valid text) becomes U+FFFD, as any UTF-8 encoder makes it.
 */
export function stringLiteral(value: string): string {
  let out = "'";
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x5c) out += '\\\\';
    else if (c === 0x27) out += "\\'";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += value[i]! + value[i + 1]!;
        i++;
      } else out += '\ufffd';
    } else if (c >= 0xdc00 && c <= 0xdfff) out += '\ufffd';
    else out += value[i]!;
  }
  return `${out}'`;
}

/** An integer literal; anything but a safe integer (NaN, 1.5, 2^60 as a number) is refused, never written. */
export function intLiteral(value: number | bigint): string {
  if (typeof value === 'bigint') return value.toString();
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer: ${value}`);
  return String(value);
}

/** Names the store creates or is told (database, cluster): plain identifiers only, so they need no quoting. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** An identifier as SQL text; anything but a plain identifier is refused. */
export function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new RangeError(`not a plain identifier: ${name}`);
  return name;
}

/** A token of raw SQL as rawSqlRefusal reads it. */
interface SqlToken {
  kind: 'word' | 'name' | 'string' | 'punct';
  text: string;
}

/** The tokens of SQL text (comments and blanks left out), as ClickHouse reads strings, quoted names and comments. */
function sqlTokens(text: string): SqlToken[] {
  const out: SqlToken[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') i++;
    else if ((c === '-' && text[i + 1] === '-') || c === '#') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      let value = '';
      let j = i + 1;
      for (; j < n; j++) {
        const d = text[j]!;
        if (d === '\\') value += text[++j] ?? '';
        else if (d === c && text[j + 1] === c) value += text[++j];
        else if (d === c) break;
        else value += d;
      }
      out.push({ kind: c === "'" ? 'string' : 'name', text: value });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z_0-9$]/.test(text[j]!)) j++;
      out.push({ kind: 'word', text: text.slice(i, j) });
      i = j;
    } else {
      out.push({ kind: 'punct', text: c });
      i++;
    }
  }
  return out;
}

/**
 * Why raw SQL (`query --sql`) is refused before it is sent, or undefined: `not-query` for anything but one
 * SELECT or WITH query (readonly=1 still allows KILL QUERY, SHOW PROCESSLIST ...), `system` for a table of
 * the server's system database (system.processes and system.query_log hold other clients' statements).
 */
export function rawSqlRefusal(text: string): 'not-query' | 'several' | 'system' | undefined {
  const tokens = sqlTokens(text);
  const end = tokens.findIndex((t) => t.kind === 'punct' && t.text === ';');
  if (end >= 0 && tokens.slice(end + 1).some((t) => !(t.kind === 'punct' && t.text === ';')))
    return 'several';
  const first = tokens.find((t) => !(t.kind === 'punct' && t.text === '('));
  if (first?.kind !== 'word' || !/^(select|with)$/i.test(first.text)) return 'not-query';
  for (let k = 0; k + 1 < tokens.length; k++) {
    const t = tokens[k]!;
    if (
      (t.kind === 'word' || t.kind === 'name') &&
      t.text.toLowerCase() === 'system' &&
      tokens[k + 1]!.text === '.' &&
      tokens[k + 1]!.kind === 'punct'
    )
      return 'system';
  }
  return undefined;
}
