// Generated benchmark logs cached in bench/out/ (with the planted scans beside them), and the disk check.
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statfsSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { GENERATOR_VERSION, generateFile, type PlantedScan } from './generate.js';
import { sizeLabel } from './options.js';

/** Where generated logs, fwlens outputs and anchor outputs go (gitignored). */
export const OUT_DIR = join(import.meta.dirname, 'out');

/** Average bytes per generated line (measured: 100k lines = 25.2 MB), for the disk check. */
const BYTES_PER_LINE = 260;
/** Free space to leave on the disk beyond the log itself (outputs, other engineers' work). */
const DISK_MARGIN_BYTES = 2e9;

/** A generated log ready to measure. */
export interface BenchLog {
  lines: number;
  path: string;
  bytes: number;
  planted: PlantedScan[];
}

interface Sidecar {
  version: number;
  lines: number;
  bytes: number;
  planted: PlantedScan[];
}

/** Path of the cached log with `lines` lines. */
export function logPath(lines: number): string {
  return join(OUT_DIR, `netfilter-v${GENERATOR_VERSION}-${sizeLabel(lines)}.log`);
}

/** The cached log if it is complete and from this generator version. */
function cached(lines: number): BenchLog | undefined {
  const path = logPath(lines);
  const sidecarPath = `${path}.planted.json`;
  if (!existsSync(path) || !existsSync(sidecarPath)) return undefined;
  const sidecar = JSON.parse(readFileSync(sidecarPath, 'utf8')) as Sidecar;
  const bytes = statSync(path).size;
  if (sidecar.version !== GENERATOR_VERSION || sidecar.lines !== lines || sidecar.bytes !== bytes)
    return undefined;
  return { lines, path, bytes, planted: sidecar.planted };
}

/** Free bytes on the file system holding bench/out. */
export function freeBytes(): number {
  const fs = statfsSync(OUT_DIR);
  return fs.bavail * fs.bsize;
}

/**
 * The log of `lines` lines: from the cache, else generated now. Returns a reason string instead when
 * the disk is too short to hold it (plus a margin).
 */
export async function ensureLog(lines: number): Promise<BenchLog | string> {
  mkdirSync(OUT_DIR, { recursive: true });
  const hit = cached(lines);
  if (hit) return hit;
  const need = lines * BYTES_PER_LINE + DISK_MARGIN_BYTES;
  const free = freeBytes();
  if (free < need)
    return `needs ~${((lines * BYTES_PER_LINE) / 1e9).toFixed(1)} GB plus a ${DISK_MARGIN_BYTES / 1e9} GB margin, ${(free / 1e9).toFixed(1)} GB free`;
  const path = logPath(lines);
  const partial = `${path}.partial`;
  const started = Date.now();
  process.stderr.write(`generating ${sizeLabel(lines)} lines -> ${path} ...`);
  const planted = await generateFile(lines, partial);
  renameSync(partial, path);
  const bytes = statSync(path).size;
  const sidecar: Sidecar = { version: GENERATOR_VERSION, lines, bytes, planted };
  writeFileSync(`${path}.planted.json`, `${JSON.stringify(sidecar, null, 1)}\n`);
  process.stderr.write(` ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  return { lines, path, bytes, planted };
}
