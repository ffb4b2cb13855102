// Lab helper: copy every /dev/kmsg record to stdout (one record per line) until killed.
// Reading continuously keeps fast scans from overrunning the kernel ring buffer.
import { openSync, readSync, writeSync } from 'node:fs';

const RECORD_MAX = 16384;
const fd = openSync('/dev/kmsg', 'r');
const buf = Buffer.alloc(RECORD_MAX);
// No SIGTERM handler on purpose: the blocking read would delay it forever; the default action ends us.
for (;;) {
  let n = 0;
  try {
    n = readSync(fd, buf, 0, RECORD_MAX, null);
  } catch (err) {
    // EPIPE: records were overwritten before we read them; the next read resumes at the oldest kept one.
    if (err.code === 'EPIPE') {
      process.stderr.write('kmsg-capture: ring buffer overrun, some records lost\n');
      continue;
    }
    if (err.code === 'EAGAIN') continue;
    throw err;
  }
  if (n === 0) continue;
  // A record is "prio,seq,usec,flags;text\n" followed by optional " KEY=value\n" lines: keep the first line.
  const record = buf.toString('latin1', 0, n);
  const firstLine = record.slice(0, record.indexOf('\n') === -1 ? n : record.indexOf('\n'));
  writeSync(1, `${firstLine}\n`);
}
