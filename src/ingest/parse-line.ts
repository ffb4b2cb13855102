// Parse a single log line outside of a stream (used by `fwlens explain '<line>'` and tests).
import { createEnvelopeReader, PENDING } from '../formats/envelope/index.js';
import { makeContext } from '../formats/envelope/time.js';
import { FORMATS } from '../formats/index.js';
import type { ParseContext, ParseResult } from '../formats/types.js';

/**
 * Parse one line with envelope stripping and format auto-detection.
 * Returns the event (the first one when the line holds several flows), a parse error, or null when
 * no format recognises the line.
 */
export function parseOneLine(line: string, ctx: ParseContext = makeContext(Date.now())): ParseResult {
  const reader = createEnvelopeReader(ctx);
  const env = reader.push(line.replace(/\r?\n$/, ''));
  if (env === null || env === PENDING) return null;
  const ranked = FORMATS.map((f) => ({ f, score: f.detect(env.message, env) }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score);
  for (const { f } of ranked) {
    const result = f.createParser(ctx)(env);
    // A record holding several flows: the first stands for the line.
    if (Array.isArray(result)) return result[0] ?? null;
    if (result !== null) return result;
  }
  return null;
}
