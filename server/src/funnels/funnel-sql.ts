// Renders a funnel as one SQL statement for the event engine, so only per-step counts come back:
//   ev  — the events matching any step (bots out, dt partitions pruned), one 0/1 flag per step;
//   f1  — each user's first step-1 event in the range (its breakdown value is taken there);
//   fK  — the earliest step-K event strictly after step K-1 and within the window of step 1.
// Every user is counted once per step, in strict order. Values are bound parameters; the only
// identifiers are the fixed expressions of funnel-columns.ts.
import { Params } from '../sql/params.ts';
import { funnelColumns, numericFunnelColumns } from './funnel-columns.ts';
import type { FunnelDialect } from './funnel-dialect.ts';
import type { FunnelSpec, StepFilter, StepSpec, UtcRange } from './funnel-request.ts';

export interface FunnelSql { readonly sql: string; readonly params: unknown[] }

const DAY = 86_400_000;
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const utcMs = (s: string) => Date.parse(`${s}Z`);

function filterSql(f: StepFilter, d: FunnelDialect, p: Params): string {
  const expr = f.column ? funnelColumns[f.column] : d.funnel.jsonString('e.unstruct_event', p.add(`$.data.data.${f.property}`));
  const numeric = f.column !== undefined && numericFunnelColumns.has(f.column);
  const value = (v: string) => (numeric ? d.sql.numberParam(p.add(v)) : p.add(v));
  const any = (parts: string[]) => `(${parts.join(' OR ')})`;
  const like = (pattern: (v: string) => string, negate: boolean) =>
    f.values.map((v) => d.sql.likeInsensitive(expr, p.add(pattern(likeEscape(v))), negate));
  switch (f.operator) {
    case 'equals': return `${expr} IN (${f.values.map(value).join(', ')})`;
    case 'notEquals': return `(${expr} IS NULL OR ${expr} NOT IN (${f.values.map(value).join(', ')}))`;
    case 'contains': return any(like((v) => `%${v}%`, false));
    case 'notContains': return `(${expr} IS NULL OR (${like((v) => `%${v}%`, true).join(' AND ')}))`;
    case 'startsWith': return any(like((v) => `${v}%`, false));
    case 'endsWith': return any(like((v) => `%${v}`, false));
    case 'set': return `${expr} IS NOT NULL`;
    case 'notSet': return `${expr} IS NULL`;
    default: {
      const op = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[f.operator];
      return any(f.values.map((v) => `TRY_CAST(${expr} AS DOUBLE) ${op} ${d.sql.numberParam(p.add(v))}`));
    }
  }
}

function stepSql(step: StepSpec, d: FunnelDialect, p: Params): string {
  const parts: string[] = [];
  if (step.event !== undefined) parts.push(`e.event_name = ${p.add(step.event)}`);
  else {
    const page = step.page!;
    const column = /^https?:\/\//i.test(page) ? 'e.page_url' : 'e.page_urlpath';
    parts.push(`e.event = 'page_view'`);
    parts.push(page.includes('*')
      ? `${column} LIKE ${p.add(likeEscape(page).replace(/\*/g, '%'))} ESCAPE '\\'`
      : `${column} = ${p.add(page)}`);
  }
  for (const f of step.filters) parts.push(filterSql(f, d, p));
  return parts.map((x) => `(${x})`).join(' AND ');
}

/** The SQL for one date range of the funnel (the comparison range renders the same way), over `eventsTable` (WEBCUBE_EVENTS_TABLE). */
export function buildFunnelSql(spec: FunnelSpec, range: UtcRange, d: FunnelDialect, appIds?: readonly string[], eventsTable = 'atomic.events'): FunnelSql {
  const p = new Params();
  const ts = (s: string) => d.sql.timestampParam(p.add(s));
  const n = spec.steps.length;
  const conds = spec.steps.map((s) => stepSql(s, d, p));
  const breakdown = spec.breakdown ? funnelColumns[spec.breakdown] : 'NULL';
  const flags = conds.map((c, i) => `CASE WHEN ${c} THEN 1 ELSE 0 END AS m${i + 1}`).join(',\n    ');
  const fromMs = utcMs(range.from), toMs = utcMs(range.to);
  const where = [
    // A browser tracked without a domain_userid (cookieless, anonymous, withdrawn consent) is its session, as in the model's users.
    'COALESCE(e.domain_userid, e.domain_sessionid) IS NOT NULL',
    'COALESCE(e.is_bot, false) = false',
    // dt is the collector's UTC day: from a day before (clock skew) to 3 days after the last
    // moment a step can happen (late arrivals), matching the model's FILTER_PARAMS pruning.
    `CAST(e.dt AS VARCHAR) >= ${p.add(dateOf(fromMs - DAY))}`,
    `CAST(e.dt AS VARCHAR) <= ${p.add(dateOf(toMs + spec.windowMs + 3 * DAY))}`,
    `e.derived_tstamp >= ${ts(range.from)}`,
    `e.derived_tstamp <= ${d.funnel.addMillis(ts(range.to), p.add(spec.windowMs))}`,
    ...(appIds ? [`e.app_id IN (${appIds.map((a) => p.add(a)).join(', ')})`] : []),
    `(${conds.map((c) => `(${c})`).join(' OR ')})`,
  ];
  const ctes = [
    `ev AS (\n  SELECT COALESCE(e.domain_userid, e.domain_sessionid) AS u, e.derived_tstamp AS t, ${breakdown} AS b,\n    ${flags}\n  FROM ${eventsTable} AS e\n  WHERE ${where.join('\n    AND ')}\n)`,
    `f1 AS (\n  SELECT u, min(t) AS t1, min_by(b, t) AS b\n  FROM ev\n  WHERE m1 = 1 AND t <= ${ts(range.to)}\n  GROUP BY u\n)`,
  ];
  for (let k = 2; k <= n; k++) {
    const prev = Array.from({ length: k - 1 }, (_, i) => `f.t${i + 1}`).join(', ');
    ctes.push(`f${k} AS (\n  SELECT f.u, f.b, ${prev}, min(e.t) AS t${k}\n  FROM f${k - 1} AS f\n  LEFT JOIN ev AS e ON e.u = f.u AND e.m${k} = 1 AND e.t > f.t${k - 1}\n    AND e.t <= ${d.funnel.addMillis('f.t1', p.add(spec.windowMs))}\n  GROUP BY f.u, f.b, ${prev}\n)`);
  }
  const counts = Array.from({ length: n }, (_, i) => `count(t${i + 1}) AS c${i + 1}`);
  const medians = Array.from({ length: n - 1 }, (_, i) => `${d.funnel.median(`CAST(date_diff('millisecond', t${i + 1}, t${i + 2}) AS DOUBLE) / 1000`)} AS d${i + 2}`);
  const select = [...counts, ...medians].join(', ');
  const final = spec.breakdown
    ? `SELECT b, GROUPING(b) AS is_total, ${select}\nFROM f${n}\nGROUP BY GROUPING SETS ((b), ())`
    : `SELECT ${select}\nFROM f${n}`;
  return p.finalize(`WITH ${ctes.join(',\n')}\n${final}`, (i) => d.sql.placeholder(i));
}
