// A hostile log for the store's memory: netfilter lines that each carry a log prefix of their own, long and all
// different (any line may be written by whoever sends the packets a logging rule sees). Not part of npm test.
// Usage: node --import tsx bench/long-texts.ts OUT [lines=400000] [prefixChars=900]
// Then: /usr/bin/time -v node bin/fwlens.js ingest OUT --store NEW.duckdb [--no-detect]   (see docs/store.md)
// Only documentation addresses (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24).

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/** Line `i`: a netfilter line whose prefix is `PREFIX-<i>-` padded to `chars` characters. */
export function longPrefixLine(i: number, chars: number): string {
  const sec = i % 86_400;
  const hh = String(Math.floor(sec / 3600)).padStart(2, '0');
  const mm = String(Math.floor(sec / 60) % 60).padStart(2, '0');
  const ss = String(sec % 60).padStart(2, '0');
  const head = `PREFIX-${i}-`;
  const prefix = head + 'x'.repeat(Math.max(0, chars - head.length));
  return `Dec  7 ${hh}:${mm}:${ss} host kernel: [${prefix}] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=203.0.113.${1 + (i % 254)} DST=192.0.2.${1 + ((i >> 8) % 254)} LEN=60 TOS=0x00 PREC=0x00 TTL=50 ID=${i % 65536} DF PROTO=TCP SPT=${1024 + (i % 60000)} DPT=${[22, 23, 80, 443, 3389][i % 5]} WINDOW=64240 RES=0x00 SYN URGP=0`;
}

async function main(): Promise<void> {
  const [out, linesArg, charsArg] = process.argv.slice(2);
  if (!out) throw new Error('usage: bench/long-texts.ts OUT [lines] [prefixChars]');
  const lines = Number(linesArg ?? 400_000);
  const chars = Number(charsArg ?? 900);
  const w = createWriteStream(out);
  const chunk: string[] = [];
  for (let i = 0; i < lines; i++) {
    chunk.push(longPrefixLine(i, chars));
    if (chunk.length === 1000 || i === lines - 1) {
      if (!w.write(`${chunk.join('\n')}\n`)) await once(w, 'drain');
      chunk.length = 0;
    }
  }
  w.end();
  await once(w, 'finish');
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
