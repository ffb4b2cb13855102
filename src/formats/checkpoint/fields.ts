// Check Point field syntaxes other than CEF/LEEF: `key:"value";` lists (syslog and RFC 5424), LEA `key=value|`
// lines and the positional quoted export, each read into one field map with Check Point's own field names.
import {
  backslashQuotedValues,
  isKeyCharCode,
  isKeyStartCode,
  readBackslashQuoted,
  splitFields,
  unescapeQuoted,
} from '../../util/text-scan.js';

/**
 * Read `action:"Drop"; src:"192.0.2.1"; ike::"x \] y"` (the Log Exporter syslog form, with or without the
 * surrounding `[...]`). Escaped quotes and brackets are unescaped. A repeated key keeps its first value.
 */
export function parseColonQuoted(text: string): Map<string, string> {
  // A scan in place of `/([A-Za-z_][\w.-]*):+"((?:[^"\\]|\\.)*)"/g`, which restarts inside every long word.
  const out = new Map<string, string>();
  const n = text.length;
  let i = 0;
  while (i < n) {
    // The key is the run of key characters from its first letter or `_` (a match can start nowhere earlier).
    while (i < n && !isKeyStartCode(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && isKeyCharCode(text.charCodeAt(i))) i++;
    const keyEnd = i;
    while (i < n && text[i] === ':') i++;
    if (i === keyEnd || text[i] !== '"') continue;
    const read = readBackslashQuoted(text, i);
    if ('failAt' in read) {
      i = read.failAt;
      continue;
    }
    const key = text.slice(start, keyEnd);
    if (!out.has(key)) out.set(key, unescapeQuoted(read.inner));
    i = read.end;
  }
  return out;
}

/** Read LEA / `fw log` style `time=...|action=drop|orig=192.0.2.1|src=...` (pipe- or semicolon-separated). */
export function parseLeaPairs(text: string): Map<string, string> {
  const out = new Map<string, string>();
  // One pass over the parts between `|` and `;`, noting each part's first `=`: a part without one makes no
  // string (a line of 60,000 separators used to make 60,000 empty strings through split()).
  const n = text.length;
  for (let start = 0; start <= n; ) {
    let end = start;
    let eq = -1;
    for (; end < n; end++) {
      const c = text.charCodeAt(end);
      if (c === 124 /* | */ || c === 59 /* ; */) break;
      if (c === 61 /* = */ && eq < 0) eq = end;
    }
    if (eq > start) {
      const key = text.slice(start, eq).trim();
      let value = text.slice(eq + 1, end).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      if (/^[\w./-]+$/.test(key) && !out.has(key)) out.set(key, value);
    }
    start = end + 1;
  }
  return out;
}

/** Column names of the positional quoted export (`"22" "10Dec2019" "23:44:49" "eth1" ...`), in order. */
const EXPORT_COLUMNS = [
  'num',
  'date',
  'time',
  'ifname',
  'origin',
  'type',
  'action',
  'service',
  's_port',
  'src',
  'dst',
  'proto',
  'rule',
  'rule_name',
  'current_rule_number',
  'user',
  'information',
  'product',
];

/** True when a line is the positional quoted export: `"<num>" "<ddMmmyyyy>" "<h:mm:ss>" ...`. */
export function isPositionalExport(text: string): boolean {
  return /^"\d+" "\d{1,2}[A-Z][a-z]{2}\d{4}" " ?\d{1,2}:\d{2}:\d{2}" "/.test(text);
}

/**
 * Read the positional export into named fields; the `information` column's `inzone: External; ...`
 * pairs are added as fields of their own.
 */
export function parsePositionalExport(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const values = backslashQuotedValues(text);
  EXPORT_COLUMNS.forEach((name, i) => {
    const v = values[i];
    if (v !== undefined && v !== '') out.set(name, v);
  });
  for (const pair of splitFields(out.get('information') ?? '', /;\s*/)) {
    const colon = pair.indexOf(':');
    if (colon > 0) {
      const key = pair.slice(0, colon).trim();
      if (/^[\w ]+$/.test(key) && !out.has(key)) out.set(key, pair.slice(colon + 1).trim());
    }
  }
  return out;
}
