// Reads Cube's values (numbers arrive as strings, cube.md §2.2) as numbers for charts and cards.
export function toNumber(value: unknown): number {
  if (value === null || value === undefined || value === '') return 0;
  const n = typeof value === 'number' ? value : Number.parseFloat(String(value));
  return Number.isFinite(n) ? n : 0;
}
