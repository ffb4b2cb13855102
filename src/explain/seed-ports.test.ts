// Every port of the seed document answers through explainPort with its own story, in both languages.
import { describe, expect, it } from 'vitest';
import { knowledgeBase } from '../knowledge/index.js';
import { explainPort } from './index.js';
import { expectWellFormed, sectionText } from './test-support.js';

const SEED_PORTS: (number | [number, number])[] = [
  1080,
  1114,
  1243,
  1524,
  2049,
  3128,
  5632,
  6776,
  6970,
  13223,
  17027,
  27374,
  30100,
  31337,
  31789,
  [32770, 32900],
  [33434, 33600],
  41508,
];

/** Single ports as is; ranges by their first, middle and last port. */
const cases = SEED_PORTS.flatMap((p) =>
  typeof p === 'number' ? [p] : [p[0], Math.floor((p[0] + p[1]) / 2), p[1]],
);
const kb = knowledgeBase();

describe('seed ports through explainPort', () => {
  it.each(cases)('port %i has a port-specific story in en and zh', (port) => {
    const x = explainPort(port, undefined, {}, kb);
    expectWellFormed(x);
    // A story from the knowledge base, not only the IANA registration and the port range.
    expect(x.citations.filter((c) => c !== 'iana-ports' && c !== 'rfc-6335')).not.toEqual([]);
    expect(x.portLabel?.en).not.toMatch(/IANA name|unregistered|dynamic \(temporary\)/);
    const en = sectionText(x, 'destination-port', 'en');
    const zh = sectionText(x, 'destination-port', 'zh');
    expect(en).toContain(`Port ${port} (`);
    expect(en.split('\n').length).toBeGreaterThanOrEqual(2);
    expect(zh).toMatch(/[\u4e00-\u9fff]/);
    expect(x.headline.en).toContain(`Port ${port}:`);
  });
});
