// Writes a SqlTemplate back in Cube's YAML syntax (`{CUBE}.x = {users.id}`), for extended
// /v1/meta, debugging output and error messages; not meant to be re-parsed for execution.
import type { SqlTemplate } from './types.ts';

export function templateToSource(template: SqlTemplate, currentCube?: string): string {
  const src = (t: SqlTemplate): string => templateToSource(t, currentCube);
  return template.map((p) => {
    if (typeof p === 'string') return p.replace(/[{}]/g, (c) => `\\${c}`);
    switch (p.type) {
      case 'cube': return p.cube === currentCube ? '{CUBE}' : `{${p.cube}}`;
      case 'member': {
        const g = p.granularity ? `.${p.granularity}` : '';
        return p.cube === currentCube ? `{CUBE.${p.member}${g}}` : `{${p.cube}.${p.member}${g}}`;
      }
      case 'filterParams':
        if (p.dtFilter) return `{FILTER_PARAMS.${p.cube}.${p.member}.dtFilter(f'${src(p.column ?? [])}')}`;
        return p.callback
          ? `{FILTER_PARAMS.${p.cube}.${p.member}.filter(lambda a, b: f'${src(p.callback)}')}`
          : `{FILTER_PARAMS.${p.cube}.${p.member}.filter(f'${src(p.column ?? [])}')}`;
      case 'filterArg': return `{${'ab'[p.index] ?? `arg${p.index}`}}`;
      case 'securityContext': {
        const path = `SECURITY_CONTEXT.${p.path.join('.')}`;
        if (p.mode === 'param') return `{${path}}`;
        if (p.mode === 'unsafe') return `{${path}.unsafeValue()}`;
        if (p.callback) return `{${path}.${p.mode}((values) => ...)}`;
        return `{${path}.${p.mode}(f'${src(p.column ?? [])}')}`;
      }
      case 'filterGroup': return `{FILTER_GROUP(${p.filters.map((f) => src([f]).slice(1, -1)).join(', ')})}`;
      case 'compileContext': return `{COMPILE_CONTEXT.${p.path.join('.')}}`;
      case 'convertTz': return `{SQL_UTILS.convertTz(f'${src(p.sql)}')}`;
    }
  }).join('');
}
