// The detection config file (YAML): trusted and own networks, ignored ports/sources, tunable overrides.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { isValidCidr } from './addresses.js';
import { ALL_SPECS } from './detectors/index.js';
import { DETECTOR_IDS, type DetectionConfig, type DetectorId, type Tunables } from './types.js';

const Cidr = z.string().refine(isValidCidr, { message: 'not an IP address or CIDR block' });
/** An allow/deny list entry: an address, a CIDR block or an AS number written `AS64500`. */
const ListEntry = z.string().refine((s) => /^AS\d{1,10}$/i.test(s.trim()) || isValidCidr(s.trim()), {
  message: 'not an address, CIDR block or ASN (like AS64500)',
});
const PortOrRange = z.union([
  z.number().int().min(0).max(65535),
  z.string().regex(/^\d{1,5}(-\d{1,5})?$/, { message: 'a port is a number or a range "from-to"' }),
]);

const ConfigSchema = z.strictObject({
  trustedNetworks: z.array(Cidr).default([]),
  trustedAction: z.enum(['mark', 'drop']).default('mark'),
  ownAddresses: z.array(Cidr).default([]),
  ownNetworks: z.array(Cidr).default([]),
  ignore: z
    .strictObject({ ports: z.array(PortOrRange).default([]), sources: z.array(Cidr).default([]) })
    .default({ ports: [], sources: [] }),
  detectors: z.record(z.string(), z.record(z.string(), z.union([z.number(), z.boolean()]))).default({}),
  allowList: z.array(ListEntry).default([]),
  denyList: z.array(ListEntry).default([]),
  researchScanners: z.enum(['label', 'noise', 'block']).default('label'),
  maxGroupsPerDetector: z.number().int().min(100).optional(),
  maxFindingsPerDetector: z.number().int().min(10).optional(),
  maxValuesPerDetector: z.number().int().min(1000).optional(),
});

/** The config used when no file is given: nothing trusted, nothing ignored, all defaults. */
export function defaultDetectionConfig(): DetectionConfig {
  return {
    trustedNetworks: [],
    trustedAction: 'mark',
    ownAddresses: [],
    ownNetworks: [],
    ignore: { ports: [], sources: [] },
    detectors: {},
    allowList: [],
    denyList: [],
    researchScanners: 'label',
  };
}

/** Every tunable name of a detector (union over its specs) with its default. */
export function detectorTunables(id: DetectorId): Record<string, { default: number; doc: string }> {
  const out: Record<string, { default: number; doc: string }> = {};
  for (const spec of ALL_SPECS) if (spec.id === id) Object.assign(out, spec.tunables);
  return out;
}

/** Check detector ids and tunable names against the registry; returns an error text or undefined. */
function checkDetectorOverrides(
  detectors: Record<string, Record<string, number | boolean>>,
): string | undefined {
  for (const [id, overrides] of Object.entries(detectors)) {
    if (!(DETECTOR_IDS as readonly string[]).includes(id))
      return `detectors.${id}: unknown detector (known: ${DETECTOR_IDS.join(', ')})`;
    const known = detectorTunables(id as DetectorId);
    for (const [name, value] of Object.entries(overrides)) {
      if (name === 'enabled') {
        if (typeof value !== 'boolean') return `detectors.${id}.enabled: must be true or false`;
        continue;
      }
      if (!Object.hasOwn(known, name))
        return `detectors.${id}.${name}: unknown setting (known: enabled, ${Object.keys(known).join(', ')})`;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
        return `detectors.${id}.${name}: must be a number >= 0`;
    }
  }
  return undefined;
}

/** Validate a parsed config object; throws one clear error naming the first problem. */
export function parseDetectionConfig(raw: unknown, origin = 'config'): DetectionConfig {
  const result = ConfigSchema.safeParse(raw ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new Error(`${origin}: invalid detection config at ${where}: ${issue.message}`);
  }
  const problem = checkDetectorOverrides(result.data.detectors);
  if (problem) throw new Error(`${origin}: invalid detection config at ${problem}`);
  return result.data as DetectionConfig;
}

/** Read and validate a YAML detection config file (see docs/detection-config.md). */
export function loadDetectionConfig(path: string): DetectionConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read detection config (${(e as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new Error(`${path}: detection config is not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  return parseDetectionConfig(raw, path);
}

/** Resolved tunables of one spec: its defaults overlaid with the config's overrides for its detector. */
export function resolveTunables(
  specTunables: Record<string, { default: number }>,
  overrides: Record<string, number | boolean> | undefined,
): Tunables {
  const out: Tunables = {};
  for (const [name, t] of Object.entries(specTunables)) {
    const o = overrides?.[name];
    out[name] = typeof o === 'number' ? o : t.default;
  }
  return out;
}

/** Expand the ignored port list into a membership test. */
export function portMatcher(specs: (number | string)[]): (port: number | undefined) => boolean {
  const ranges = specs.map((s) => {
    if (typeof s === 'number') return [s, s] as const;
    const [a, b = a] = s.split('-').map(Number) as [number, number?];
    return [Math.min(a, b!), Math.max(a, b!)] as const;
  });
  return (port) => port !== undefined && ranges.some(([a, b]) => port >= a && port <= b);
}
