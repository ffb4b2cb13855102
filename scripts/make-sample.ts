// Generates examples/sample.log (three days of a ufw edge firewall's kernel log) and its truth table, deterministically.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { plantBackground } from './sample/background.js';
import { plantDamaged } from './sample/damaged.js';
import { plantIcmp } from './sample/icmp.js';
import { kernelLine } from './sample/kernel-line.js';
import { plantLan } from './sample/lan.js';
import { plantLeftovers } from './sample/leftovers.js';
import { BOOT_US, END_US, HOSTNAME, START_US } from './sample/network.js';
import { Plan } from './sample/plan.js';
import { Rng } from './sample/prng.js';
import { plantProbes } from './sample/probes.js';
import { plantResearchScanners } from './sample/research.js';
import { plantScans } from './sample/scans.js';
import { renderTruth } from './sample/truth.js';

/** Seed of the committed sample. */
export const SAMPLE_SEED = 20261120;

/** Where the committed sample and its truth table live. */
export const SAMPLE_LOG_PATH = fileURLToPath(new URL('../examples/sample.log', import.meta.url));
export const SAMPLE_TRUTH_PATH = fileURLToPath(new URL('../examples/sample.truth.md', import.meta.url));

/** One written line and the scenario it was planted for. */
export interface SampleLine {
  text: string;
  scenario: string;
}

/** The generated sample: log text, truth table, and each line's scenario. */
export interface Sample {
  log: string;
  truth: string;
  lines: SampleLine[];
}

/** Build the sample in memory. Same seed, same bytes: no clock, no environment. */
export function generateSample(seed = SAMPLE_SEED): Sample {
  const plan = new Plan();
  const rng = new Rng(seed);
  plantProbes(plan, rng.fork('probes'));
  plantScans(plan, rng.fork('scans'));
  plantIcmp(plan, rng.fork('icmp'));
  plantLan(plan, rng.fork('lan'));
  plantLeftovers(plan, rng.fork('leftovers'));
  plantDamaged(plan, rng.fork('damaged'));
  plantBackground(plan, rng.fork('background'));
  plantResearchScanners(plan, rng.fork('research'));

  // Scenario times are written to the millisecond; the kernel stamps microseconds.
  const jitter = rng.fork('microseconds');
  for (const r of plan.records) r.timeUs += jitter.int(0, 999);
  const records = plan.records.slice().sort((a, b) => a.timeUs - b.timeUs);
  for (const r of records)
    if (r.timeUs < START_US || r.timeUs >= END_US)
      throw new Error(`${r.scenario} record outside the three days`);
  const lines = records.map((r) => {
    const whole = kernelLine(r.timeUs, BOOT_US, HOSTNAME, r.message);
    return { text: r.damage ? r.damage(whole) : whole, scenario: r.scenario };
  });
  return {
    log: `${lines.map((l) => l.text).join('\n')}\n`,
    truth: renderTruth(plan.scenarios, records, seed),
    lines,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const sample = generateSample();
  writeFileSync(SAMPLE_LOG_PATH, sample.log);
  writeFileSync(SAMPLE_TRUTH_PATH, sample.truth);
  console.log(
    `wrote ${sample.lines.length} lines to ${SAMPLE_LOG_PATH} and the truth table to ${SAMPLE_TRUTH_PATH}`,
  );
}
