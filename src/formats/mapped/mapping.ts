// The user's mapping file for the `mapped` format: which CSV column or JSON key holds each field,
// how times are written, and which words mean allow / deny. Validated with zod, with messages for people.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const ACTIONS = ['allow', 'deny', 'reject', 'log'] as const;
const DIRECTIONS = ['inbound', 'outbound', 'forward', 'unknown'] as const;

/** Where a field is: a CSV column name (with a header), a 1-based column number, or a JSON key / dotted path. */
const FieldRef = z.union([z.string().min(1), z.number().int().min(1)]);

/** Schema of a mapping file (documented in docs/mapping.md). */
export const MappingSchema = z
  .object({
    /** `csv` (delimited text) or `json` (one object per line). */
    input: z.enum(['csv', 'json']),
    /** CSV only: the delimiter, default `,`. `\t` for tab. */
    delimiter: z.string().min(1).max(2).default(','),
    /** CSV only: whether the first line names the columns (default true). */
    header: z.boolean().default(true),
    /** Product name shown as the observer (`observer.product`). */
    product: z.string().min(1).optional(),
    fields: z
      .object({
        sourceIp: FieldRef.optional(),
        destinationIp: FieldRef.optional(),
        sourcePort: FieldRef.optional(),
        destinationPort: FieldRef.optional(),
        protocol: FieldRef.optional(),
        action: FieldRef.optional(),
        direction: FieldRef.optional(),
        timestamp: FieldRef.optional(),
        ruleName: FieldRef.optional(),
        inInterface: FieldRef.optional(),
        outInterface: FieldRef.optional(),
        observerHost: FieldRef.optional(),
      })
      .strict()
      .refine((f) => f.sourceIp !== undefined || f.destinationIp !== undefined, {
        message: 'map at least one of sourceIp and destinationIp',
      }),
    time: z
      .object({
        /** `iso`, `epoch` (seconds), `epoch-ms`, or a pattern of YYYY MM MMM DD HH mm ss SSS and literal text. */
        format: z.string().min(1).default('iso'),
        /** Offset east of UTC for times without a zone, e.g. `+08:00`; default: the run's --tz. */
        zone: z
          .string()
          .regex(/^[+-]\d{2}:?\d{2}$/, 'zone must look like +08:00')
          .optional(),
      })
      .strict()
      .default({ format: 'iso' }),
    /** Value -> action (case-insensitive), e.g. `BLOCK: deny`. Values outside the map are errors. */
    actions: z.record(z.string(), z.enum(ACTIONS)).optional(),
    /** Action when the record has no action column or it is empty. */
    defaultAction: z.enum(ACTIONS).default('log'),
    /** Value -> direction (case-insensitive), e.g. `in: inbound`. */
    directions: z.record(z.string(), z.enum(DIRECTIONS)).optional(),
  })
  .strict();

/** A validated mapping. */
export type Mapping = z.infer<typeof MappingSchema>;

/** A mapping file that is missing or invalid; the message is meant for the user. */
export class MappingError extends Error {}

/** Validate a parsed mapping document; throws MappingError naming every problem. */
export function validateMapping(doc: unknown, source = 'mapping'): Mapping {
  const result = MappingSchema.safeParse(doc);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new MappingError(`${source} is not a valid mapping: ${problems.join('; ')}`);
  }
  return result.data;
}

/** Read and validate a YAML (or JSON) mapping file. */
export async function loadMapping(path: string): Promise<Mapping> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new MappingError(`cannot read mapping file ${path}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new MappingError(`mapping file ${path} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  return validateMapping(doc, `mapping file ${path}`);
}
