// Maintainer script: bundles the smaller ECharts build the HTML report inlines (run after updating echarts).
// Usage: node --import tsx src/report/html/build-echarts.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Where the bundle is written (committed, so rendering needs no bundler). */
export const ECHARTS_BUNDLE = fileURLToPath(new URL('./vendor/echarts.min.js', import.meta.url));

/** The chart types and components the report uses; everything else is left out of the bundle. */
const ENTRY = `
import * as echarts from 'echarts/core';
import { BarChart, PieChart, HeatmapChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, VisualMapContinuousComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
echarts.use([BarChart, PieChart, HeatmapChart, GridComponent, TooltipComponent, LegendComponent,
  VisualMapContinuousComponent, SVGRenderer]);
globalThis.echarts = echarts;
`;

/** Installed echarts version (the bundle's banner records it; a test compares the two). */
export function installedEchartsVersion(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('echarts/package.json');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

async function main(): Promise<void> {
  // esbuild arrives with tsx (a dev dependency); this script is for maintainers only.
  const esbuild = await import('esbuild');
  const version = installedEchartsVersion();
  const require = createRequire(import.meta.url);
  const notice = readFileSync(require.resolve('echarts/NOTICE'), 'utf8').trim().replace(/\*\//g, '');
  const out = await esbuild.build({
    stdin: { contents: ENTRY, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'iife',
    write: false,
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"', __DEV__: 'false' },
    banner: {
      js: `/*! ECharts ${version} (Apache License 2.0, https://echarts.apache.org), custom build for fwlens: bar, pie, heatmap, grid, tooltip, legend, visualMap, SVG renderer.\n${notice} */`,
    },
  });
  writeFileSync(ECHARTS_BUNDLE, out.outputFiles[0]!.text);
  process.stdout.write(`wrote ${ECHARTS_BUNDLE} (${out.outputFiles[0]!.contents.length} bytes)\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
