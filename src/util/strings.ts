// String helpers for long-lived keys.

/**
 * A copy of a string that no longer keeps alive the longer string it was cut from. V8 cuts substrings of
 * 13 characters or more as views into their parent, so an IP address kept as a table key would otherwise
 * hold its whole log line (or read chunk) in memory.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}

/**
 * Longest log line kept for long (the detection engine's held packets and evidence, the report's notable
 * events): the rest is cut, with an ellipsis. Lines may be up to `--max-line-bytes` (64 KiB) and tens of
 * thousands are held, so a log of long lines (a valid netfilter line padded with an unknown key) would otherwise
 * hold gigabytes. The store keeps evidence lines as long (`EVIDENCE_TEXT_CHARS`).
 */
export const MAX_KEPT_LINE_CHARS = 2048;

/** A line cut to MAX_KEPT_LINE_CHARS (ellipsis included), as a copy that does not keep the whole line alive. */
export function keptLine(raw: string): string {
  return detach(`${raw.slice(0, MAX_KEPT_LINE_CHARS - 1)}…`);
}

/**
 * Text from a log cut to at most `max` characters for display or as a table key (the last one an ellipsis
 * when cut), as a copy that does not keep the whole line alive.
 */
export function cutText(s: string, max: number): string {
  return detach(s.length > max ? `${s.slice(0, max - 1)}…` : s);
}
