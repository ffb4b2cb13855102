// The one router from a record to its format: `analyze`, `explain` and every other reader use it.
import type { Envelope, LogFormat, ParseContext, RecordParser, RecordResult } from './types.js';

/**
 * Characters of a record's message every format's detect() sees: enough for any real log's identifying
 * tokens, and it keeps routing a 60 KB hostile line cheap (detect() runs for every format on a line the
 * current format does not claim; the claiming parser still reads the whole line).
 */
export const DETECT_PREFIX_CHARS = 4096;

/**
 * Chooses the parser for each record: the format that matched last is tried first (a file is mostly one
 * format), then the others ranked by their detect() score, highest first, until one claims the record; so
 * files mixing devices still parse line by line, and a line whose best guess declines goes to the next.
 */
export class FormatRouter {
  private readonly parsers = new Map<string, RecordParser>();
  private current: LogFormat | undefined;

  /**
   * @param first the format to try first, as if it had matched the record before the first one (a later part
   * of an input goes on as one whole read of it would)
   */
  constructor(
    private readonly ctx: ParseContext,
    private readonly candidates: readonly LogFormat[],
    first?: LogFormat,
  ) {
    this.current = first;
  }

  private parserFor(f: LogFormat): RecordParser {
    let p = this.parsers.get(f.id);
    if (!p) {
      p = f.createParser(this.ctx);
      this.parsers.set(f.id, p);
    }
    return p;
  }

  /** Id of the format that claimed the last record (tried first on the next), if any did. */
  get currentFormat(): string | undefined {
    return this.current?.id;
  }

  /**
   * The format that claims the record and what it made of it, or null when none does. A record whose envelope
   * stamp is no real date and time (`Feb 30 05:10:00`) is damaged for that reason when its event has no time
   * of its own (a format that reads its own stamp keeps its event).
   */
  route(env: Envelope): { format: LogFormat; result: RecordResult } | null {
    const routed = this.claim(env);
    if (routed === null || env.stampProblem === undefined) return routed;
    const r = routed.result;
    // A series' events carry their own time.
    const timeless = Array.isArray(r)
      ? r.length > 0 && r.every((ev) => ev.timestamp === undefined)
      : r !== null && !('error' in r) && !('skip' in r) && !('flowCount' in r) && r.timestamp === undefined;
    return timeless ? { format: routed.format, result: env.stampProblem } : routed;
  }

  private claim(env: Envelope): { format: LogFormat; result: RecordResult } | null {
    const current = this.current;
    if (current) {
      const result = this.parserFor(current)(env);
      if (result !== null) return { format: current, result };
    }
    const ranked: { f: LogFormat; score: number }[] = [];
    const head =
      env.message.length > DETECT_PREFIX_CHARS ? env.message.slice(0, DETECT_PREFIX_CHARS) : env.message;
    for (const f of this.candidates) {
      if (f === current) continue;
      const score = f.detect(head, env);
      if (score > 0) ranked.push({ f, score });
    }
    // Stable: among equal scores the registry's order decides.
    ranked.sort((a, b) => b.score - a.score);
    for (const { f } of ranked) {
      const result = this.parserFor(f)(env);
      if (result === null) continue;
      this.current = f;
      return { format: f, result };
    }
    return null;
  }
}
