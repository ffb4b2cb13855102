// Parse a single log line outside of a stream (used by `fwlens explain '<line>'` and tests), routed as `analyze` routes it.
import { createEnvelopeReader, PENDING } from '../formats/envelope/index.js';
import { makeContext } from '../formats/envelope/time.js';
import { FORMATS } from '../formats/index.js';
import { FormatRouter } from '../formats/router.js';
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
  const routed = new FormatRouter(ctx, FORMATS).route(env);
  if (routed === null) return null;
  // A record holding several flows: the first stands for the line.
  return Array.isArray(routed.result) ? (routed.result[0] ?? null) : routed.result;
}
