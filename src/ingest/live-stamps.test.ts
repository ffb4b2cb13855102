// A pipe read for months (`journalctl -f | fwlens ingest -`): its year-less stamps are read against the clock as
// the lines come, through the readable path and the netfilter byte fast path alike, as `watch` reads them.
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Dictionary, EventBatch, eventAt } from '../core/batch.js';
import { NetfilterBytes } from '../core/netfilter-bytes.js';
import type { FwEvent } from '../event.js';
import { type FastPath, ingest } from './pipeline.js';

/** The netfilter byte fast path handing each line it reads on as its event (as the store's reader does). */
function netfilterEvents(onEvent: (ev: FwEvent) => void): FastPath {
  return {
    format: 'netfilter',
    open(ctx, file) {
      const batch = new EventBatch(new Dictionary());
      const bytes = new NetfilterBytes(batch, ctx);
      return {
        read(buf, start, end, lineNo) {
          if (batch.full) batch.clear();
          if (!bytes.readLine(buf, start, end, 0, lineNo)) return false;
          onEvent(eventAt(batch, batch.length - 1, file));
          return true;
        },
      };
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

const ufw = (stamp: string, id: number) =>
  `${stamp} edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 LEN=40 TTL=245 ID=${id} PROTO=TCP SPT=40000 DPT=22 WINDOW=1024 SYN URGP=0\n`;

/** Feed a December line on 31 December, then a January line on 2 January, into one read of a stream. */
async function acrossNewYear(fast: boolean, year?: number): Promise<string[]> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.UTC(2026, 11, 31, 23, 59, 59));
  const stream = new PassThrough();
  const times: string[] = [];
  let got: () => void = () => undefined;
  const onEvent = (ev: FwEvent) => {
    times.push(new Date(ev.timestamp!).toISOString());
    got();
  };
  const done = ingest([{ path: '-', stream }], {
    onEvent,
    ...(year === undefined ? {} : { year }),
    ...(fast ? { fastPath: netfilterEvents(onEvent) } : {}),
  });
  const first = new Promise<void>((r) => (got = r));
  stream.write(ufw('Dec 31 23:59:58', 1));
  await first;
  vi.setSystemTime(Date.UTC(2027, 0, 2, 0, 0, 10));
  stream.end(ufw('Jan  2 00:00:05', 2));
  await done;
  return times;
}

describe('year-less stamps of a live pipe', () => {
  it.each([
    ['the readable path', false],
    ['the byte fast path', true],
  ])('are read against the clock when they come (%s)', async (_how, fast) => {
    expect(await acrossNewYear(fast)).toEqual(['2026-12-31T23:59:58.000Z', '2027-01-02T00:00:05.000Z']);
  });
  it('keep the year given with --year', async () => {
    expect(await acrossNewYear(false, 2026)).toEqual([
      '2026-12-31T23:59:58.000Z',
      '2026-01-02T00:00:05.000Z',
    ]);
  });
});
