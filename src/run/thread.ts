// Starting a worker thread from a script beside the calling module: its .js build, or (when the caller runs
// from its .ts source under tsx or vitest) the .ts source through tsx's loader, registered in the thread.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Start the thread script `name` (no extension) that sits beside the module at `base` (its import.meta.url). */
export function startThread(base: string, name: string, options: WorkerOptions): Worker {
  if (!base.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, base), options);
  // The package's ESM entry (import.meta.resolve is not offered under every test runner).
  const tsx = pathToFileURL(createRequire(base).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  const entry = new URL(`./${name}.ts`, base).href;
  const boot = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
