// Cross-domain linking: the browser tracker's `_sp=<duid>.<ts ms>[...]` page URL parameter
// → refr_domain_userid and refr_dvce_tstamp (enrich's cross-navigation step).
import type { UrlParts } from './url-parts.ts';

export function crossDomainFields(page: UrlParts | undefined): { refr_domain_userid?: string; refr_dvce_tstamp?: number } {
  const sp = page?.query ? page.url.searchParams.get('_sp') : null;
  if (!sp) return {};
  const [duid, ts] = sp.split('.');
  const ms = /^\d{1,15}$/.test(ts ?? '') ? Number(ts) : undefined;
  return ms === undefined ? { refr_domain_userid: duid } : { refr_domain_userid: duid, refr_dvce_tstamp: ms };
}
