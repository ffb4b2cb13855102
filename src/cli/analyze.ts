// `fwlens analyze`: stream the inputs through parsing, scoring and detection, then print the report.
import { SummaryBuilder } from '../analyze/summary.js';
import { createDetectionEngine, type DetectionConfig, loadDetectionConfig } from '../detect/index.js';
import { explainEvent, severityOf } from '../explain/index.js';
import type { Lang } from '../i18n.js';
import { InputError, type InputSource } from '../ingest/lines.js';
import { type IngestStats, ingest } from '../ingest/pipeline.js';
import { knowledgeBase } from '../knowledge/index.js';
import { buildReport, type Report } from '../report/model.js';
import { renderText } from '../report/text.js';
import { type CliIo, EXIT } from './main.js';

/** Options of an analyze run (CLI flags after defaults). */
export interface AnalyzeOptions {
  format: string;
  /** Mapping file for `--format mapped`. */
  mapping?: string;
  json?: boolean;
  /** Also write the HTML report to this path. */
  html?: string;
  lang: Lang;
  top: number;
  year?: number;
  tz?: number;
  /** Detection config file (YAML): trusted networks, own addresses, ignored ports, thresholds. */
  config?: string;
}

/** Run `fwlens analyze`; returns the exit code. */
export async function runAnalyze(paths: string[], opts: AnalyzeOptions, io: CliIo): Promise<number> {
  const kb = knowledgeBase();
  let config: DetectionConfig | undefined;
  if (opts.config) {
    try {
      config = loadDetectionConfig(opts.config);
    } catch (e) {
      io.stderr.write(`fwlens: ${(e as Error).message}\n`);
      return EXIT.usage;
    }
  }
  const detection = createDetectionEngine({ kb, config });
  const summary = new SummaryBuilder((ev) => severityOf(ev, kb));
  const inputs: InputSource[] = paths.map((p) =>
    p === '-' && io.stdin ? { path: '-', stream: io.stdin } : { path: p },
  );
  let stats: IngestStats;
  try {
    stats = await ingest(inputs, {
      format: opts.format,
      mapping: opts.mapping,
      year: opts.year,
      utcOffsetMinutes: opts.tz,
      onEvent: (ev, raw) => {
        summary.add(ev, raw);
        detection.push(ev, raw);
      },
    });
  } catch (e) {
    if (e instanceof InputError) {
      io.stderr.write(`fwlens: ${e.message}; run \`fwlens formats\` to see the formats fwlens reads\n`);
      return EXIT.usage;
    }
    throw e;
  }
  const problems = inputProblems(stats);
  for (const p of problems) io.stderr.write(`fwlens: ${p}\n`);
  if (stats.events === 0) {
    if (problems.length === 0) io.stderr.write('fwlens: no firewall events found in the input\n');
    return EXIT.inputError;
  }
  const findings = detection.finish();
  const report: Report = buildReport(
    stats,
    summary.result(opts.top),
    (ev) => explainEvent(ev, kb),
    kb,
    findings,
  );
  if (opts.html && !(await writeHtml(report, opts.html, opts.lang, io))) return EXIT.inputError;
  if (opts.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout.write(renderText(report, opts.lang));
  return problems.length > 0 ? EXIT.inputError : EXIT.ok;
}

/** Write the HTML report; on failure say why in one sentence and return false. */
async function writeHtml(report: Report, path: string, lang: Lang, io: CliIo): Promise<boolean> {
  const [{ renderHtml }, { writeFile }] = await Promise.all([
    import('../report/html/index.js'),
    import('node:fs/promises'),
  ]);
  try {
    await writeFile(path, renderHtml(report, { lang }));
    return true;
  } catch (e) {
    io.stderr.write(`fwlens: cannot write the HTML report to ${path}: ${(e as Error).message}\n`);
    return false;
  }
}

/** One sentence per input that could not be read or held nothing fwlens understands. */
export function inputProblems(stats: IngestStats): string[] {
  const out: string[] = [];
  for (const input of stats.inputs) {
    const name = input.path === '-' ? '(stdin)' : input.path;
    if (input.error) out.push(input.error);
    else if (input.lines === 0) out.push(`${name} is empty`);
    else if (input.events === 0 && input.malformed === 0 && input.unrecognized > 0)
      out.push(
        `${name} does not look like a firewall log fwlens knows (none of its ${input.lines} lines matched a format; see \`fwlens formats\`)`,
      );
    else if (input.events === 0 && input.malformed > 0)
      out.push(
        `${name}: all ${input.malformed} firewall lines were damaged; see the unparsed lines listed in the report`,
      );
  }
  return out;
}
