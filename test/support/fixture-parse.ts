// Parses a fixture file with one format, line by line as the pipeline would: shared by the format contract
// and the conformance test of the message ids each fixture covers.
import type { FwEvent } from '../../src/event.js';
import { createEnvelopeReader, PENDING } from '../../src/formats/envelope/index.js';
import { makeContext } from '../../src/formats/envelope/time.js';
import type { LogFormat } from '../../src/formats/types.js';

/** Fixed reference for year-less stamps so expected output does not depend on file dates. */
export const FIXTURE_CONTEXT = makeContext(Date.UTC(2026, 11, 31, 23, 59, 59), { year: 2026 });
const CTX = FIXTURE_CONTEXT;

/** One parsed record of a fixture: the line it starts on and its event or error. */
export interface FixtureResult {
  line: number;
  event?: Omit<FwEvent, 'file' | 'line'>;
  error?: string;
  /** A recognised record without traffic (login, config change). */
  skip?: string;
}

/** Parse a fixture file with one format (no auto-detection), line by line, as the pipeline would. */
export function parseFixture(format: LogFormat, text: string): FixtureResult[] {
  const reader = createEnvelopeReader(CTX);
  const parse = format.createParser(CTX);
  const out: FixtureResult[] = [];
  const take = (env: ReturnType<typeof reader.push>) => {
    if (env === null || env === PENDING) return;
    const r = parse(env);
    if (r === null) return;
    // A record holding several flows yields all its events at the record's line.
    if (Array.isArray(r)) for (const event of r) out.push({ line: reader.recordStartLine, event });
    else if ('flowCount' in r)
      for (const event of r.events()) out.push({ line: reader.recordStartLine, event });
    else if ('skip' in r) out.push({ line: reader.recordStartLine, skip: r.skip });
    else if ('error' in r) out.push({ line: reader.recordStartLine, error: r.error });
    else out.push({ line: reader.recordStartLine, event: r });
  };
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const l of lines) {
    const line = l.replace(/\r$/, '');
    take(reader.push(line));
    if (reader.replay) take(reader.push(line));
  }
  take(reader.flush());
  return out;
}
