// Logs read newest first (`kern.log*` lists kern.log before kern.log.1): the same findings as oldest first.
// Detection runs on event time; read backwards, an older file's day of packets fell into one "second" of a
// rate bin and made a SYN flood of the sample's ordinary traffic.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers.js';

const sample = readFileSync(join(ROOT, 'examples', 'sample.log'), 'utf8').split('\n');
const dir = mkdtempSync(join(tmpdir(), 'fwlens-time-order-'));
const older = join(dir, 'kern.log.1');
const newer = join(dir, 'kern.log');
writeFileSync(older, `${sample.slice(0, 1600).join('\n')}\n`);
writeFileSync(newer, `${sample.slice(1600).join('\n')}`);

interface Doc {
  findings: { detector: string; severity: number; title: { en: string } }[];
  inputs: { path: string }[];
}
const findings = (d: Doc) => d.findings.map((f) => `${f.severity} ${f.detector} ${f.title.en}`).sort();
const analyze = async (args: string[], stdin?: string) =>
  JSON.parse((await runCli(['analyze', '--json', ...args], { stdin })).out) as Doc;

describe('logs read newest first', () => {
  it('through one stream, newest part first: the findings of the log read in order', async () => {
    const inOrder = await analyze([join(ROOT, 'examples', 'sample.log')]);
    const backwards = await analyze(['-'], readFileSync(newer, 'utf8') + readFileSync(older, 'utf8'));
    expect(findings(backwards)).toEqual(findings(inOrder));
    expect(backwards.findings.map((f) => f.title.en)).not.toContain('SYN flood');
  });

  it('rotated files named newest first are read oldest first', async () => {
    const shellOrder = await analyze([newer, older]);
    expect(shellOrder.inputs.map((i) => i.path)).toEqual([older, newer]);
    expect(findings(shellOrder)).toEqual(findings(await analyze([older, newer])));
  });

  it('a store that took the newer file first reads its inputs in time order', async () => {
    const store = join(dir, 'store.duckdb');
    for (const f of [newer, older]) expect((await runCli(['ingest', '--store', store, f])).code).toBe(0);
    const stored = await analyze([`--store=${store}`]);
    expect(findings(stored)).toEqual(findings(await analyze([older, newer])));
  });
});
