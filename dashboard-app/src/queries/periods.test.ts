// A compareDateRange answer splits into current and previous; a stale answer of the other shape is never paired wrongly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResultSet } from '@cubejs-client/core';
import { periods } from './periods.ts';

const result = (from: string, count: string) => ({
  query: { measures: ['s.count'], timeDimensions: [{ dimension: 's.t', dateRange: [from, from] }] },
  data: [{ 's.count': count }], annotation: { measures: { 's.count': { type: 'number' } }, dimensions: {}, segments: {}, timeDimensions: {} },
});

test('current and previous from one compare answer; single answers as they fit', () => {
  const both = new ResultSet({ queryType: 'compareDateRangeQuery', results: [result('2026-01-02', '5'), result('2026-01-01', '3')], pivotQuery: {} } as never);
  const [cur, prev] = periods(both, true);
  assert.equal(cur?.tablePivot()[0]?.['s.count'], '5');
  assert.equal(prev?.tablePivot()[0]?.['s.count'], '3');
  assert.equal(periods(both, false)[1], null, 'compare just switched off: no previous period shown');
  const single = new ResultSet(result('2026-01-02', '5') as never);
  assert.deepEqual(periods(single, true), [null, null], 'compare just switched on: wait for both periods');
  assert.equal(periods(single, false)[0], single);
  assert.deepEqual(periods(null, true), [null, null]);
});
