// Build step: copy the non-TypeScript files the compiled code reads at run time into dist/.
import { cpSync, mkdirSync } from 'node:fs';

const assets = [
  ['src/report/html/page.js', 'dist/report/html/page.js'],
  ['src/report/html/page.css', 'dist/report/html/page.css'],
  ['src/report/html/vendor', 'dist/report/html/vendor'],
  ['src/serve/page', 'dist/serve/page'],
];
for (const [from, to] of assets) {
  mkdirSync(to.slice(0, to.lastIndexOf('/')), { recursive: true });
  cpSync(from, to, { recursive: true });
}
