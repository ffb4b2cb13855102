// Lab captures: for each test/fixtures/lab/<scenario>/ with kern.log + truth.yaml, the engine must meet the truth.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Finding } from '../src/detect/index.js';
import { canonicalIp } from '../src/net/ip.js';
import { detectFile } from './detect-helpers.js';

interface Truth {
  expect?: { detector: string; source?: string; technique?: string | null; ports?: number[] }[];
  forbid?: string[];
}

const LAB = join(import.meta.dirname, 'fixtures', 'lab');
const scenarios = existsSync(LAB)
  ? readdirSync(LAB).filter(
      (d) => existsSync(join(LAB, d, 'kern.log')) && existsSync(join(LAB, d, 'truth.yaml')),
    )
  : [];
if (scenarios.length === 0) console.warn(`detect-lab: no lab captures under ${LAB} yet; nothing to check`);

function matches(f: Finding, e: NonNullable<Truth['expect']>[number]): boolean {
  if (f.detector !== e.detector) return false;
  if (e.source !== undefined) {
    const want = canonicalIp(String(e.source)) ?? String(e.source);
    if (!f.sources.includes(want)) return false;
  }
  // `technique: null` (the NULL scan) reads as YAML null, hence String().
  if (e.technique !== undefined && f.technique !== String(e.technique)) return false;
  if (e.ports && !e.ports.every((p) => f.ports.includes(p))) return false;
  return true;
}

describe('lab captures', () => {
  it('are present or reported missing', () => {
    expect(scenarios.length >= 0).toBe(true);
  });
  for (const name of scenarios)
    it(name, () => {
      const truth = parseYaml(readFileSync(join(LAB, name, 'truth.yaml'), 'utf8')) as Truth;
      const findings = detectFile(join(LAB, name, 'kern.log'));
      const summary = findings.map(
        (f) => `${f.detector}/${f.technique ?? '-'} ${f.sources.slice(0, 2).join(',')}`,
      );
      for (const e of truth.expect ?? [])
        expect(
          findings.some((f) => matches(f, e)),
          `expected ${JSON.stringify(e)}; got ${summary.join(' | ')}`,
        ).toBe(true);
      const wrong = findings.filter((f) => (truth.forbid ?? []).includes(f.detector));
      expect(
        wrong.map((f) => `${f.detector} ${f.sources[0]}`),
        `forbidden findings in ${name}`,
      ).toEqual([]);
    });
});

describe('issue 19 captures: randomised TTLs are a scanner, not forgery', () => {
  const ttls = (name: string) =>
    readFileSync(join(LAB, name, 'kern.log'), 'utf8')
      .split('\n')
      .flatMap((l) => /TTL=(\d+)/.exec(l)?.[1] ?? [])
      .map(Number);

  it('nmap gave its raw probes varied TTLs in the capture', () => {
    const seen = ttls('nmap-random-ttl');
    expect(new Set(seen).size).toBeGreaterThanOrEqual(8);
    expect(Math.max(...seen) - Math.min(...seen)).toBeGreaterThanOrEqual(10);
  });

  it('says so in the scan finding instead of calling the source forged', () => {
    const scan = detectFile(join(LAB, 'syn-scan', 'kern.log')).find((f) => f.detector === 'vertical-scan');
    expect(scan?.explanation.en).toContain("TTLs vary as nmap's raw probes do");
    expect(scan?.explanation.zh).toContain('nmap 原始探测包');
    expect(detectFile(join(LAB, 'nmap-random-ttl', 'kern.log')).map((f) => f.detector)).not.toContain(
      'spoofing',
    );
  });

  it('a host at one steady distance gets no TTL note', () => {
    const connect = detectFile(join(LAB, 'connect-scan', 'kern.log')).find(
      (f) => f.detector === 'vertical-scan',
    );
    expect(connect?.explanation.en).not.toContain('TTLs vary');
  });
});
