// Did fwlens find every planted scan? Each planted source must appear in a finding of the planted kind.
import { readFileSync } from 'node:fs';
import type { PlantedScan } from './generate.js';

/** The fields of a JSON-report finding this check reads. */
interface ReportedFinding {
  detector: string;
  sources: string[];
}

/** Found and missed planted scans of one fwlens run. */
export interface PlantedCheck {
  found: number;
  missed: PlantedScan[];
  /** Findings in the report (all detectors), to show the background is not silent. */
  findings: number;
}

/** The findings of a `fwlens analyze --json` report file. */
export function readFindings(reportPath: string): ReportedFinding[] {
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as { findings?: ReportedFinding[] };
  return report.findings ?? [];
}

/** Match planted scans against reported findings by detector id and source address. */
export function checkPlanted(planted: PlantedScan[], findings: ReportedFinding[]): PlantedCheck {
  const seen = new Set<string>();
  for (const f of findings) for (const s of f.sources) seen.add(`${f.detector}|${s}`);
  const missed = planted.filter((p) => !seen.has(`${p.kind}|${p.source}`));
  return { found: planted.length - missed.length, missed, findings: findings.length };
}
