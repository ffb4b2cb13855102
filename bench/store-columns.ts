// Bytes per event of each column of a DuckDB store's `events` table, and of every table, from DuckDB's own
// storage map (pragma_storage_info: where each segment starts in its block; a segment runs to the next one or
// to the block's end, so the figures are upper bounds by a block's unused tail at most).
// Usage: npm run bench:store-columns -- [PATH | 1m | 10m]   (default: the 1 M store without detection that
// `npm run bench:store` leaves in bench/out/)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { OUT_DIR } from './logs.js';
import { parseSize, sizeLabel } from './options.js';

const BLOCK_BYTES = 262_144;
const TABLES = [
  'events',
  'source_days',
  'destination_days',
  'source_days_recent',
  'destination_days_recent',
  'sources',
  'strings',
  'inputs',
  'unparsed',
];

interface Segment {
  column_name: string;
  segment_type: string;
  compression: string;
  block_id: bigint;
  block_offset: bigint;
}

async function main(): Promise<void> {
  const arg = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? '1m';
  const path = existsSync(arg) ? arg : join(OUT_DIR, `store-${sizeLabel(parseSize(arg))}-nodetect.duckdb`);
  if (!existsSync(path)) {
    console.log(`skipped: no ${path}; run npm run bench:store -- ${arg} --no-detect-only first`);
    return;
  }
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  const rows = async <T>(sql: string) => (await conn.runAndReadAll(sql)).getRowObjects() as T[];
  const events = Number((await rows<{ n: bigint }>('SELECT count(*) AS n FROM events'))[0]!.n);
  console.log(`${path}: ${events.toLocaleString('en')} events\n`);
  const perEvent = (bytes: number) => (bytes / events).toFixed(2);
  const tableBytes = new Map<string, number>();
  let eventColumns = new Map<string, { bytes: number; compression: Set<string> }>();
  for (const table of TABLES) {
    const segments = await rows<Segment>(
      `SELECT column_name, segment_type, compression, block_id, block_offset
        FROM pragma_storage_info('${table}') WHERE persistent AND block_id >= 0`,
    );
    const byBlock = new Map<bigint, Segment[]>();
    for (const s of segments) byBlock.set(s.block_id, [...(byBlock.get(s.block_id) ?? []), s]);
    const columns = new Map<string, { bytes: number; compression: Set<string> }>();
    let total = 0;
    for (const list of byBlock.values()) {
      list.sort((a, b) => Number(a.block_offset - b.block_offset));
      list.forEach((s, i) => {
        const end = i + 1 < list.length ? Number(list[i + 1]!.block_offset) : BLOCK_BYTES;
        const bytes = end - Number(s.block_offset);
        const name = s.segment_type === 'VALIDITY' ? `${s.column_name} (NULL mask)` : s.column_name;
        const c = columns.get(name) ?? { bytes: 0, compression: new Set<string>() };
        c.bytes += bytes;
        c.compression.add(s.compression);
        columns.set(name, c);
        total += bytes;
      });
    }
    tableBytes.set(table, total);
    if (table === 'events') eventColumns = columns;
  }
  console.log('| events column | B/event | compression |\n|---|--:|---|');
  for (const [name, c] of [...eventColumns].sort((a, b) => b[1].bytes - a[1].bytes))
    if (c.bytes / events >= 0.05)
      console.log(`| ${name} | ${perEvent(c.bytes)} | ${[...c.compression].join(', ')} |`);
  console.log('\n| table | B/event |\n|---|--:|');
  let all = 0;
  for (const [table, bytes] of tableBytes) {
    all += bytes;
    console.log(`| ${table} | ${perEvent(bytes)} |`);
  }
  console.log(`| all tables | ${perEvent(all)} |`);
  conn.closeSync();
  instance.closeSync();
}

await main();
