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
