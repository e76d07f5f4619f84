// `npm run bench`: runs every bench/<area>.ts and prints each figure beside the baseline
// measured in the same run, with the ratio. Usage: npm run bench [-- area ...]
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';

export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: { readonly name: string; readonly value: number };
}

type BenchModule = { bench: () => Promise<BenchResult[]> };

const benchDir = new URL('.', import.meta.url).pathname;
const wanted = process.argv.slice(2);
const areas = readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts') && !f.startsWith('_'))
  .map((f) => basename(f, '.ts'))
  .filter((a) => wanted.length === 0 || wanted.includes(a))
  .sort();

function format(n: number): string {
  return Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2);
}

let failed = 0;
for (const area of areas) {
  process.stdout.write(`\n== ${area}\n`);
  try {
    const mod = (await import(`./${area}.ts`)) as BenchModule;
    for (const r of await mod.bench()) {
      const base = r.baseline
        ? `   baseline ${r.baseline.name}: ${format(r.baseline.value)} ${r.unit}   ratio ${(r.value / r.baseline.value).toFixed(2)}`
        : '';
      process.stdout.write(`${r.name.padEnd(52)} ${format(r.value).padStart(12)} ${r.unit}${base}\n`);
    }
  } catch (error) {
    failed += 1;
    process.stdout.write(`  failed: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}
process.exitCode = failed ? 1 : 0;
