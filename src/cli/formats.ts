// `fwlens formats`: every registered format with its description, example line and the fields it yields.
import { ECS_FIELDS } from '../event.js';
import { FORMATS } from '../formats/index.js';
import type { CliIo } from './main.js';

/** Print the format registry; returns the exit code. */
export function runFormats(opts: { json?: boolean }, io: CliIo): number {
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
      `${r.id}  ${r.label}\n  ${r.description}\n  example: ${r.example}\n  fields: ${r.fields.join(', ')}\n\n`,
    );
  }
  return 0;
}
