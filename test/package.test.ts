// The package as a user gets it: `npm pack` holds the built code, data, schemas and the sample, no test
// helpers and no development-only dependency; unpacked into an empty folder beside only its runtime
// dependencies, the command analyzes the sample and the library answers an import.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const run = promisify(execFile);
const BUILT =
  existsSync(join(ROOT, 'dist', 'index.js')) && existsSync(join(ROOT, 'dist', 'bundle', 'main.js'));
let files: string[] = [];
let app: string;

beforeAll(async () => {
  if (!BUILT) return;
  const out = mkdtempSync(join(tmpdir(), 'fwlens-pack-'));
  // The build already ran (npm install runs it): pack what is there.
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', out], {
    cwd: ROOT,
  });
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  files = packed!.files.map((f) => f.path);
  app = join(out, 'app');
  const pkg = join(app, 'node_modules', 'fwlens');
  mkdirSync(pkg, { recursive: true });
  await run('tar', ['-xzf', join(out, packed!.filename), '-C', pkg, '--strip-components=1']);
  // An install without the network: the runtime dependency tree of the lock file, and nothing else.
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; optional?: boolean }>;
  };
  for (const [path, meta] of Object.entries(lock.packages)) {
    if (path === '' || meta.dev || path.split('node_modules/').length > 2) continue;
    // Optional packages for other platforms (DuckDB's native binary for macOS, Windows, musl ...) are in
    // the lock file but were never installed here: npm would skip them the same way.
    if (meta.optional && !existsSync(join(ROOT, path))) continue;
    const target = join(app, path);
    mkdirSync(join(target, '..'), { recursive: true });
    symlinkSync(join(ROOT, path), target);
  }
}, 120_000);

describe.skipIf(!BUILT)('the packed package', () => {
  /** The packed CLI's own JSON report of the sample: what the store and the library must agree with. */
  let sampleReport: Promise<{
    totals: { events: number };
    topPorts: { transport: string; port: number; events: number }[];
  }>;
  const sample = () =>
    (sampleReport ??= run(
      process.execPath,
      [
        'node_modules/fwlens/bin/fwlens.js',
        'analyze',
        '--json',
        '--workers',
        '1',
        'node_modules/fwlens/examples/sample.log',
      ],
      { cwd: app, env: { ...process.env, LANG: 'C' } },
    ).then(({ stdout }) => JSON.parse(stdout)));

  it('holds the built code, types, data, schemas and the sample, and no test code', () => {
    for (const f of [
      'bin/fwlens.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/bundle/main.js',
      'dist/knowledge.json',
      'schema/report.schema.json',
      'schema/event.schema.json',
      'examples/sample.log',
      'package.json',
    ])
      expect(files, f).toContain(f);
    expect(files.filter((f) => /\.test\.|test-support|\/test\//.test(f))).toEqual([]);
  });

  it('declares at run time only what runs at run time', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.dependencies)).not.toContain('echarts');
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', import: './dist/index.js' });
  });

  it('analyzes the bundled sample from an empty folder, HTML report included', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        'node_modules/fwlens/bin/fwlens.js',
        'analyze',
        '--html',
        'report.html',
        'node_modules/fwlens/examples/sample.log',
      ],
      { cwd: app, env: { ...process.env, LANG: 'C' } },
    );
    expect(stdout).toMatch(/^fwlens report\n/);
    expect(stdout).toContain('Trojan / backdoor probe');
    // The HTML page inlines the chart bundle shipped in dist/: no echarts package needed at run time.
    const html = readFileSync(join(app, 'report.html'), 'utf8');
    expect(html).toContain('echarts');
    expect(existsSync(join(app, 'node_modules', 'echarts'))).toBe(false);
    const { stdout: version } = await run(
      process.execPath,
      ['node_modules/fwlens/bin/fwlens.js', '--version'],
      {
        cwd: app,
      },
    );
    expect(version.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  }, 60_000);

  it('ingests the sample into a store and queries it from an empty folder (DuckDB native binary)', async () => {
    const store = join(app, 'store.duckdb');
    const cli = (args: string[]) =>
      run(process.execPath, ['node_modules/fwlens/bin/fwlens.js', ...args], {
        cwd: app,
        env: { ...process.env, LANG: 'C' },
      });
    const { stderr } = await cli(['ingest', '--store', store, 'node_modules/fwlens/examples/sample.log']);
    const { totals, topPorts } = await sample();
    expect(stderr).toContain(` ${totals.events.toLocaleString('en-US')} events`);
    const { stdout } = await cli([
      'query',
      '--store',
      store,
      '--json',
      'top',
      '--by',
      'port',
      '--limit',
      '1',
    ]);
    const top = topPorts[0]!;
    expect(JSON.parse(stdout)).toEqual([{ key: `${top.port}/${top.transport}`, count: top.events }]);
  }, 60_000);

  it('is a library: `import ... from "fwlens"` works with the types beside it', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import { analyze, ECS_VERSION } from 'fwlens'; const r = await analyze(['node_modules/fwlens/examples/sample.log'], { year: 2026 }); console.log(r.tool.name, r.totals.events, r.findings.length > 20, ECS_VERSION);",
      ],
      { cwd: app },
    );
    expect(stdout.trim()).toBe(`fwlens ${(await sample()).totals.events} true 9.4.0`);
    expect(readFileSync(join(app, 'node_modules', 'fwlens', 'dist', 'index.d.ts'), 'utf8')).toMatch(
      /export declare function analyze\(/,
    );
  }, 60_000);
});

if (!BUILT) console.warn('SKIPPED: the package test needs the build (npm install or npm run build)');
