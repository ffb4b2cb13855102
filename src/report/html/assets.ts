// Loads the files the HTML report inlines: the page script, its style sheet and the ECharts bundle.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The inlined texts of a report page. */
export interface PageAssets {
  script: string;
  style: string;
  echarts: string;
}

let cached: PageAssets | undefined;

/**
 * Find an asset beside this module; from a compiled dist/ tree fall back to the source tree, where
 * the page script, style and vendored bundle live (tsc copies only .ts output).
 */
function assetPath(name: string): string {
  const here = fileURLToPath(new URL(`./${name}`, import.meta.url));
  if (existsSync(here)) return here;
  return fileURLToPath(new URL(`../../../src/report/html/${name}`, import.meta.url));
}

/** The full ECharts build of the installed package, used when the smaller vendored bundle is missing. */
function fullEcharts(): string {
  return readFileSync(createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js'), 'utf8');
}

/** Read (once) the page script, style sheet and ECharts bundle. */
export function pageAssets(): PageAssets {
  if (cached) return cached;
  const bundle = assetPath('vendor/echarts.min.js');
  cached = {
    script: readFileSync(assetPath('page.js'), 'utf8'),
    style: readFileSync(assetPath('page.css'), 'utf8'),
    echarts: existsSync(bundle) ? readFileSync(bundle, 'utf8') : fullEcharts(),
  };
  return cached;
}
