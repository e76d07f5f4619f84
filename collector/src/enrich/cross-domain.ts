// Cross-domain linking: the browser tracker's `_sp=<duid>.<ts ms>[...]` page URL parameter
// → refr_domain_userid and refr_dvce_tstamp (enrich's cross-navigation step).
import type { UrlParts } from './url-parts.ts';

export interface CrossDomainFields { readonly refr_domain_userid?: string; readonly refr_dvce_tstamp?: number }

const NONE: CrossDomainFields = Object.freeze({});
/** Parsed URLs are cached and shared: the fields are worked out once per URL. */
const memo = new WeakMap<UrlParts, CrossDomainFields>();

export function crossDomainFields(page: UrlParts | undefined): CrossDomainFields {
  if (!page?.query) return NONE;
  let fields = memo.get(page);
  if (fields === undefined) {
    fields = fromSp(page.url.searchParams.get('_sp'));
    memo.set(page, fields);
  }
  return fields;
}

function fromSp(sp: string | null): CrossDomainFields {
  if (!sp) return NONE;
  const [duid, ts] = sp.split('.');
  const ms = /^\d{1,15}$/.test(ts ?? '') ? Number(ts) : undefined;
  return Object.freeze(ms === undefined ? { refr_domain_userid: duid } : { refr_domain_userid: duid, refr_dvce_tstamp: ms });
}
