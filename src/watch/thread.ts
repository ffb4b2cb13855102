// Start a worker thread from a module beside the caller: its .js build, or its .ts source through tsx's loader (tsx, vitest).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker running the module `name` (without extension) that sits beside the module whose `import.meta.url`
 * is `from`. Built code runs `name.js`; source code (run under tsx or vitest) runs `name.ts` with tsx's loader
 * registered inside the new thread, the way src/run/parallel.ts starts its shard workers.
 */
export function startModuleWorker(from: string, name: string, options: WorkerOptions = {}): Worker {
  if (!from.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, from), options);
  const tsx = pathToFileURL(createRequire(from).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  const entry = new URL(`./${name}.ts`, from).href;
  const boot = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
