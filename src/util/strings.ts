// String helpers for long-lived keys.

/**
 * A copy of a string that no longer keeps alive the longer string it was cut from. V8 cuts substrings of
 * 13 characters or more as views into their parent, so an IP address kept as a table key would otherwise
 * hold its whole log line (or read chunk) in memory.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}
