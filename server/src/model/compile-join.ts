// Compiles a cube's `joins` entry into a directed edge with Cube's relationship names and the
// side whose rows the join repeats (used by the planner to avoid fan-out).
import type { ErrorReporter } from './error-reporter.ts';
import type { Item } from './merge-extends.ts';
import { checkKeys } from './member-props.ts';
import { resolveTemplate, type ResolveContext } from './resolve-template.ts';
import type { Join, Relationship } from './types.ts';

const RELATIONSHIPS: Record<string, Relationship> = {
  belongsTo: 'belongsTo', belongs_to: 'belongsTo', manyToOne: 'belongsTo', many_to_one: 'belongsTo',
  hasMany: 'hasMany', has_many: 'hasMany', oneToMany: 'hasMany', one_to_many: 'hasMany',
  hasOne: 'hasOne', has_one: 'hasOne', oneToOne: 'hasOne', one_to_one: 'hasOne',
};
const JOIN_KEYS = new Set(['name', 'sql', 'relationship']);

export function compileJoin(item: Item, resolve: ResolveContext, reporter: ErrorReporter): Join | undefined {
  const from = resolve.cube;
  const to = item.name;
  const report = (message: string): undefined => {
    reporter.report(item.origin, ['joins', to], message, `${from}.joins.${to}`);
    return undefined;
  };
  try { checkKeys(item.props, JOIN_KEYS, 'join'); } catch (e) { return report((e as Error).message); }
  if (!resolve.symbols.members.has(to)) return report(`Cube '${from}' joins unknown cube '${to}'`);
  if (resolve.symbols.views.has(to)) return report(`Cube '${from}' cannot join view '${to}'`);
  const rel = item.props.relationship;
  const relationship = typeof rel === 'string' ? RELATIONSHIPS[rel] : undefined;
  if (!relationship) {
    return report(`Unknown join relationship '${String(rel)}'; expected one_to_one, one_to_many or many_to_one`);
  }
  if (item.props.sql === undefined) return report(`Join from '${from}' to '${to}' needs 'sql'`);
  let sql;
  try { sql = resolveTemplate(item.origin.reader.sql(item.props.sql), resolve); } catch (e) { return report((e as Error).message); }
  const multiplied = relationship === 'hasMany' ? from : relationship === 'belongsTo' ? to : undefined;
  return {
    from, to, relationship, sql,
    ...(multiplied ? { multiplied } : {}),
    location: { file: item.origin.file, line: item.origin.lineOf(['joins', to]) },
  };
}
