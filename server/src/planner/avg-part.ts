// Pseudo member ids of an avg measure's two hidden rollup columns, its sum and its count
// (`cube.m__avg_sum`, `cube.m__avg_count`): the builder stores them, the matcher puts them in
// PreAggMatch.columns, and the renderer re-aggregates avg as sum(sum) / sum(count).

export type AvgPart = 'sum' | 'count';
const AVG_PART = /^(.+)__avg_(sum|count)$/;

/** Pseudo member id of an avg measure's hidden sum or count column (`cube.m__avg_sum`). */
export function avgPart(measure: string, part: AvgPart): string {
  return `${measure}__avg_${part}`;
}

/** The avg measure and part behind a pseudo member id, or null for a real member. */
export function parseAvgPart(member: string): { readonly measure: string; readonly part: AvgPart } | null {
  const m = AVG_PART.exec(member);
  return m ? { measure: m[1]!, part: m[2] as AvgPart } : null;
}
