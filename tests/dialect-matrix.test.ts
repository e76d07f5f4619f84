// The dialect matrix (Kysely's testSql): every case pins the exact SQL and parameters for every
// dialect (duckdb, mysql, presto, trino, athena; pins in server/src/sql/dialect-matrix.pins.json, regenerate with
// QM_UPDATE_PINS=1 and review the diff), then runs on real DuckDB, MariaDB, PrestoDB and Trino
// (the latter two through the API's own driver, in the memory catalog, with the JVMs' zone as the
// session zone; MariaDB in a database of its own) with the same fixture rows, and compares with
// rows computed here independently from the fixture arrays. Athena's SQL runs on Trino too.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { fixtureStatements, ITEMS, ORDERS, qmModel, USERS } from '../server/src/query/test-fixture.ts';
import { normalizeQuery } from '../server/src/query/normalize-query.ts';
import { compileQuery } from '../server/src/sql/compile-query.ts';
import { DuckDbDriver } from '../server/src/drivers/duckdb-driver.ts';
import { MySqlDriver } from '../server/src/drivers/mysql-driver.ts';
import type { Driver } from '../server/src/drivers/types.ts';
import { ENGINE_NAMES, testEngine, uniqueSchema, type EngineName, type TestEngine } from './engines.ts';

const DIALECTS = ['duckdb', 'mysql', 'presto', 'trino', 'athena'] as const;
const NOW = new Date('2024-03-12T15:00:00Z');
const PINS_FILE = new URL('../server/src/sql/dialect-matrix.pins.json', import.meta.url).pathname;
const UPDATE = process.env.QM_UPDATE_PINS === '1';
type Pin = { sql: string; params: unknown[] };
const pins: Record<string, Record<string, Pin>> = existsSync(PINS_FILE) ? JSON.parse(readFileSync(PINS_FILE, 'utf8')) : {};

// ---- independent expectations -------------------------------------------------------------
type R = Record<string, unknown>;
const city = (userId: number) => USERS.find((u) => u.id === userId)?.city ?? null;
/** Wall time of a UTC 'YYYY-MM-DD HH:mm:ss' in a zone, via Intl (not the code under test). */
const wall = (utc: string, tz: string) => new Date(`${utc.replace(' ', 'T')}Z`).toLocaleString('sv-SE', { timeZone: tz }).replace(' ', 'T');
const dayOf = (utc: string, tz = 'UTC') => `${wall(utc, tz).slice(0, 10)}T00:00:00.000`;
const ms = (utc: string) => Date.parse(`${utc.replace(' ', 'T')}Z`);
/** Byte order; nulls last as DuckDB/Trino sort them, first as MySQL does (set per engine). */
let nullsFirst = false;
const cmp = (a: unknown, b: unknown) => (a === b ? 0 : a === null ? (nullsFirst ? -1 : 1) : b === null ? (nullsFirst ? 1 : -1) : String(a) < String(b) ? -1 : 1);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
function groupBy<T>(rows: readonly T[], key: (r: T) => string | null): Map<string | null, T[]> {
  const m = new Map<string | null, T[]>();
  for (const r of rows) { const k = key(r); m.set(k, [...(m.get(k) ?? []), r]); }
  return m;
}
const countByStatus = (pred: (o: typeof ORDERS[number]) => boolean) =>
  [...groupBy(ORDERS.filter(pred), (o) => o.status)].map(([s, os]) => ({ 'orders.status': s, 'orders.count': os.length }))
    .sort((a, b) => cmp(a['orders.status'], b['orders.status']));
const ids = (pred: (o: typeof ORDERS[number]) => boolean) => ORDERS.filter(pred).map((o) => ({ 'orders.id': o.id }));
const utcDate = (s: string) => ms(s);
const isoWeekStart = (local: string) => { const d = new Date(`${local.slice(0, 10)}T00:00:00Z`); d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7)); return `${d.toISOString().slice(0, 10)}T00:00:00.000`; };

interface Case { name: string; query: Record<string, unknown>; expected: () => R[]; mysql?: boolean }
const byStatus = { measures: ['orders.count'], dimensions: ['orders.status'], order: { 'orders.status': 'asc' } };
const idQuery = { dimensions: ['orders.id'], order: { 'orders.id': 'asc' } };
const cases: Case[] = [
  // Regression: a geo dimension over DOUBLE columns failed on PrestoDB and Trino (their CONCAT takes only strings).
  { name: 'geo dimension over doubles', query: { dimensions: ['orders.id', 'orders.spot'], order: { 'orders.id': 'asc' } },
    expected: () => ORDERS.map((o) => ({ 'orders.id': o.id, 'orders.spot': `${o.amount / 8},${o.id}` })) },
  { name: 'equals with several values and null', query: { ...byStatus, filters: [{ member: 'orders.status', operator: 'equals', values: ['done', 'new', null] }] },
    expected: () => countByStatus((o) => o.status === 'done' || o.status === 'new' || o.status === null) },
  { name: 'notEquals keeps nulls', query: { ...idQuery, filters: [{ member: 'orders.status', operator: 'notEquals', values: ['done'] }] },
    expected: () => ids((o) => o.status !== 'done') },
  { name: 'in, notIn and onTheDate', query: { ...idQuery, timezone: 'Europe/Berlin', filters: [
    { member: 'orders.id', operator: 'in', values: ['1', '2', '3', '4', '5'] }, { member: 'orders.status', operator: 'notIn', values: ['new', 'Done'] },
    { or: [{ member: 'orders.created_at', operator: 'onTheDate', values: ['2024-03-09'] }, { member: 'orders.created_at', operator: 'onTheDate', values: ['2024-03-10'] }] }] },
    expected: () => ids((o) => o.id <= 5 && !['new', 'Done'].includes(o.status ?? '') && ['2024-03-09', '2024-03-10'].includes(wall(o.created_at, 'Europe/Berlin').slice(0, 10))) },
  { name: 'contains is case-insensitive and escapes %', query: { ...idQuery, filters: [{ or: [{ member: 'orders.status', operator: 'contains', values: ['DON'] }, { member: 'orders.status', operator: 'contains', values: ['%'] }] }] },
    expected: () => ids((o) => o.status !== null && (o.status.toLowerCase().includes('don') || o.status.includes('%'))) },
  { name: 'notContains keeps nulls', query: { ...idQuery, filters: [{ member: 'orders.status', operator: 'notContains', values: ['n', '_'] }] },
    expected: () => ids((o) => o.status === null || (!o.status.toLowerCase().includes('n') && !o.status.includes('_'))) },
  { name: 'startsWith, notStartsWith, endsWith, notEndsWith', query: { ...idQuery, filters: [
    { member: 'orders.status', operator: 'startsWith', values: ['d', 'c'] }, { member: 'orders.status', operator: 'notStartsWith', values: ['can'] },
    { member: 'orders.status', operator: 'endsWith', values: ['E'] }, { member: 'orders.status', operator: 'notEndsWith', values: ['x'] }] },
    expected: () => ids((o) => o.status !== null && /^[dc]/i.test(o.status) && !/^can/i.test(o.status) && /e$/i.test(o.status)) },
  { name: 'gt, gte, lt, lte on a number dimension', query: { ...idQuery, filters: [{ or: [
    { and: [{ member: 'orders.amount', operator: 'gt', values: ['10'] }, { member: 'orders.amount', operator: 'lte', values: [55] }] },
    { and: [{ member: 'orders.amount', operator: 'gte', values: ['100'] }, { member: 'orders.amount', operator: 'lt', values: ['101'] }] }] }] },
    expected: () => ids((o) => (o.amount > 10 && o.amount <= 55) || (o.amount >= 100 && o.amount < 101)) },
  { name: 'set and notSet', query: { measures: ['orders.count', 'users.count'], filters: [{ member: 'orders.status', operator: 'set' }, { member: 'users.city', operator: 'notSet' }] },
    expected: () => { const os = ORDERS.filter((o) => o.status !== null && city(o.user_id) === null); return [{ 'orders.count': os.length, 'users.count': new Set(os.map((o) => o.user_id)).size }]; } },
  { name: 'inDateRange, notInDateRange in a time zone', query: { ...idQuery, timezone: 'America/New_York', filters: [
    { member: 'orders.created_at', operator: 'inDateRange', values: ['2024-03-09', '2024-03-31'] },
    { member: 'orders.created_at', operator: 'notInDateRange', values: ['2024-03-10T00:00:00', '2024-03-10T02:59:59.999'] }] },
    expected: () => ids((o) => { const l = wall(o.created_at, 'America/New_York'); return l >= '2024-03-09' && l < '2024-04-01' && !(l >= '2024-03-10T00:00:00' && l <= '2024-03-10T02:59:59.999'); }) },
  { name: 'beforeDate, afterDate, beforeOrOnDate, afterOrOnDate', query: { ...idQuery, filters: [{ or: [
    { member: 'orders.created_at', operator: 'beforeDate', values: ['2024-03-08'] },
    { and: [{ member: 'orders.created_at', operator: 'afterDate', values: ['2024-03-09'] }, { member: 'orders.created_at', operator: 'beforeOrOnDate', values: ['2024-03-10'] }] },
    { member: 'orders.created_at', operator: 'afterOrOnDate', values: ['2024-04-02T10:00:00'] }] }] },
    expected: () => ids((o) => o.created_at < '2024-03-08' || (o.created_at >= '2024-03-10' && o.created_at < '2024-03-11') || o.created_at >= '2024-04-02 10:00:00') },
  { name: 'day granularity and date range in America/New_York', query: { measures: ['orders.count', 'orders.total'], timezone: 'America/New_York',
    timeDimensions: [{ dimension: 'orders.created_at', granularity: 'day', dateRange: ['2024-03-08', '2024-03-11'] }] },
    expected: () => { const os = ORDERS.filter((o) => { const l = wall(o.created_at, 'America/New_York'); return l >= '2024-03-08' && l < '2024-03-12'; });
      return [...groupBy(os, (o) => dayOf(o.created_at, 'America/New_York'))].map(([d, g]) => ({ 'orders.created_at.day': d, 'orders.count': g.length, 'orders.total': sum(g.map((o) => o.amount)) })).sort((a, b) => cmp(a['orders.created_at.day'], b['orders.created_at.day'])); } },
  { name: 'week (ISO, Monday) and quarter granularities', query: { measures: ['orders.count'], timeDimensions: [{ dimension: 'orders.created_at', granularity: 'week' }, { dimension: 'orders.created_at', granularity: 'quarter' }],
    order: [['orders.created_at.week', 'asc']] },
    expected: () => [...groupBy(ORDERS, (o) => isoWeekStart(o.created_at))].map(([w, g]) => ({ 'orders.created_at.week': w, 'orders.created_at.quarter': `${w!.slice(0, 5)}${String(Math.floor((Number(g[0].created_at.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01T00:00:00.000`, 'orders.count': g.length }))
      .sort((a, b) => cmp(a['orders.created_at.week'], b['orders.created_at.week'])) },
  { name: 'hour and month granularities in Asia/Kolkata', query: { measures: ['orders.count'], timezone: 'Asia/Kolkata', dimensions: ['orders.created_at.hour', 'orders.created_at.month'], filters: [{ member: 'orders.id', operator: 'equals', values: ['5'] }] },
    expected: () => { const l = wall(ORDERS[4].created_at, 'Asia/Kolkata'); return [{ 'orders.created_at.hour': `${l.slice(0, 13)}:00:00.000`, 'orders.created_at.month': `${l.slice(0, 7)}-01T00:00:00.000`, 'orders.count': 1 }]; } },
  { name: 'custom granularities: 2 weeks and 6 months from an origin', query: { measures: ['orders.count'], timeDimensions: [{ dimension: 'orders.created_at', granularity: 'two_weeks' }, { dimension: 'orders.created_at', granularity: 'half_year' }],
    order: [['orders.created_at.two_weeks', 'asc']] },
    expected: () => {
      const twoWeeks = (o: typeof ORDERS[number]) => new Date(Date.parse('2024-01-01T00:00:00Z') + Math.floor((utcDate(o.created_at) - Date.parse('2024-01-01T00:00:00Z')) / (14 * 86_400_000)) * 14 * 86_400_000).toISOString().replace('Z', '');
      const halfYear = (o: typeof ORDERS[number]) => { const m = (Number(o.created_at.slice(0, 4)) - 2023) * 12 + Number(o.created_at.slice(5, 7)) - 10; const k = Math.floor(m / 6) * 6 + 9; return `${2023 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}-01T00:00:00.000`; };
      return [...groupBy(ORDERS, (o) => `${twoWeeks(o)}|${halfYear(o)}`)].map(([k, g]) => ({ 'orders.created_at.two_weeks': k!.split('|')[0], 'orders.created_at.half_year': k!.split('|')[1], 'orders.count': g.length }))
        .sort((a, b) => cmp(a['orders.created_at.two_weeks'], b['orders.created_at.two_weeks']));
    } },
  { name: 'custom granularities with origins after rows: buckets before the origin', query: { measures: ['orders.count'], timeDimensions: [{ dimension: 'orders.created_at', granularity: 'ten_days' }, { dimension: 'orders.created_at', granularity: 'halves_from_april' }],
    order: [['orders.created_at.ten_days', 'asc']] },
    expected: () => {
      const tenDays = (o: typeof ORDERS[number]) => { const origin = Date.parse('2024-03-08T12:00:00.500Z'); return new Date(origin + Math.floor((utcDate(o.created_at) - origin) / 864_000_000) * 864_000_000).toISOString().replace('Z', ''); };
      const halves = (o: typeof ORDERS[number]) => {
        const m = (Number(o.created_at.slice(0, 4)) - 2024) * 12 + Number(o.created_at.slice(5, 7)) - 4; // whole months from 2024-04-01
        const k = Math.floor(m / 6) * 6 + 3; // months after January 2024
        return `${2024 + Math.floor(k / 12)}-${String(((k % 12) + 12) % 12 + 1).padStart(2, '0')}-01T00:00:00.000`;
      };
      return [...groupBy(ORDERS, (o) => `${tenDays(o)}|${halves(o)}`)].map(([k, g]) => ({ 'orders.created_at.ten_days': k!.split('|')[0], 'orders.created_at.halves_from_april': k!.split('|')[1], 'orders.count': g.length }))
        .sort((a, b) => cmp(a['orders.created_at.ten_days'], b['orders.created_at.ten_days']));
    } },
  { name: 'relative range last 7 days with a fixed clock', query: { ...idQuery, timeDimensions: [{ dimension: 'orders.created_at', dateRange: 'last 7 days' }] },
    expected: () => ids((o) => utcDate(o.created_at) >= Date.parse('2024-03-05T00:00:00Z') && utcDate(o.created_at) < Date.parse('2024-03-12T00:00:00Z')) },
  { name: 'relative range from 3 days ago to now', query: { ...idQuery, timeDimensions: [{ dimension: 'orders.created_at', dateRange: 'from 3 days ago to now' }] },
    expected: () => ids((o) => utcDate(o.created_at) >= Date.parse('2024-03-09T00:00:00Z') && utcDate(o.created_at) < Date.parse('2024-03-13T00:00:00Z')) },
  { name: 'fan-out: sum over a one-to-many join is not multiplied', query: { measures: ['orders.total', 'orders.count', 'items.count', 'items.quantity'], dimensions: ['users.city'], order: { 'users.city': 'asc' }, filters: [{ member: 'users.city', operator: 'set' }] },
    expected: () => [...groupBy(ORDERS.filter((o) => city(o.user_id) !== null), (o) => city(o.user_id))].map(([c, os]) => {
      const its = ITEMS.filter((i) => os.some((o) => o.id === i.order_id));
      return { 'users.city': c, 'orders.total': sum(os.map((o) => o.amount)), 'orders.count': os.length, 'items.count': its.length, 'items.quantity': its.length ? sum(its.map((i) => i.qty)) : null };
    }).sort((a, b) => cmp(a['users.city'], b['users.city'])) },
  { name: 'segment', query: { measures: ['orders.count'], segments: ['orders.big'] }, expected: () => [{ 'orders.count': ORDERS.filter((o) => o.amount >= 50).length }] },
  { name: 'measure filter in HAVING and measureFilter', query: { measures: ['orders.total', 'orders.done_total'], dimensions: ['users.city'], order: { 'users.city': 'asc' },
    filters: [{ member: 'orders.total', operator: 'gt', values: ['20'] }, { member: 'orders.done_total', operator: 'measureFilter' }] },
    expected: () => [...groupBy(ORDERS.filter((o) => o.status === 'done'), (o) => city(o.user_id))].map(([c, os]) => ({ 'users.city': c, 'orders.total': sum(os.map((o) => o.amount)), 'orders.done_total': sum(os.map((o) => o.amount)) }))
      .filter((r) => r['orders.total'] > 20) },
  { name: 'ungrouped', query: { dimensions: ['orders.id'], measures: ['orders.total'], ungrouped: true, order: { 'orders.id': 'asc' }, filters: [{ member: 'orders.id', operator: 'lt', values: ['3'] }] },
    expected: () => ORDERS.filter((o) => o.id < 3).map((o) => ({ 'orders.id': o.id, 'orders.total': o.amount })) },
  { name: 'order, limit and offset', query: { dimensions: ['orders.id'], measures: ['orders.total'], order: [['orders.total', 'desc'], ['orders.id', 'asc']], limit: 2, offset: 1 },
    expected: () => [...ORDERS].sort((a, b) => b.amount - a.amount || a.id - b.id).slice(1, 3).map((o) => ({ 'orders.id': o.id, 'orders.total': o.amount })) },
  { name: 'count_distinct', query: { measures: ['orders.users'], dimensions: ['orders.status'], order: { 'orders.status': 'asc' }, filters: [{ member: 'orders.status', operator: 'set' }] },
    expected: () => [...groupBy(ORDERS.filter((o) => o.status !== null), (o) => o.status)].map(([s, os]) => ({ 'orders.status': s, 'orders.users': new Set(os.map((o) => o.user_id)).size }))
      .sort((a, b) => cmp(a['orders.status'], b['orders.status'])) },
  { name: 'hostile strings in filters: quotes, backslashes, % and _, ?, Unicode', query: { dimensions: ['users.city'], order: { 'users.city': 'asc' }, filters: [{ or: [
    { member: 'users.city', operator: 'equals', values: ["O'Brien", 'back\\slash', "x'; DROP TABLE qm_users; --"] },
    { member: 'users.city', operator: 'contains', values: ['%_'] },
    { member: 'users.city', operator: 'startsWith', values: ['zü'] },
    { member: 'users.city', operator: 'endsWith', values: ['?', '🙂'] }] }] },
    expected: () => USERS.map((u) => u.city).filter((c): c is NonNullable<typeof c> => c !== null)
      .filter((c) => ["O'Brien", 'back\\slash', "x'; DROP TABLE qm_users; --"].includes(c) || c.includes('%_') || c.toLowerCase().startsWith('zü') || c.endsWith('?') || c.endsWith('🙂'))
      .sort(cmp).map((c) => ({ 'users.city': c })) },
  // Midnight of 2018-11-04 never happened in São Paulo (DST began), the zone the test engines'
  // JVMs, and so their sessions, run in: a bound read in the session's zone cannot be parsed.
  { name: 'date range from a midnight the session zone skips', query: { ...idQuery, filters: [{ member: 'orders.created_at', operator: 'inDateRange', values: ['2018-11-04', '2024-03-09'] }] },
    expected: () => ids((o) => o.created_at >= '2018-11-04' && o.created_at < '2024-03-10') },
  { name: 'rolling window: running total and trailing 3 days', query: { measures: ['orders.running_total', 'orders.rolling_3d'], timeDimensions: [{ dimension: 'orders.created_at', granularity: 'day', dateRange: ['2024-03-08', '2024-03-12'] }] },
    expected: () => ['2024-03-08', '2024-03-09', '2024-03-10', '2024-03-11', '2024-03-12'].map((d) => {
      const end = Date.parse(`${d}T23:59:59.999Z`);
      const upTo = ORDERS.filter((o) => utcDate(o.created_at) <= end);
      return { 'orders.created_at.day': `${d}T00:00:00.000`, 'orders.running_total': sum(upTo.map((o) => o.amount)), 'orders.rolling_3d': upTo.filter((o) => utcDate(o.created_at) > end - 3 * 86_400_000).length || null };
    }) },
  { name: 'rolling window: month to date and 2 days leading from the start, in America/New_York', query: { measures: ['orders.mtd_total', 'orders.next_2d'], timezone: 'America/New_York',
    timeDimensions: [{ dimension: 'orders.created_at', granularity: 'day', dateRange: ['2024-03-08', '2024-03-12'] }] },
    expected: () => ['2024-03-08', '2024-03-09', '2024-03-10', '2024-03-11', '2024-03-12'].map((d) => {
      const local = ORDERS.map((o) => ({ ...o, t: wall(o.created_at, 'America/New_York') }));
      const mtd = local.filter((o) => o.t >= '2024-03-01' && o.t.slice(0, 10) <= d);
      const next = new Date(Date.parse(`${d}T00:00:00Z`) + 2 * 86_400_000).toISOString().slice(0, 10);
      return { 'orders.created_at.day': `${d}T00:00:00.000`, 'orders.mtd_total': mtd.length ? sum(mtd.map((o) => o.amount)) : null, 'orders.next_2d': local.filter((o) => o.t >= d && o.t < next).length || null };
    }) },
  { name: 'multi-stage: the day before (time_shift) and the total over statuses (reduce_by)', query: {
    measures: ['orders.total', 'orders.total_day_before', 'orders.count_all_statuses'], dimensions: ['orders.status'],
    order: [['orders.created_at', 'asc'], ['orders.status', 'asc']],
    timeDimensions: [{ dimension: 'orders.created_at', granularity: 'day', dateRange: ['2024-03-08', '2024-03-12'] }],
  }, expected: () => {
    const inRange = ORDERS.filter((o) => o.created_at >= '2024-03-08' && o.created_at < '2024-03-13');
    const day = (o: typeof ORDERS[number]) => `${o.created_at.slice(0, 10)}T00:00:00.000`;
    const before = (d: string) => new Date(Date.parse(`${d.slice(0, 10)}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    return [...groupBy(inRange, (o) => `${day(o)}|${o.status}`)].map(([, os]) => {
      const d = day(os[0]!);
      const prior = ORDERS.filter((o) => o.created_at.slice(0, 10) === before(d) && o.status === os[0]!.status);
      return { 'orders.created_at.day': d, 'orders.status': os[0]!.status, 'orders.total': sum(os.map((o) => o.amount)),
        'orders.total_day_before': prior.length ? sum(prior.map((o) => o.amount)) : null, 'orders.count_all_statuses': inRange.filter((o) => day(o) === d).length };
    }).sort((a, b) => cmp(a['orders.created_at.day'], b['orders.created_at.day']) || cmp(a['orders.status'], b['orders.status']));
  } },
];

// ---- engines ------------------------------------------------------------------------------
function normalizeRows(rows: R[], aliasToMember: Readonly<Record<string, string>>): R[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => {
    const member = aliasToMember[k] ?? k;
    const num = typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
    return [member, typeof num === 'number' ? Math.round(num * 1e6) / 1e6 : num];
  })));
}

const model = qmModel();
let duck: Driver;
let maria: MySqlDriver | undefined;
const MARIA = { type: 'mysql', host: '127.0.0.1', port: 3306, user: 'root', database: uniqueSchema('qm_matrix'), ssl: false, maxPool: 2, queryTimeoutMs: 30_000 } as const;
let mariaTz = false;
/** PrestoDB and Trino: the engine, its scratch schema, and the API's driver on it. */
const engineRuns = new Map<EngineName, { engine: TestEngine; schema: string; driver: Driver }>();

async function loadEngine(name: EngineName): Promise<void> {
  const engine = await testEngine(name);
  const schema = uniqueSchema('qm_matrix');
  await engine.run(`CREATE SCHEMA memory.${schema}`);
  for (const s of fixtureStatements(name, `memory.${schema}.`)) await engine.run(s);
  engineRuns.set(name, { engine, schema, driver: await engine.driver('memory', schema) });
}

before(async () => {
  await Promise.all(ENGINE_NAMES.map(loadEngine));
  duck = await DuckDbDriver.create({ type: 'duckdb', dataDir: '/nonexistent', databasePath: ':memory:', maxPool: 2, queryTimeoutMs: 30_000, defineEvents: false });
  for (const s of fixtureStatements('duckdb')) await duck.query(s, []);
  // The MariaDB server is shared with other test runs: the fixture lives in a database of its own.
  const admin = new MySqlDriver({ ...MARIA, database: 'test' });
  try { await admin.query(`CREATE DATABASE IF NOT EXISTS ${MARIA.database}`, []); } finally { await admin.close(); }
  maria = new MySqlDriver(MARIA);
  for (const s of fixtureStatements('mysql')) await maria.query(s, []);
  // Named zones in CONVERT_TZ need MariaDB's time-zone tables (mariadb-tzinfo-to-sql), a
  // one-time server setup that the MySQL dialect documents; load them when the tool exists.
  const probe = async () => (await maria!.query("SELECT CONVERT_TZ('2024-01-01 00:00:00', '+00:00', 'America/New_York') AS t", []))[0].t !== null;
  mariaTz = await probe();
  if (!mariaTz) {
    try { execSync('mariadb-tzinfo-to-sql /usr/share/zoneinfo 2>/dev/null | mariadb -h127.0.0.1 -uroot mysql', { stdio: 'ignore', timeout: 120_000 }); } catch { /* reported by the skip below */ }
    mariaTz = await probe();
  }
});

after(async () => {
  if (UPDATE) writeFileSync(PINS_FILE, `${JSON.stringify(pins, null, 2)}\n`);
  await maria?.query(`DROP DATABASE IF EXISTS ${MARIA.database}`, []);
  await maria?.close();
  await duck?.close();
  for (const { engine, schema, driver } of engineRuns.values()) {
    await driver.close();
    for (const t of ['qm_items', 'qm_orders', 'qm_users']) await engine.run(`DROP TABLE IF EXISTS memory.${schema}.${t}`);
    await engine.run(`DROP SCHEMA memory.${schema}`);
  }
});

/**
 * Where each dialect's SQL runs besides DuckDB and MariaDB. Athena engine v3 is Trino, so the
 * athena dialect's SQL runs on Trino for every case: none of them uses what Athena adds or
 * lacks (its catalogs, S3 tables, workgroup limits), which is outside the SQL the dialect renders.
 */
const ENGINE_RUNS: readonly { label: string; engine: EngineName; dialect: 'presto' | 'trino' | 'athena' }[] = [
  { label: 'PrestoDB', engine: 'presto', dialect: 'presto' },
  { label: 'Trino', engine: 'trino', dialect: 'trino' },
  { label: 'Trino with the athena dialect', engine: 'trino', dialect: 'athena' },
];

describe('dialect matrix', () => {
  for (const c of cases) {
    describe(c.name, () => {
      const q = normalizeQuery(c.query, model, { now: NOW });
      const compiled = Object.fromEntries(DIALECTS.map((d) => [d, compileQuery(model, q, { dialect: d })]));
      test('pins SQL and params for every dialect', () => {
        for (const d of DIALECTS) {
          const got: Pin = { sql: compiled[d].sql, params: compiled[d].params };
          if (UPDATE) { pins[c.name] = { ...pins[c.name], [d]: got }; continue; }
          assert.ok(pins[c.name]?.[d], `no pin for '${c.name}' / ${d}: run with QM_UPDATE_PINS=1`);
          assert.deepEqual(got, pins[c.name][d], `${d} SQL changed`);
        }
      });
      test('rows on DuckDB', async () => {
        const rows = await duck.query(compiled.duckdb.sql, compiled.duckdb.params);
        assert.deepEqual(normalizeRows(rows, compiled.duckdb.aliasToMember), c.expected());
      });
      test('rows on MariaDB', async (t) => {
        if (q.timezone !== 'UTC' && !mariaTz) { t.skip('MariaDB has no time-zone tables (mariadb-tzinfo-to-sql unavailable)'); return; }
        const rows = await maria!.query(compiled.mysql.sql, compiled.mysql.params);
        nullsFirst = true;
        try { assert.deepEqual(normalizeRows(rows, compiled.mysql.aliasToMember), c.expected()); } finally { nullsFirst = false; }
      });
      for (const run of ENGINE_RUNS) {
        test(`rows on ${run.label}`, async () => {
          const rows = await engineRuns.get(run.engine)!.driver.query(compiled[run.dialect].sql, compiled[run.dialect].params);
          assert.deepEqual(normalizeRows(rows, compiled[run.dialect].aliasToMember), c.expected());
        });
      }
    });
  }
});
