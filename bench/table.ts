// The benchmark's printed table and summary: one row per measured command, ratios below it.
import type { PlantedCheck } from './planted.js';

/** One measured command on one generated log. */
export interface ResultRow {
  /** Short name: "wc -l", "fwlens", "fwlens w2", "psad", "fwlogwatch", "fwlogwatch -D". */
  tool: string;
  command: string;
  lines: number;
  bytes: number;
  seconds: number;
  peakRssKb: number;
  /** 1-minute load average when the command started (the machine is shared). */
  loadAtStart: number;
  /** "ok", "timeout", or "exit N". */
  status: string;
  planted?: PlantedCheck;
  /** SHA-256 of fwlens's JSON report (to compare worker counts). */
  reportHash?: string;
  /**
   * Set on the rows of the other inputs (the netfilter log gzipped, converted to FortiGate or Suricata EVE)
   * and of `explain`: they are reported on their own, not mixed into the netfilter ratios.
   */
  variant?: 'gz' | 'fortigate' | 'suricata-eve' | 'explain';
}

/** Lines per second of a row. */
export function linesPerSecond(r: ResultRow): number {
  return r.lines / r.seconds;
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtSize = (lines: number) =>
  lines >= 1e6 ? `${lines / 1e6}M` : lines >= 1e3 ? `${lines / 1e3}k` : String(lines);

/** The main table: tool, lines, seconds, lines/s, MB/s, peak RSS, memory per line, time vs wc -l. */
export function formatTable(rows: ResultRow[]): string {
  const head = [
    'tool',
    'lines',
    'MB',
    'seconds',
    'lines/s',
    'MB/s',
    'peak RSS MB',
    'KB/line',
    'x wc -l',
    'load',
  ];
  const body = rows.map((r) => {
    const wc = rows.find((w) => w.tool === 'wc -l' && w.lines === r.lines);
    return [
      `${r.tool}${r.variant ? ` [${r.variant}]` : ''}${r.status === 'ok' ? '' : ` (${r.status})`}`,
      fmtSize(r.lines),
      (r.bytes / 1e6).toFixed(0),
      r.seconds.toFixed(2),
      // A stopped run did not get through the file: its speed is an upper bound.
      `${r.status === 'ok' ? '' : '< '}${fmtInt(linesPerSecond(r))}`,
      `${r.status === 'ok' ? '' : '< '}${(r.bytes / 1e6 / r.seconds).toFixed(1)}`,
      (r.peakRssKb / 1024).toFixed(0),
      ((r.peakRssKb / r.lines) * 1).toFixed(3),
      wc ? (r.seconds / wc.seconds).toFixed(0) : '',
      r.loadAtStart.toFixed(1),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** Ratios the issue asks for: fwlens against each anchor, memory at 1M vs 10M, planted scans, workers. */
export function formatSummary(rows: ResultRow[], anchorLines: number): string {
  const out: string[] = [];
  const fwlens = rows.filter((r) => r.tool.startsWith('fwlens') && r.status === 'ok' && !r.variant);
  const sameFile = fwlens.filter((r) => r.lines === anchorLines);
  const largest = fwlens.filter((r) => r.lines === Math.max(...fwlens.map((f) => f.lines)));
  const best = (list: ResultRow[]) =>
    list.reduce<ResultRow | undefined>((a, r) => (!a || r.seconds < a.seconds ? r : a), undefined);
  const fastSame = best(sameFile);
  const fastLargest = best(largest);
  for (const anchor of rows.filter((r) => ['psad', 'fwlogwatch', 'fwlogwatch -D'].includes(r.tool))) {
    const parts: string[] = [];
    if (fastSame)
      parts.push(
        `${(linesPerSecond(fastSame) / linesPerSecond(anchor)).toFixed(1)}x its lines/s on the same ${fmtSize(anchorLines)} file (${fastSame.tool})`,
      );
    if (fastLargest && fastLargest.lines !== anchorLines)
      parts.push(
        `${(linesPerSecond(fastLargest) / linesPerSecond(anchor)).toFixed(1)}x at ${fmtSize(fastLargest.lines)} lines`,
      );
    if (fastSame)
      parts.push(
        `peak RSS per line ${(fastSame.peakRssKb / fastSame.lines).toFixed(3)} KB vs ${(anchor.peakRssKb / anchor.lines).toFixed(3)} KB`,
      );
    const note = anchor.status === 'ok' ? '' : ` [${anchor.status}: a lower bound]`;
    out.push(`fwlens vs ${anchor.tool}${note}: ${parts.join('; ')}`);
  }
  const fwlensAny = rows.filter((r) => r.tool.startsWith('fwlens') && !r.variant);
  for (const tool of [...new Set(fwlensAny.map((r) => r.tool))]) {
    const mine = fwlensAny.filter((r) => r.tool === tool);
    const at1m = mine.find((r) => r.lines === 1e6);
    const at10m = mine.find((r) => r.lines === 1e7);
    if (at1m && at10m)
      out.push(
        `${tool} peak RSS: ${(at1m.peakRssKb / 1024).toFixed(0)} MB at 1M lines, ${at10m.status === 'ok' ? '' : `at least (${at10m.status}) `}${(at10m.peakRssKb / 1024).toFixed(0)} MB at 10M (${(
          ((at10m.peakRssKb - at1m.peakRssKb) / at1m.peakRssKb) * 100
        ).toFixed(0)}% more; target < 300 MB and <= 10%)`,
      );
  }
  for (const r of rows.filter((x) => x.planted)) {
    const p = r.planted!;
    const missed = p.missed.map((m) => `${m.kind} ${m.source} (lines ${m.firstLine}-${m.lastLine})`);
    out.push(
      `planted scans, ${r.tool}${r.variant ? ` [${r.variant}]` : ''} ${fmtSize(r.lines)}: found ${p.found}/${p.found + p.missed.length}, missed ${p.missed.length}${
        missed.length ? `: ${missed.slice(0, 5).join(', ')}${missed.length > 5 ? ', ...' : ''}` : ''
      } (${fmtInt(p.findings)} findings in all)`,
    );
  }
  out.push(...formatOtherInputs(rows));
  const hashed = fwlens.filter((r) => r.reportHash);
  for (const lines of [...new Set(hashed.map((r) => r.lines))]) {
    const runs = hashed.filter((r) => r.lines === lines);
    if (runs.length < 2) continue;
    const same = runs.every((r) => r.reportHash === runs[0]!.reportHash);
    out.push(
      `${runs.map((r) => r.tool).join(' vs ')} at ${fmtSize(lines)}: JSON reports ${same ? 'identical' : 'DIFFER'}`,
    );
  }
  return out.join('\n');
}

/** Lines/s the formats read by their parsers through the adapter must reach (issue 13). */
export const ADAPTER_TARGET_LINES_PER_SECOND = 200_000;
/** Most a .gz input may take as a multiple of the same log uncompressed (issue 13). */
export const GZ_TARGET_RATIO = 2;
/** Longest `explain` of one line may take, from start to exit (issue 13). */
export const EXPLAIN_TARGET_MS = 150;

/** The other inputs against their targets: .gz vs plain, the adapter formats' lines/s, explain's cold start. */
function formatOtherInputs(rows: ResultRow[]): string[] {
  const out: string[] = [];
  // The same tool (`fwlens w2`) on the same log uncompressed.
  const plain = (r: ResultRow) =>
    rows.find((p) => !p.variant && p.status === 'ok' && p.lines === r.lines && p.tool === r.tool);
  for (const r of rows.filter((x) => x.variant === 'gz')) {
    const base = plain(r);
    out.push(
      `.gz input, ${r.tool} ${fmtSize(r.lines)}: ${r.seconds.toFixed(2)} s${base ? ` vs ${base.seconds.toFixed(2)} s plain (${(r.seconds / base.seconds).toFixed(2)}x; target <= ${GZ_TARGET_RATIO}x)` : ''}`,
    );
  }
  for (const r of rows.filter((x) => x.variant === 'fortigate' || x.variant === 'suricata-eve'))
    out.push(
      `${r.variant} through the adapter, ${r.tool} ${fmtSize(r.lines)}: ${fmtInt(linesPerSecond(r))} lines/s (target >= ${fmtInt(ADAPTER_TARGET_LINES_PER_SECOND)})${r.status === 'ok' ? '' : ` [${r.status}]`}`,
    );
  for (const r of rows.filter((x) => x.variant === 'explain'))
    out.push(
      `explain of one line, start to exit: ${(r.seconds * 1000).toFixed(0)} ms median (target < ${EXPLAIN_TARGET_MS} ms)`,
    );
  return out;
}
