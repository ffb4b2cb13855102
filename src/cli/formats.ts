// `fwlens formats`: every registered format with its description, example line and the fields it yields.
import { ECS_FIELDS } from '../event.js';
import { FORMATS } from '../formats/index.js';
import { type Lang, t } from '../i18n.js';
import { displayWidth } from '../report/text.js';
import { jsonText, visibleText } from '../util/visible.js';
import type { CliIo } from './main.js';

/** Print the format registry; returns the exit code. */
export function runFormats(opts: { json?: boolean; lang?: Lang }, io: CliIo): number {
  const lang = opts.lang ?? 'en';
  const rows = FORMATS.map((f) => ({
    id: f.id,
    label: f.label,
    description: f.description,
    example: f.example,
    fields: f.fields.map((k) => (k in ECS_FIELDS ? ECS_FIELDS[k as keyof typeof ECS_FIELDS] : k)),
  }));
  if (opts.json) {
    io.stdout.write(`${jsonText(rows, 2)}\n`);
    return 0;
  }
  for (const r of rows) {
    const lines = [
      `${r.id}  ${r.label}`,
      `  ${r.description}`,
      // A record written over several lines shows them as lines, each under the first (ready to paste).
      ...r.example
        .split('\n')
        .map((l, i) =>
          i === 0
            ? `  ${t('cli.formats.example', lang)}: ${l}`
            : `  ${' '.repeat(displayWidth(t('cli.formats.example', lang)) + 2)}${l}`,
        ),
      `  ${t('cli.formats.fields', lang)}: ${r.fields.join(', ')}`,
    ];
    // An example is a log line: whatever it holds is shown, never sent to the terminal raw.
    io.stdout.write(`${lines.map((l) => visibleText(l)).join('\n')}\n\n`);
  }
  return 0;
}
