// Allow and deny lists: files with comments, CIDRs and ASNs; malformed lines named with their line number;
// unreadable files said in one sentence; what a match does to a finding's severity.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../detect/types.js';
import { knowledgeBase } from '../knowledge/index.js';
import { applyContextToFindings, ContextEnricher } from './enrich.js';
import { AddressLists } from './lists.js';

const dir = mkdtempSync(join(tmpdir(), 'fwlens-lists-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('AddressLists', () => {
  it('reads addresses, CIDRs, ASNs and comments; names a malformed line and goes on', () => {
    const lists = new AddressLists();
    const path = file(
      'allow.txt',
      '# partners\n198.51.100.7\n203.0.113.0/25   # office\n\nAS64500\nnot-an-address\n2001:db8:1::/48\n',
    );
    lists.addFile('allow', path);
    expect(lists.size).toBe(4);
    expect(lists.problems).toHaveLength(1);
    expect(lists.problems[0]!.en).toBe(
      `${path}:6: "not-an-address" is not an address, CIDR block or ASN (like AS64500), so that line is skipped.`,
    );
    expect(lists.match('198.51.100.7')).toEqual({ kind: 'allow', where: `${path}:2` });
    expect(lists.match('203.0.113.100')?.where).toBe(`${path}:3`);
    expect(lists.match('203.0.113.200')).toBeUndefined();
    expect(lists.match('192.0.2.1', 64500)?.where).toBe(`${path}:5`);
    expect(lists.match('2001:db8:1::5')?.where).toBe(`${path}:7`);
  });
  it('lets an address entry beat an ASN entry, and deny beat allow between equals', () => {
    const lists = new AddressLists();
    lists.addText('deny', 'AS64500\n192.0.2.66\n', 'deny.txt');
    lists.addText('allow', '192.0.2.0/24\n', 'allow.txt');
    expect(lists.match('192.0.2.5', 64500)?.kind).toBe('allow');
    expect(lists.match('192.0.2.66', 64500)?.kind).toBe('deny');
    expect(lists.match('198.51.100.1', 64500)?.kind).toBe('deny');
  });
  it('says in one sentence when a list cannot be read', () => {
    const lists = new AddressLists();
    lists.addFile('deny', join(dir, 'missing.txt'));
    expect(lists.problems[0]!.en).toMatch(
      /^The deny list .*missing\.txt cannot be read \(ENOENT\), so the run goes on without it\.$/,
    );
    expect(lists.size).toBe(0);
  });
});

const finding = (sources: string[], severity: Finding['severity']): Finding => ({
  detector: 'vertical-scan',
  title: { en: 't', zh: 't' },
  explanation: { en: 'e', zh: 'e' },
  severity,
  confidence: 1,
  sources,
  targets: [],
  ports: [],
  counts: { events: 1 },
  evidence: [],
  advice: { en: 'a', zh: 'a' },
});

describe('lists on findings', () => {
  const lists = new AddressLists();
  lists.addText('allow', '198.51.100.7\n', 'allow.txt');
  lists.addText('deny', '203.0.113.66\n', 'deny.txt');
  const enricher = new ContextEnricher(knowledgeBase(), { lists });
  it('keeps trusted partners at info and says why', () => {
    const f = finding(['198.51.100.7'], 5);
    applyContextToFindings([f], enricher);
    expect(f.severity).toBe(1);
    expect(f.adjustments?.[0]?.text.en).toBe(
      'trusted: 198.51.100.7 is on your allow list (allow.txt:1), never above info',
    );
    expect(f.adjustments?.[0]?.text.zh).toMatch(/允许名单/);
  });
  it('raises listed bad actors and says why', () => {
    const f = finding(['203.0.113.66', '192.0.2.1'], 3);
    applyContextToFindings([f], enricher);
    expect(f.severity).toBe(4);
    expect(f.adjustments?.[0]).toMatchObject({
      delta: 1,
      text: { en: 'listed bad actor: 203.0.113.66 is on your deny list (deny.txt:1)' },
    });
  });
  it('leaves other findings alone', () => {
    const f = finding(['192.0.2.1'], 3);
    applyContextToFindings([f], enricher);
    expect(f).not.toHaveProperty('adjustments');
    expect(f.severity).toBe(3);
  });
});
