// Reads the table of a fixture folder's SOURCES.md (File | Origin | Licence | Messages): where each fixture
// came from and which message ids / record types it holds, for docs/formats.md and the conformance test.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One row of a SOURCES.md table. */
export interface FixtureSource {
  /** The fixture files of the row: names, or patterns with `*` (`crowdsec-*.log`), as the File cell lists them. */
  files: string[];
  /** Where the lines came from, as written (Markdown). */
  origin: string;
  licence: string;
  /** Message ids / record types the file holds; undefined when the table has no Messages column or the cell is empty. */
  messages?: string[];
  /** Set when the row has another number of cells than the header (an unescaped `|` in a cell). */
  cellCountMismatch?: { header: number; row: number };
}

/** Cells of one Markdown table row (`| a | b \| c |`), trimmed; a backslash-escaped bar stays in its cell. */
function cells(row: string): string[] {
  const out: string[] = [];
  let cell = '';
  const body = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '\\' && body[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (ch === '|') {
      out.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  out.push(cell.trim());
  return out;
}

/** The file names of a File cell (`a.log`, `` `b.log` ``, comma-separated), without Markdown code marks. */
function fileNames(cell: string): string[] {
  return cell
    .split(',')
    .map((name) => name.trim().replace(/^`|`$/g, ''))
    .filter((name) => name !== '');
}

/** True when a fixture file is one a row names (by name, or by a pattern with `*` wildcards). */
export function rowNames(row: FixtureSource, file: string): boolean {
  return row.files.some((name) => {
    if (!name.includes('*')) return name === file;
    // A wildcard pattern: its literal parts in order, the first at the start and the last at the end.
    const parts = name.split('*');
    if (!file.startsWith(parts[0]!) || !file.endsWith(parts.at(-1)!)) return false;
    let at = parts[0]!.length;
    for (const part of parts.slice(1, -1)) {
      const found = file.indexOf(part, at);
      if (found < 0) return false;
      at = found + part.length;
    }
    return at <= file.length - parts.at(-1)!.length;
  });
}

/** The ids of a Messages cell: comma-separated, a backslash-escaped comma (`TRAFFIC\\,end`) kept in its id. */
function splitMessages(cell: string): string[] {
  const out: string[] = [];
  let id = '';
  for (let i = 0; i < cell.length; i++) {
    if (cell[i] === '\\' && cell[i + 1] === ',') {
      id += ',';
      i++;
    } else if (cell[i] === ',') {
      out.push(id);
      id = '';
    } else id += cell[i];
  }
  out.push(id);
  return out;
}

/** True for a table's separator row (`| --- | :-: |`): bars, dashes, colons and spaces only, with a dash. */
function isSeparatorRow(line: string): boolean {
  const row = line.trim();
  if (!row.startsWith('|') || !row.includes('-')) return false;
  for (const ch of row) if (ch !== '|' && ch !== '-' && ch !== ':' && ch !== ' ' && ch !== '\t') return false;
  return true;
}

/** Column index of a header name (case-insensitive; `License` is read as `Licence`). */
function column(header: string[], name: string): number {
  const want = name.toLowerCase();
  return header.findIndex((h) => {
    const n = h.toLowerCase();
    return n === want || (want === 'licence' && n === 'license');
  });
}

/**
 * The rows of the first table in `<dir>/SOURCES.md` whose header has a File column; undefined when the file
 * is missing or holds no such table (prose only). A missing Messages column leaves `messages` undefined.
 */
export function readFixtureSources(dir: string): FixtureSource[] | undefined {
  const path = join(dir, 'SOURCES.md');
  if (!existsSync(path)) return undefined;
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i]!.trim().startsWith('|') || !isSeparatorRow(lines[i + 1]!)) continue;
    const header = cells(lines[i]!);
    const fileCol = column(header, 'file');
    if (fileCol < 0) continue;
    const originCol = column(header, 'origin');
    const licenceCol = column(header, 'licence');
    const messagesCol = column(header, 'messages');
    const rows: FixtureSource[] = [];
    for (let j = i + 2; j < lines.length && lines[j]!.trim().startsWith('|'); j++) {
      const row = cells(lines[j]!);
      const messages = messagesCol < 0 ? [] : splitMessages(row[messagesCol] ?? '');
      const ids = messages.map((m) => m.trim().replace(/^`|`$/g, '')).filter((m) => m !== '' && m !== '—');
      rows.push({
        files: fileNames(row[fileCol] ?? ''),
        origin: originCol < 0 ? '' : (row[originCol] ?? ''),
        licence: licenceCol < 0 ? '' : (row[licenceCol] ?? ''),
        ...(ids.length > 0 ? { messages: ids } : {}),
        ...(row.length !== header.length
          ? { cellCountMismatch: { header: header.length, row: row.length } }
          : {}),
      });
    }
    return rows;
  }
  return undefined;
}
