#!/usr/bin/env node
// fwlens command-line entry: loads the bundled CLI (built by `npm install` / `npm run build`), or the
// compiled modules when the bundle is missing.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/bundle/main.js', import.meta.url);
const modules = new URL('../dist/cli/main.js', import.meta.url);
const main = existsSync(fileURLToPath(bundle)) ? bundle : modules;
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write(
    'fwlens is not built yet: run `npm install` (or `npm run build`) in the fwlens folder first.\n',
  );
  process.exit(1);
}
const { run, guardStdout } = await import(main.href);
// A reader that stops early (`fwlens ... | head`) is not an error; any other failed write (a full disk)
// ends the run with one sentence and exit code 1.
guardStdout(process.argv.slice(2));
process.exitCode = await run(process.argv.slice(2));
