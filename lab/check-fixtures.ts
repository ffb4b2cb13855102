// Lab check: every line of every captured lab kern.log must parse into an event (no errors, no unknowns).
// Usage: npx tsx lab/check-fixtures.ts [fixtures-dir]   (exit status 1 when a line fails)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeContext } from '../src/formats/envelope/time.js';
import { isParseError, isParseSkip, type ParseResult } from '../src/formats/types.js';
import { parseOneLine } from '../src/ingest/parse-line.js';

const root = process.argv[2] ?? 'test/fixtures/lab';
// The capture year: syslog stamps carry none, so parse relative to the lab run.
const ctx = makeContext(Date.now(), { year: 2026 });
let failures = 0;

/** Null when the result is a usable event; otherwise what is wrong with it. */
function whyNotAnEvent(result: ParseResult): string | null {
  if (result === null) return 'unrecognised';
  if (isParseError(result)) return result.error;
  if (isParseSkip(result)) return `skipped as ${result.skip}`;
  // An event must at least say when, from where and to where: that is what every detector groups on.
  if (!result.timestamp || !result.sourceIp || !result.destinationIp) return 'missing time or address';
  return null;
}

for (const scenario of readdirSync(root).sort()) {
  const lines = readFileSync(join(root, scenario, 'kern.log'), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  let events = 0;
  lines.forEach((line, i) => {
    const result = parseOneLine(line, ctx);
    const problem = whyNotAnEvent(result);
    if (problem === null) {
      events++;
      return;
    }
    failures++;
    if (failures <= 10) console.error(`${scenario}:${i + 1}: ${problem}`);
  });
  console.log(
    `${scenario.padEnd(24)} ${String(lines.length).padStart(5)} lines ${String(events).padStart(5)} events`,
  );
}
process.exit(failures === 0 ? 0 : 1);
