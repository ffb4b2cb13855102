// An address's context as ECS fields: `as.number`, `as.organization.name`, `geo.country_iso_code`, placed
// under `source` or `destination` (the far end of the event) in NDJSON documents.
import type { AddressContext } from './enrich.js';

/** The ECS fields of one address's context (empty when there is nothing to say). */
export function ecsContextFields(ctx: AddressContext | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!ctx) return out;
  if (ctx.as) out.as = { number: ctx.as.number, organization: { name: ctx.as.organization } };
  if (ctx.country) out.geo = { country_iso_code: ctx.country };
  if (ctx.name) out.domain = ctx.name.replace(/\.$/, '');
  return out;
}

/** Add an address's context fields into `doc[side]` (created when missing). */
export function addEcsContext(
  doc: Record<string, unknown>,
  side: 'source' | 'destination',
  ctx: AddressContext | undefined,
): void {
  const fields = ecsContextFields(ctx);
  if (Object.keys(fields).length === 0) return;
  doc[side] = { ...(doc[side] as Record<string, unknown> | undefined), ...fields };
}
