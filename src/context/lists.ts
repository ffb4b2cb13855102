// Your own lists: allow (trusted partners) and deny (known bad actors) files and config entries holding
// addresses, CIDR blocks and AS numbers (AS64500), with `#` comments; a malformed line is named and skipped.
import { readFileSync } from 'node:fs';
import type ipaddr from 'ipaddr.js';
import { isValidCidr, parseCidrBlock, V4RangeIndex, V6RangeIndex } from '../detect/addresses.js';
import { tBoth } from '../i18n.js';
import type { Localized } from '../knowledge/schema.js';
import { ipv4ToInt, isIPv4 } from '../net/ip.js';

/** Which list an entry belongs to. */
export type ListKind = 'allow' | 'deny';

/** One list entry and where it was written (`file:line`, or `config allowList[2]`). */
interface ListEntry {
  where: string;
  /** The entry as written (trimmed), to hand the lists to another thread. */
  text: string;
  cidr?: ReturnType<typeof parseCidrBlock>;
  asn?: number;
}

/**
 * The lists as look-ups, made once after the last entry was added: IPv4 and IPv6 entries in range indexes, AS
 * numbers in a map. Each answers as reading the entries in order would: deny before allow, then
 * the first entry written.
 */
interface ListIndex {
  v4: V4RangeIndex<ListHit>;
  v4Count: number;
  v6: V6RangeIndex<ListHit>;
  asn: Map<number, ListHit>;
}

/** One accepted entry as plain data: its list, its text and where it was written. */
export type PlainListEntry = [kind: ListKind, text: string, where: string];

/** A hit on a list: which one and where the matching entry was written. */
export interface ListHit {
  kind: ListKind;
  where: string;
}

const ASN = /^AS(\d{1,10})$/i;

/**
 * Malformed lines of one list named each in a sentence; the rest are counted in one more. A file of binary
 * garbage given as a list (5 MB of it: 38,502 sentences, 8.8 MB on stderr and 20 MB of JSON report) is then a
 * few sentences.
 */
export const MALFORMED_LINES_SAID = 10;

/** Allow and deny entries from files and the config, matched per address (and its ASN). */
export class AddressLists {
  private readonly entries: Record<ListKind, ListEntry[]> = { allow: [], deny: [] };
  /** Built at the first look-up after an entry was added. */
  private index: ListIndex | undefined;
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
      this.index = undefined;
      return true;
    }
    if (!isValidCidr(value)) return false;
    this.entries[kind].push({ where, text: value, cidr: parseCidrBlock(value) });
    this.index = undefined;
    return true;
  }

  /** True when an entry of either list is this AS number. */
  hasAsn(asn: number): boolean {
    return this.lookUps().asn.has(asn);
  }

  private lookUps(): ListIndex {
    if (this.index) return this.index;
    const v4: { from: number; to: number; rank: number; value: ListHit }[] = [];
    const v6: { block: [ipaddr.IPv6, number]; rank: number; value: ListHit }[] = [];
    const asn = new Map<number, ListHit>();
    let rank = 0;
    for (const kind of ['deny', 'allow'] as const)
      for (const e of this.entries[kind]) {
        const hit: ListHit = { kind, where: e.where };
        rank++;
        if (e.asn !== undefined) {
          if (!asn.has(e.asn)) asn.set(e.asn, hit);
        } else if (e.cidr && 'v4' in e.cidr)
          v4.push({ from: e.cidr.v4[0], to: e.cidr.v4[1], rank, value: hit });
        else if (e.cidr) v6.push({ block: e.cidr.v6, rank, value: hit });
      }
    this.index = { v4: new V4RangeIndex(v4), v4Count: v4.length, v6: new V6RangeIndex(v6), asn };
    return this.index;
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

  /**
   * Add a detection config's `allowList` / `denyList` entries, each named `<origin> allowList[i]` where it hits;
   * a malformed one is skipped (the config's own check refuses it before a run).
   */
  addConfig(
    config: { allowList?: readonly string[]; denyList?: readonly string[] } | undefined,
    origin: string,
  ): void {
    for (const [kind, entries] of [
      ['allow', config?.allowList],
      ['deny', config?.denyList],
    ] as const)
      for (const [i, entry] of (entries ?? []).entries())
        this.add(kind, entry, `${origin} ${kind}List[${i}]`);
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
    const said: Localized[] = [];
    let unsaid = 0;
    for (let i = 0; i < lines.length; i++) {
      const hash = lines[i]!.indexOf('#');
      const body = (hash >= 0 ? lines[i]!.slice(0, hash) : lines[i]!).trim();
      if (body === '') continue;
      if (this.add(kind, body, `${origin}:${i + 1}`)) continue;
      if (said.length <= MALFORMED_LINES_SAID)
        said.push(tBoth('context.list.malformed', { path: origin, line: i + 1, text: body.slice(0, 80) }));
      else unsaid++;
    }
    // One past the bound is still named (a count of one line says no less); more are counted in one sentence.
    if (unsaid > 0)
      said[MALFORMED_LINES_SAID] = tBoth('context.list.moreMalformed', { path: origin, more: unsaid + 1 });
    this.problems.push(...said);
  }

  /**
   * The list entry covering the address: an address or CIDR entry beats an ASN entry (it is more specific),
   * and between entries of the same kind deny outranks allow.
   */
  match(ip: string, asn?: number): ListHit | undefined {
    const index = this.lookUps();
    const byAddress = isIPv4(ip)
      ? index.v4Count > 0
        ? index.v4.find(ipv4ToInt(ip))
        : undefined
      : ip.includes(':')
        ? index.v6.find(ip)
        : undefined;
    if (byAddress) return { ...byAddress };
    const byAsn = asn === undefined ? undefined : index.asn.get(asn);
    return byAsn ? { ...byAsn } : undefined;
  }
}

function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code ?? String(err?.message ?? e);
}
