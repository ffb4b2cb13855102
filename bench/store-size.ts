// Retention by size on a real DuckDB store: what `ingest --max-size` drops, what the data and the file take
// afterwards, and whether the file grows again when more events come in (freed blocks reused).
// Usage: npm run bench:store-size -- [1m|10m]   (needs the store `npm run bench:store -- 10m --no-detect-only`
// leaves in bench/out/; it works on a copy)
import { copyFileSync, createWriteStream, existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { knowledgeBase } from '../src/knowledge/index.js';
import { openDuckDbStore } from '../src/store/duckdb.js';
import { ingestIntoStore } from '../src/store/ingest.js';
import { generate } from './generate.js';
import { OUT_DIR } from './logs.js';
import { parseSize, sizeLabel } from './options.js';
import { timed } from './store-presets.js';

const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;

async function main(): Promise<void> {
  const lines = parseSize(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? '10m');
  const source = join(OUT_DIR, `store-${sizeLabel(lines)}-nodetect.duckdb`);
  if (!existsSync(source)) {
    console.log(
      `skipped: no ${source}; run npm run bench:store -- ${sizeLabel(lines)} --no-detect-only first`,
    );
    return;
  }
  const path = join(OUT_DIR, `store-size-${sizeLabel(lines)}.duckdb`);
  rmSync(`${path}.wal`, { force: true });
  copyFileSync(source, path);
  // More events of other sources (another seed), as a later run of ingest would bring.
  const extraLines = Math.round(lines / 10);
  const extra = join(OUT_DIR, `netfilter-size-extra-${sizeLabel(extraLines)}.log`);
  if (!existsSync(extra)) {
    const out = createWriteStream(extra);
    await generate(extraLines, out, 77);
    out.end();
    await new Promise<void>((resolve) => out.on('finish', () => resolve()));
  }
  const kb = knowledgeBase();
  console.log(`retention by size on a copy of ${source}, ${new Date().toISOString()}`);
  const store = await openDuckDbStore(path);
  try {
    const file0 = statSync(path).size;
    const used0 = await store.usedBytes();
    const events0 = await store.eventCount();
    console.log(`before: ${events0} events, data ${mb(used0)}, file ${mb(file0)}`);
    const max = Math.round(used0 / 2);
    const [r, ms] = await timed(() => store.pruneToSize(max));
    console.log(
      `pruneToSize(${mb(max)}): ${r.events} events and ${r.findings} findings before ${r.before === undefined ? '-' : new Date(r.before).toISOString()} dropped in ${(ms / 1000).toFixed(1)} s; data ${mb(r.bytesBefore)} -> ${mb(r.bytesAfter)}; file ${mb(file0)} -> ${mb(statSync(path).size)}`,
    );
    const [o] = await ingestIntoStore(store, [extra], { kb, detect: false });
    await store.close();
    const again = await openDuckDbStore(path);
    try {
      console.log(
        `then ${o!.events} more events: data ${mb(await again.usedBytes())}, file ${mb(statSync(path).size)} (a fresh store of the same ${o!.events} events would take ~${mb((o!.events * used0) / events0)})`,
      );
    } finally {
      await again.close();
    }
  } catch (e) {
    await store.close().catch(() => undefined);
    throw e;
  }
}

await main();
