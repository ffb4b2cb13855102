// `fwlens formats`: every registered format with its description, example line and the fields it yields.
import { ECS_FIELDS } from '../event.js';
import { FORMATS } from '../formats/index.js';
import { type Lang, t } from '../i18n.js';
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
    io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  for (const r of rows) {
    io.stdout.write(
      `${r.id}  ${r.label}\n  ${r.description}\n  ${t('cli.formats.example', lang)}: ${r.example}\n  ${t('cli.formats.fields', lang)}: ${r.fields.join(', ')}\n\n`,
    );
  }
  return 0;
}
