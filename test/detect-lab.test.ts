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
