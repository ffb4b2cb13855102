// Loads the files the HTML report inlines: the page script, its style sheet and the ECharts bundle.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../../util/package-root.js';

/** The inlined texts of a report page. */
export interface PageAssets {
  script: string;
  style: string;
  echarts: string;
}

let cached: PageAssets | undefined;

/**
 * Find an asset: the copy the build puts in dist/report/html, else the source tree, where the page
 * script, style and vendored bundle live (tsc copies only .ts output; the bundle lives elsewhere).
 */
function assetPath(name: string): string {
  const built = join(packageRoot(), 'dist', 'report', 'html', name);
  if (existsSync(built)) return built;
  return join(packageRoot(), 'src', 'report', 'html', name);
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
