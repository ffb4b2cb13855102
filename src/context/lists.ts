// Your own lists: allow (trusted partners) and deny (known bad actors) files and config entries holding
// addresses, CIDR blocks and AS numbers (AS64500), with `#` comments; a malformed line is named and skipped.
import { readFileSync } from 'node:fs';
import { CidrSet, isValidCidr } from '../detect/addresses.js';
import { tBoth } from '../i18n.js';
import type { Localized } from '../knowledge/schema.js';

/** Which list an entry belongs to. */
export type ListKind = 'allow' | 'deny';

/** One list entry and where it was written (`file:line`, or `config allowList[2]`). */
interface ListEntry {
  where: string;
  /** The entry as written (trimmed), to hand the lists to another thread. */
  text: string;
  cidr?: CidrSet;
  asn?: number;
}

/** One accepted entry as plain data: its list, its text and where it was written. */
export type PlainListEntry = [kind: ListKind, text: string, where: string];

/** A hit on a list: which one and where the matching entry was written. */
export interface ListHit {
  kind: ListKind;
  where: string;
}

const ASN = /^AS(\d{1,10})$/i;

/** Allow and deny entries from files and the config, matched per address (and its ASN). */
export class AddressLists {
  private readonly entries: Record<ListKind, ListEntry[]> = { allow: [], deny: [] };
  /** One sentence per malformed line or unreadable file (the run goes on without them). */
  readonly problems: Localized[] = [];

  get size(): number {
    return this.entries.allow.length + this.entries.deny.length;
  }

  /** Add one entry's text; returns false when it is not an address, CIDR block or ASN. */
  add(kind: ListKind, text: string, where: string): boolean {
    const value = text.trim();
    const asn = ASN.exec(value);
    if (asn) {
      const n = Number(asn[1]);
      if (n > 4294967295) return false;
      this.entries[kind].push({ where, text: value, asn: n });
      return true;
    }
    if (!isValidCidr(value)) return false;
    this.entries[kind].push({ where, text: value, cidr: new CidrSet([value]) });
    return true;
  }

  /** True when an entry of either list is this AS number. */
  hasAsn(asn: number): boolean {
    return this.entries.allow.some((e) => e.asn === asn) || this.entries.deny.some((e) => e.asn === asn);
  }

  /** The accepted entries as plain data (`fromPlain` makes the same lists again, e.g. in a worker thread). */
  toPlain(): PlainListEntry[] {
    return (['allow', 'deny'] as const).flatMap((kind) =>
      this.entries[kind].map((e): PlainListEntry => [kind, e.text, e.where]),
    );
  }

  /** Lists from `toPlain`'s entries (each was accepted once, so none is malformed). */
  static fromPlain(entries: readonly PlainListEntry[]): AddressLists {
    const lists = new AddressLists();
    for (const [kind, text, where] of entries) lists.add(kind, text, where);
    return lists;
  }

  /** Read a list file: one entry per line, `#` starts a comment, blank lines are fine. */
  addFile(kind: ListKind, path: string): void {
    const kindWord = tBoth(`context.list.${kind}`);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      this.problems.push(tBoth('context.list.unreadable', { kind: kindWord, path, error: errorText(e) }));
      return;
    }
    this.addText(kind, text, path);
  }

  /** Add the entries of a list's text (`origin` names it in messages, as a file path does). */
  addText(kind: ListKind, text: string, origin: string): void {
    const lines = text.split(/\r?\n|\r/);
    for (let i = 0; i < lines.length; i++) {
      const hash = lines[i]!.indexOf('#');
      const body = (hash >= 0 ? lines[i]!.slice(0, hash) : lines[i]!).trim();
      if (body === '') continue;
      if (!this.add(kind, body, `${origin}:${i + 1}`))
        this.problems.push(
          tBoth('context.list.malformed', { path: origin, line: i + 1, text: body.slice(0, 80) }),
        );
    }
  }

  /**
   * The list entry covering the address: an address or CIDR entry beats an ASN entry (it is more specific),
   * and between entries of the same kind deny outranks allow.
   */
  match(ip: string, asn?: number): ListHit | undefined {
    for (const kind of ['deny', 'allow'] as const)
      for (const e of this.entries[kind]) if (e.cidr?.has(ip)) return { kind, where: e.where };
    if (asn === undefined) return undefined;
    for (const kind of ['deny', 'allow'] as const)
      for (const e of this.entries[kind]) if (e.asn === asn) return { kind, where: e.where };
    return undefined;
  }
}

function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code ?? String(err?.message ?? e);
}
