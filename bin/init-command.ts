// `webcube init`: copies the shipped model (schema/), cube.js and .env.example into the working
// directory so a user can customise them. An existing file is never overwritten silently: it is
// kept and reported, unless --force is given, and then each overwrite is reported.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { PACKAGE_ROOT } from './package-files.ts';

const SHIPPED = ['schema', 'cube.js', '.env.example'] as const;

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => filesUnder(join(path, name)));
}

export type InitResult = Readonly<{ created: string[]; unchanged: string[]; kept: string[]; overwritten: string[] }>;

export function initProject(cwd: string, opts: { force?: boolean } = {}): InitResult {
  const result = { created: [] as string[], unchanged: [] as string[], kept: [] as string[], overwritten: [] as string[] };
  for (const name of SHIPPED) {
    for (const source of filesUnder(join(PACKAGE_ROOT, name))) {
      const rel = relative(PACKAGE_ROOT, source);
      const target = join(cwd, rel);
      if (existsSync(target)) {
        if (readFileSync(target).equals(readFileSync(source))) { result.unchanged.push(rel); continue; }
        if (!opts.force) { result.kept.push(rel); continue; }
        result.overwritten.push(rel);
      } else {
        result.created.push(rel);
      }
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(source, target);
    }
  }
  return result;
}

export async function initCommand(args: string[]): Promise<void> {
  const unknown = args.find((a) => a !== '--force');
  if (unknown) throw new Error(`unknown option ${unknown} (allowed: --force, to overwrite files that differ from the shipped ones)`);
  const cwd = process.cwd();
  if (resolve(cwd) === PACKAGE_ROOT) throw new Error(`${cwd} is the webcube package itself; run init in your own project folder`);
  const r = initProject(cwd, { force: args.includes('--force') });
  const say = (line: string) => process.stdout.write(`${line}\n`);
  for (const f of r.created) say(`created      ${f}`);
  for (const f of r.overwritten) say(`overwrote    ${f} (--force)`);
  for (const f of r.unchanged) say(`unchanged    ${f}`);
  for (const f of r.kept) say(`kept yours   ${f} (differs from the shipped one; webcube init --force overwrites it)`);
  say('\nNext: edit schema/*.yml (see schema/README.md) and cube.js, copy .env.example to .env to change settings, then `npx webcube start`.');
}
