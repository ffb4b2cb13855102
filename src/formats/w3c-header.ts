// W3C extended log file headers (`#Version:`, `#Software:`, `#Fields: ...`) shared by Windows Firewall
// and Microsoft ISA Server logs: the directive of a `#` line and the field list it declares.

import { splitFields } from '../util/text-scan.js';

/** One `#Name: value` directive line. */
export interface W3cDirective {
  name: string;
  value: string;
}

const DIRECTIVE_RE = /^#([A-Za-z][A-Za-z -]*):\s?(.*)$/;

/** The directive on a `#` line, or null when the line is not a W3C directive. */
export function w3cDirective(line: string): W3cDirective | null {
  if (line.charCodeAt(0) !== 35 /* # */) return null;
  const m = DIRECTIVE_RE.exec(line);
  return m ? { name: m[1]!.trim(), value: m[2]!.trim() } : null;
}

/** Field names of a `#Fields:` value, split on tabs when the header uses tabs, else on spaces. */
export function w3cFields(value: string): string[] {
  return splitFields(value, value.includes('\t') ? '\t' : /\s+/).map((f) => f.trim());
}

/** Record columns keyed by the declared field names (missing trailing columns stay absent). */
export function w3cRecord(fields: readonly string[], values: readonly string[]): Record<string, string> {
  const rec: Record<string, string> = {};
  for (let i = 0; i < fields.length && i < values.length; i++) rec[fields[i]!] = values[i]!;
  return rec;
}
