// TCP flags written as one letter each (`S`, `SA`, `FPU`): pf filterlog, Windows Firewall, tcpdump, ZoneAlarm.
import type { TcpFlag } from '../event.js';
import { ownValue } from '../util/own.js';

/** Flag of each letter; tcpdump writes `.` for ACK and `W` for CWR. */
const LETTERS: Record<string, TcpFlag> = {
  S: 'SYN',
  A: 'ACK',
  '.': 'ACK',
  F: 'FIN',
  R: 'RST',
  P: 'PSH',
  U: 'URG',
  E: 'ECE',
  W: 'CWR',
  C: 'CWR',
};

/** The order the Linux kernel prints flags in, used for every format so events compare equal. */
const FLAG_ORDER: TcpFlag[] = ['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN'];

/**
 * Flags of a letter word (`SA` -> ACK, SYN), upper- or lower-case; undefined when a character is not a
 * flag letter, so damaged text is never read as flags. An empty word means no flag.
 */
export function tcpFlagsFromLetters(word: string): TcpFlag[] | undefined {
  const seen = new Set<TcpFlag>();
  for (const ch of word.toUpperCase()) {
    const f = ownValue(LETTERS, ch);
    if (f === undefined) return undefined;
    seen.add(f);
  }
  return FLAG_ORDER.filter((f) => seen.has(f));
}
