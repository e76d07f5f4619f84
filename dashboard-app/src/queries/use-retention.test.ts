// Retention rows from the API become one cohort per week with its size and a cell per week offset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCohorts, cohortWeeks, COHORT_KEY } from './use-retention.ts';
import { RETENTION } from '../model/members.ts';

test('groups by cohort week, keeps offsets below the cap, sorts cohorts by date', () => {
  const row = (cohort: string, period: number, users: number, size: number) => ({
    [COHORT_KEY]: cohort, [RETENTION.period]: String(period), [RETENTION.users]: String(users), [RETENTION.cohortUsers]: String(size), [RETENTION.rate]: String(users / size),
  });
  const cohorts = buildCohorts([row('2026-01-12T00:00:00.000', 0, 10, 10), row('2026-01-05T00:00:00.000', 1, 3, 12), row('2026-01-05T00:00:00.000', 0, 12, 12), row('2026-01-05T00:00:00.000', 20, 1, 12)]);
  assert.deepEqual(cohorts.map((c) => c.cohort), ['2026-01-05T00:00:00.000', '2026-01-12T00:00:00.000']);
  assert.equal(cohorts[0]!.size, 12);
  assert.equal(cohorts[0]!.cells.get(1)!.rate, 0.25);
  assert.equal(cohorts[0]!.cells.has(20), false);
});

test('the cohort range is whole weeks holding the same Mondays as the view range', () => {
  assert.deepEqual(cohortWeeks(['2026-11-04', '2026-11-22']), ['2026-11-09', '2026-11-22'], 'Wednesday → next Monday; Sunday stays');
  assert.deepEqual(cohortWeeks(['2026-11-02', '2026-11-18']), ['2026-11-02', '2026-11-22'], 'Monday stays; Wednesday → its Sunday');
  assert.deepEqual(cohortWeeks(['2026-11-03', '2026-11-06']), ['2026-11-03', '2026-11-06'], 'no Monday inside: unchanged');
  assert.deepEqual(cohortWeeks(['2024-02-26', '2024-02-29']), ['2024-02-26', '2024-03-03'], 'across a leap day');
});
