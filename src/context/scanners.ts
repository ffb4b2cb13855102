// Research and benign scanners recognised per address: by the knowledge base's address blocks, by the AS
// number or organisation the ASN data gives the address, or by its reverse DNS name (data/scanners.yaml).
import type { KnowledgeBase } from '../knowledge/index.js';
import type { ScannerEntry } from '../knowledge/schema.js';
import type { AsnInfo } from './asn-table.js';

/** How an address was recognised as a scanner. */
export type ScannerMatchBy = 'cidr' | 'asn' | 'organization' | 'ptr';

/** A scanner label for one address. */
export interface ScannerMatch {
  entry: ScannerEntry;
  by: ScannerMatchBy;
}

/** Matches addresses against the scanner list of one knowledge base. */
export class ScannerMatcher {
  private readonly byAsn = new Map<number, ScannerEntry>();
  private readonly orgPatterns: [string, ScannerEntry][] = [];
  private readonly suffixes: [string, ScannerEntry][] = [];

  constructor(private readonly kb: KnowledgeBase) {
    for (const e of kb.data.scanners) {
      for (const a of e.asns ?? []) this.byAsn.set(a, e);
      for (const o of e.organizations ?? []) this.orgPatterns.push([o.toLowerCase(), e]);
      for (const s of e.ptrSuffixes ?? []) this.suffixes.push([s.toLowerCase().replace(/^\./, ''), e]);
    }
  }

  /** The scanner an autonomous system belongs to, by its number or its organisation's name. */
  matchAs(as: AsnInfo): ScannerMatch | undefined {
    const e = this.byAsn.get(as.number);
    if (e) return { entry: e, by: 'asn' };
    const org = as.organization.toLowerCase();
    for (const [pattern, entry] of this.orgPatterns)
      if (org.includes(pattern)) return { entry, by: 'organization' };
    return undefined;
  }

  /** The scanner an address belongs to: address block first, then AS number, organisation, PTR name. */
  match(ip: string, as?: AsnInfo, ptr?: string): ScannerMatch | undefined {
    const block = this.kb.addressEntries(ip).find((e): e is ScannerEntry => !('kind' in e));
    if (block) return { entry: block, by: 'cidr' };
    const byAs = as ? this.matchAs(as) : undefined;
    if (byAs) return byAs;
    if (ptr) {
      const name = ptr.toLowerCase().replace(/\.$/, '');
      for (const [suffix, entry] of this.suffixes)
        if (name === suffix || name.endsWith(`.${suffix}`)) return { entry, by: 'ptr' };
    }
    return undefined;
  }
}
