// Lab helper: cut one scenario out of a raw /dev/kmsg capture and print it as an rsyslog-style kern.log.
// Usage: node kmsg-extract.mjs <raw-file> <scenario> [--only-src a,b] [--exclude-src a,b]
// The kernel text after "[uptime]" is kept byte for byte; only the syslog header is added.
import { readFileSync } from 'node:fs';

const LOG_PREFIX = 'FWLAB ';
const HOST = 'lab';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const [rawPath, scenario, ...rest] = process.argv.slice(2);
const listArg = (flag) => {
  const i = rest.indexOf(flag);
  return i === -1 ? null : new Set(rest[i + 1].split(',').filter(Boolean));
};
const onlySrc = listArg('--only-src');
const excludeSrc = listArg('--exclude-src') ?? new Set();

/** Parse "prio,seq,usec,flags[,...];text" into its parts, or null. */
function parseRecord(line) {
  const semi = line.indexOf(';');
  if (semi === -1) return null;
  const [, seq, usec] = line.slice(0, semi).split(',');
  return { seq: Number(seq), usec: BigInt(usec), text: line.slice(semi + 1) };
}

/** "Nov  5 16:46:39" in UTC (the lab machine's clock), as RFC 3164 writes it. */
function syslogStamp(ms) {
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** dmesg's "[ 5916.458488]" rendering of a microsecond uptime. */
function uptimeStamp(usec) {
  const sec = usec / 1000000n;
  const frac = usec % 1000000n;
  return `[${String(sec).padStart(5, ' ')}.${String(frac).padStart(6, '0')}]`;
}

const records = readFileSync(rawPath, 'latin1').split('\n').map(parseRecord).filter(Boolean);
// Keep the last begin/end pair for the scenario, in case an aborted run left an earlier one.
const beginRe = new RegExp(`^fwlab-mark: begin ${scenario} wall=(\\d+)$`);
let begin = -1;
let wallMs = 0;
records.forEach((r, i) => {
  const m = beginRe.exec(r.text);
  if (m) {
    begin = i;
    wallMs = Number(m[1]);
  }
});
if (begin === -1) {
  process.stderr.write(`kmsg-extract: no begin mark for ${scenario}\n`);
  process.exit(1);
}
const end = records.findIndex((r, i) => i > begin && r.text === `fwlab-mark: end ${scenario}`);
if (end === -1) {
  process.stderr.write(`kmsg-extract: no end mark for ${scenario}\n`);
  process.exit(1);
}
// The begin mark was written right after reading the wall clock: it anchors uptime to wall time.
const anchorUsec = records[begin].usec;
const out = [];
for (const r of records.slice(begin + 1, end)) {
  if (!r.text.startsWith(LOG_PREFIX)) continue;
  const src = /\bSRC=(\S+)/.exec(r.text)?.[1] ?? '';
  if (onlySrc && !onlySrc.has(src)) continue;
  if (excludeSrc.has(src)) continue;
  const ms = wallMs + Number((r.usec - anchorUsec) / 1000n);
  out.push(`${syslogStamp(ms)} ${HOST} kernel: ${uptimeStamp(r.usec)} ${r.text}`);
}
process.stdout.write(out.length ? `${out.join('\n')}\n` : '');
