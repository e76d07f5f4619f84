// `webcube compact [--date YYYY-MM-DD] [--all]`: merges a day's small Parquet files (see compact-day.ts).
export async function compactCommand(_args: string[], _env: Record<string, string | undefined>): Promise<void> {
  throw new Error('compact: not implemented yet');
}
