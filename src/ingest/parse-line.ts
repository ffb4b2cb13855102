// Parse a single log line outside of a stream (used by `fwlens explain '<line>'` and tests), routed as `analyze` routes it.
import { createEnvelopeReader, PENDING } from '../formats/envelope/index.js';
import { makeContext } from '../formats/envelope/time.js';
import { FORMATS } from '../formats/index.js';
import { FormatRouter } from '../formats/router.js';
import type { ParseContext, ParseResult } from '../formats/types.js';

/**
 * Parse one line with envelope stripping and format auto-detection.
 * Returns the event (the first one when the line holds several flows), a parse error, or null when
 * no format recognises the line. Several lines (a record a format writes over more than one, such as an
 * `nft monitor trace` packet and its verdict) are read in turn, as `analyze` reads them: the first event
 * stands for them; without one, what the last line gave.
 */
export function parseOneLine(line: string, ctx: ParseContext = makeContext(Date.now())): ParseResult {
  const reader = createEnvelopeReader(ctx);
  const router = new FormatRouter(ctx, FORMATS);
  let last: ParseResult = null;
  const take = (env: ReturnType<typeof reader.push>): ParseResult | undefined => {
    if (env === null || env === PENDING) return undefined;
    const routed = router.route(env);
    if (routed === null) return null;
    // A record holding several flows: the first stands for the line.
    const r = routed.result;
    if (Array.isArray(r)) return r[0] ?? null;
    if (r !== null && 'flowCount' in r) {
      for (const ev of r.events()) return ev;
      return null;
    }
    return r;
  };
  for (const one of line.replace(/\r?\n$/, '').split(/\r?\n/)) {
    const r = take(reader.push(one));
    if (r === undefined) continue;
    if (r !== null && !('error' in r) && !('skip' in r)) return r;
    last = r;
  }
  const r = take(reader.flush());
  if (r !== undefined && r !== null && !('error' in r) && !('skip' in r)) return r;
  return r ?? last;
}
