import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapTrackerParams } from './map-tracker-params.ts';
import { RowBuilder } from './row-builder.ts';

const base = { e: 'se', p: 'web', tv: 'js-4.10.1' };
const map = (params: Record<string, string>) => {
  const row = new RowBuilder();
  row.start();
  mapTrackerParams(params, row);
  return row.build();
};

test('parameters land in their atomic columns with their types', () => {
  const row = map({ ...base, aid: 'site', se_ca: 'video', se_ac: 'play', se_va: '3', vid: '2', res: '390x844', cookie: '1', dtm: '1700000000000', tr_tt: '9.99', ti_qu: '3', ti_nm: 'Shoe' });
  assert.deepEqual(row, {
    event: 'struct', platform: 'web', v_tracker: 'js-4.10.1', app_id: 'site', se_category: 'video', se_action: 'play', se_value: 3,
    domain_sessionidx: 2, dvce_screenwidth: 390, dvce_screenheight: 844, br_cookies: true, dvce_created_tstamp: 1700000000000,
    tr_total: 9.99, ti_quantity: 3, ti_name: 'Shoe',
  });
});

test('required parameters, enums and prototype keys', () => {
  assert.throws(() => map({ p: 'web', tv: 'x' }), /missing required parameter e/);
  assert.throws(() => map({ ...base, e: 'zz' }), /unknown event type/);
  for (const e of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) assert.throws(() => map({ ...base, e }), /unknown event type/);
  assert.throws(() => map({ ...base, p: 'desktop' }), /unknown platform/);
  assert.throws(() => map({ e: 'pv', p: 'web' }), /tv/);
  assert.throws(() => map({ ...base, sid: 'abc' }), /sid must be a UUID/);
  const hostile = JSON.parse('{"e":"pv","p":"web","tv":"x","__proto__":"1","constructor":"2"}') as Record<string, string>;
  assert.equal(map(hostile).event, 'page_view');
});
