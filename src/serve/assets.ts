// The files the console page loads: its HTML, script and style, the report's style sheet and ECharts bundle.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pageAssets } from '../report/html/assets.js';
import { packageRoot } from '../util/package-root.js';

/** One file the console serves, with its content type. */
export interface ConsoleAsset {
  body: string;
  type: string;
}

/** The copy the build puts in dist/serve/page, else the source tree. */
function pagePath(name: string): string {
  const built = join(packageRoot(), 'dist', 'serve', 'page', name);
  if (existsSync(built)) return built;
  return join(packageRoot(), 'src', 'serve', 'page', name);
}

/**
 * The report's colours with a chosen theme: its dark palette (written for `prefers-color-scheme: dark`)
 * also under `data-theme="dark"`, and its light palette under `data-theme="light"` on a dark system, so
 * the console's light/dark switch reuses the report's one set of colours instead of a copy.
 */
export function themeCss(reportCss: string): string {
  const light = rootBlock(reportCss, 0);
  const media = reportCss.indexOf('@media (prefers-color-scheme: dark)');
  const dark = media < 0 ? undefined : rootBlock(reportCss, media);
  if (!light || !dark) throw new Error('the report style sheet has no light and dark :root palettes');
  return [
    `:root[data-theme="dark"] {${dark}  color-scheme: dark;\n}`,
    `@media (prefers-color-scheme: dark) {\n  :root[data-theme="light"] {${light}  color-scheme: light;\n  }\n}`,
  ].join('\n');
}

/** The declarations of the first `:root { ... }` block at or after `from` (found by search, not a regex). */
function rootBlock(css: string, from: number): string | undefined {
  const root = css.indexOf(':root', from);
  const open = root < 0 ? -1 : css.indexOf('{', root);
  const close = open < 0 ? -1 : css.indexOf('}', open);
  return close < 0 ? undefined : css.slice(open + 1, close);
}

let cached: Map<string, ConsoleAsset> | undefined;

/** Every file of the console by its URL path. */
export function consoleAssets(): Map<string, ConsoleAsset> {
  if (cached) return cached;
  const report = pageAssets();
  const js = 'text/javascript; charset=utf-8';
  const css = 'text/css; charset=utf-8';
  cached = new Map([
    ['/', { body: readFileSync(pagePath('index.html'), 'utf8'), type: 'text/html; charset=utf-8' }],
    ['/assets/console.js', { body: readFileSync(pagePath('console.js'), 'utf8'), type: js }],
    ['/assets/console.css', { body: readFileSync(pagePath('console.css'), 'utf8'), type: css }],
    ['/assets/report.css', { body: report.style, type: css }],
    ['/assets/theme.css', { body: themeCss(report.style), type: css }],
    ['/assets/echarts.js', { body: report.echarts, type: js }],
  ]);
  return cached;
}
