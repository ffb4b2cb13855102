// docs/detection-config.md is generated from the detectors' tunable declarations: it must match the generator.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DETECTION_DOC_PATH, renderDetectionDoc } from '../scripts/gen-detection-doc.js';
import { detectorTunables } from '../src/detect/config.js';
import { DETECTOR_IDS } from '../src/detect/types.js';
import { ROOT } from './helpers.js';

describe('docs/detection-config.md', () => {
  const rendered = renderDetectionDoc();

  it('is up to date with the tunables (run `npm run docs:detection` when this fails)', () => {
    const committed = readFileSync(join(ROOT, DETECTION_DOC_PATH), 'utf8');
    expect(committed === rendered, 'docs/detection-config.md is stale: run `npm run docs:detection`').toBe(
      true,
    );
  });

  it('lists every setting of every detector with its default', () => {
    for (const id of DETECTOR_IDS) {
      const start = rendered.indexOf(`\n### ${id}\n`);
      expect(start, id).toBeGreaterThan(0);
      const section = rendered.slice(start, rendered.indexOf('\n### ', start + 1) >>> 0);
      for (const [name, t] of Object.entries(detectorTunables(id)))
        expect(section, `${id}.${name}`).toContain(`| \`${name}\` | ${t.default} |`);
    }
  });
});
