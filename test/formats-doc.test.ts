// docs/formats.md is generated from the format registry: it must match what the generator writes now.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusSamplesOf, FORMATS_DOC_PATH, renderFormatsDoc } from '../scripts/gen-formats-doc.js';
import { FORMATS } from '../src/formats/index.js';
import { ROOT } from './helpers.js';

describe('docs/formats.md', () => {
  const rendered = renderFormatsDoc();

  it('is up to date with the registry (run `npm run docs:formats` when this fails)', () => {
    const committed = readFileSync(join(ROOT, FORMATS_DOC_PATH), 'utf8');
    expect(committed === rendered, 'docs/formats.md is out of date: run `npm run docs:formats`').toBe(true);
  });

  it('has a section per registered format with its example and ECS field names', () => {
    for (const f of FORMATS) {
      const start = rendered.indexOf(`\n## ${f.id}\n`);
      expect(start, `no section for ${f.id}`).toBeGreaterThan(0);
      const section = rendered.slice(start, rendered.indexOf('\n## ', start + 1) >>> 0);
      expect(section).toContain(f.example);
    }
    const ipfw = rendered.slice(rendered.indexOf('\n## ipfw\n'));
    expect(ipfw).toMatch(/Fields: .*`source\.ip`.*`observer\.ingress\.interface\.name`/);
  });

  it('names the corpus folders each format reads, from test/corpus-map.ts', () => {
    expect(corpusSamplesOf('zonealarm')).toEqual(['other-zonealarm/']);
    expect(corpusSamplesOf('nftables-trace')).toEqual([
      'nftables/lab-nft-monitor-trace.log',
      'nftables/openwrt-issue-19814-nft-monitor-trace.log',
    ]);
    expect(rendered).toContain('Corpus samples: `other-ms-isa/`');
  });
});
