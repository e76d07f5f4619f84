// The client's user agent and address → br_*, os_*, dvce_*, is_bot, geo_* and the (anonymised)
// user_ipaddress, in the order enrich fills them. The UA and geo answers come from per-UA and
// per-IP caches, so each is turned into a patch once (memoPatch).
import { anonymiseIp } from './anonymise-ip.ts';
import { isBotTraffic } from './bot.ts';
import type { EnrichContext } from './enrich-context.ts';
import { applyPatch, columnGroup, memoPatch, type FieldPatch } from './field-patch.ts';
import { columnIndexes, type RowBuilder } from '../validate/row-builder.ts';

export interface ClientFields {
  readonly userAgent: FieldPatch;
  /** Undefined when bot detection is off. */
  readonly isBot: boolean | undefined;
  readonly geo: FieldPatch;
  /** Undefined without an address (none known, or SP-Anonymous); the geo columns are then all undefined. */
  readonly ipAddress: string | undefined;
}

const C = columnIndexes('is_bot', 'user_ipaddress');
const userAgentPatch = memoPatch(columnGroup('br_name', 'br_family', 'br_version', 'br_type', 'br_renderengine',
  'os_name', 'os_family', 'os_manufacturer', 'dvce_type', 'dvce_ismobile'));
const geoPatch = memoPatch(columnGroup('geo_country', 'geo_region', 'geo_city', 'geo_zipcode', 'geo_latitude', 'geo_longitude',
  'geo_region_name', 'geo_timezone'));

export function clientFields(ctx: EnrichContext, useragent: string | undefined, uaFromParam: boolean,
  platform: string | undefined, ip: string | undefined): ClientFields {
  const userAgent = userAgentPatch(ctx.userAgent(useragent));
  const isBot = ctx.options.botDetection ? isBotTraffic(useragent, platform, uaFromParam, ctx.isBotUa) : undefined;
  if (!ip) return { userAgent, isBot, geo: geoPatch(undefined), ipAddress: undefined };
  return { userAgent, isBot, geo: geoPatch(ctx.geo?.(ip)), ipAddress: anonymiseIp(ip, ctx.options.anonOctets, ctx.options.anonSegments) };
}

export function applyClientFields(row: RowBuilder, c: ClientFields): void {
  applyPatch(row, c.userAgent);
  if (c.isBot !== undefined) row.set(C.is_bot, c.isBot);
  applyPatch(row, c.geo);
  row.set(C.user_ipaddress, c.ipAddress);
}
