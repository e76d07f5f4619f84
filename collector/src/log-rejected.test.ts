import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rejectionLog } from './log-rejected.ts';

test('the first rejection of each kind is logged with its reason, later ones as counts at most once a minute', () => {
  const lines: string[] = [];
  let clock = 0;
  const log = rejectionLog((l) => lines.push(l), () => clock);
  log.note('schema_violation: e is missing', 'tp2');
  log.note('schema_violation: e is missing');
  log.note('schema_violation: aid too long');
  log.note('size_violation: body over 1 MB');
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /from tp2 was rejected .*schema_violation: e is missing/);
  assert.match(lines[1]!, /size_violation: body over 1 MB/);
  clock = 61_000;
  log.note('size_violation: body over 1 MB');
  assert.equal(lines.length, 3);
  assert.match(lines[2]!, /schema_violation × 2, size_violation × 1/);
  log.note('size_violation: again');
  assert.equal(lines.length, 3, 'no second summary within the minute');
});
