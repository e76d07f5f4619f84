// Tracker parameters → atomic columns (enrich Transform.transformMap, snowplow.md §1.2), with
// every format check. Throws FieldError on the first bad value; the caller turns it into a bad row.
import { eventTypes, platforms } from '../protocol/event-types.ts';
import { FieldError, decimal, flag, int, millis, money, size, uuid } from './field-parsers.ts';
import { readParams, type ParamShape, type Params } from './param-shape.ts';
import { columnIndex, columnIndexes, type RowBuilder } from './row-builder.ts';

type Setter = (row: RowBuilder, key: string, v: string) => void;

const text = (column: string): Setter => {
  const c = columnIndex(column);
  return (row, _k, v) => row.set(c, v);
};

// The events of a request repeat most values (session, screen, send time): each parsing setter
// keeps its last text and result. Only values that parsed are kept, so errors are unchanged.
const parsed = (column: string, parse: (k: string, v: string) => string | number | boolean): Setter => {
  const c = columnIndex(column);
  let lastText: string | undefined;
  let last: string | number | boolean = false;
  return (row, k, v) => {
    if (v !== lastText) {
      last = parse(k, v);
      lastText = v;
    }
    row.set(c, last);
  };
};
const pair = (w: string, h: string): Setter => {
  const cw = columnIndex(w);
  const ch = columnIndex(h);
  let lastText: string | undefined;
  let last: readonly [number, number] = [0, 0];
  return (row, k, v) => {
    if (v !== lastText) {
      last = size(k, v);
      lastText = v;
    }
    row.set(cw, last[0]);
    row.set(ch, last[1]);
  };
};

// A Map: one lookup per parameter, and keys from the client (__proto__, constructor) can never reach a prototype.
const setters: ReadonlyMap<string, Setter> = new Map(Object.entries({
  aid: text('app_id'), tna: text('name_tracker'), tv: text('v_tracker'), cv: text('v_collector'),
  tid: parsed('txn_id', int), dtm: parsed('dvce_created_tstamp', millis), stm: parsed('dvce_sent_tstamp', millis),
  ttm: parsed('true_tstamp', millis), uid: text('user_id'), duid: text('domain_userid'),
  sid: parsed('domain_sessionid', uuid), vid: parsed('domain_sessionidx', int), fp: text('user_fingerprint'),
  url: text('page_url'), page: text('page_title'), refr: text('page_referrer'),
  res: pair('dvce_screenwidth', 'dvce_screenheight'), vp: pair('br_viewwidth', 'br_viewheight'), ds: pair('doc_width', 'doc_height'),
  cd: text('br_colordepth'), cs: text('doc_charset'), lang: text('br_lang'), tz: text('os_timezone'),
  cookie: parsed('br_cookies', flag),
  f_pdf: parsed('br_features_pdf', flag), f_fla: parsed('br_features_flash', flag), f_java: parsed('br_features_java', flag),
  f_dir: parsed('br_features_director', flag), f_qt: parsed('br_features_quicktime', flag), f_realp: parsed('br_features_realplayer', flag),
  f_wma: parsed('br_features_windowsmedia', flag), f_gears: parsed('br_features_gears', flag), f_ag: parsed('br_features_silverlight', flag),
  se_ca: text('se_category'), se_ac: text('se_action'), se_la: text('se_label'), se_pr: text('se_property'), se_va: parsed('se_value', decimal),
  ev_ca: text('se_category'), ev_ac: text('se_action'), ev_la: text('se_label'), ev_pr: text('se_property'), ev_va: parsed('se_value', decimal),
  tr_id: text('tr_orderid'), tr_af: text('tr_affiliation'), tr_tt: parsed('tr_total', money), tr_tx: parsed('tr_tax', money),
  tr_sh: parsed('tr_shipping', money), tr_ci: text('tr_city'), tr_st: text('tr_state'), tr_co: text('tr_country'), tr_cu: text('tr_currency'),
  ti_id: text('ti_orderid'), ti_sk: text('ti_sku'), ti_nm: text('ti_name'), ti_na: text('ti_name'), ti_ca: text('ti_category'),
  ti_pr: parsed('ti_price', money), ti_qu: parsed('ti_quantity', int), ti_cu: text('ti_currency'),
  pp_mix: parsed('pp_xoffset_min', int), pp_max: parsed('pp_xoffset_max', int),
  pp_miy: parsed('pp_yoffset_min', int), pp_may: parsed('pp_yoffset_max', int),
}));

const C = columnIndexes('event', 'platform');

// Parameters read elsewhere (e, p, eid, nuid, tnuid, ip, ua, ue_pr/ue_px, co/cx) or legacy ones with no column have no setter.

/** Each parameter's setter, by position, per shape. */
const settersByShape = new WeakMap<ParamShape, readonly (Setter | undefined)[]>();

function settersOf(shape: ParamShape): readonly (Setter | undefined)[] {
  let found = settersByShape.get(shape);
  if (found === undefined) {
    found = shape.keys.map((k) => setters.get(k));
    settersByShape.set(shape, found);
  }
  return found;
}

/** Into a row being built. `read` is `params` read by readParams. */
export function mapTrackerParams(params: Readonly<Record<string, string>>, row: RowBuilder, read: Params = readParams(params)): void {
  const e = params.e;
  if (e === undefined || e === '') throw new FieldError('missing required parameter e (event type)');
  const type = eventTypes[e];
  if (!type) throw new FieldError(`unknown event type e=${JSON.stringify(e.slice(0, 32))}`);
  row.set(C.event, type.event);
  const p = params.p;
  if (p === undefined || p === '') throw new FieldError('missing required parameter p (platform)');
  if (!platforms.has(p)) throw new FieldError(`unknown platform p=${JSON.stringify(p.slice(0, 32))}`);
  row.set(C.platform, p);
  if (params.tv === undefined || params.tv === '') throw new FieldError('missing required parameter tv (tracker version)');
  const { keys } = read.shape;
  const { values } = read;
  const bySetter = settersOf(read.shape);
  for (let i = 0; i < keys.length; i++) {
    const v = values[i];
    if (typeof v !== 'string') throw new FieldError(`parameter ${keys[i]} must be a string`);
    if (v === '') continue;
    const set = bySetter[i];
    if (set !== undefined) set(row, keys[i], v);
  }
}
