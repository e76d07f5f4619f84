// Files webcube ships (the web-analytics model, cube.js, the built dashboard) are found relative
// to the package, not the working directory, so `npx webcube start` works from any folder; the
// user's own schema/ and cube.js in the working directory win whenever they exist.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

// The server config's defaults (server/src/config.ts): a value equal to one of them (as in a
// copied .env.example) means "the usual place", so the package's file stands in when it is missing.
const DEFAULTS = { CUBEJS_SCHEMA_PATH: 'schema', WEBCUBE_CONFIG_FILE: 'cube.js', WEBCUBE_DASHBOARD_DIR: 'dashboard-app/dist' } as const;

function usesDefault(env: NodeJS.ProcessEnv, name: keyof typeof DEFAULTS): boolean {
  const v = env[name];
  return v === undefined || v === '' || v === DEFAULTS[name];
}

/**
 * The environment with the package's files standing in for a missing schema/, cube.js and
 * dashboard build in `cwd`; says so in one line when the shipped model is used.
 */
export function withPackageFiles(env: NodeJS.ProcessEnv, cwd: string, log: (line: string) => void): NodeJS.ProcessEnv {
  if (resolve(cwd) === PACKAGE_ROOT) return env;
  const out = { ...env };
  const shipped: string[] = [];
  if (usesDefault(env, 'CUBEJS_SCHEMA_PATH') && !existsSync(join(cwd, DEFAULTS.CUBEJS_SCHEMA_PATH))) {
    out.CUBEJS_SCHEMA_PATH = join(PACKAGE_ROOT, 'schema');
    shipped.push('schema/');
  }
  if (usesDefault(env, 'WEBCUBE_CONFIG_FILE') && !existsSync(join(cwd, DEFAULTS.WEBCUBE_CONFIG_FILE))) {
    out.WEBCUBE_CONFIG_FILE = join(PACKAGE_ROOT, 'cube.js');
    shipped.push('cube.js');
  }
  if (usesDefault(env, 'WEBCUBE_DASHBOARD_DIR') && !existsSync(join(cwd, DEFAULTS.WEBCUBE_DASHBOARD_DIR))) {
    out.WEBCUBE_DASHBOARD_DIR = join(PACKAGE_ROOT, DEFAULTS.WEBCUBE_DASHBOARD_DIR);
  }
  if (shipped.length > 0) {
    const what = shipped.includes('schema/') ? 'the shipped web-analytics model' : 'the shipped cube.js';
    log(`webcube: no ${shipped.join(' or ')} in ${cwd}: using ${what} (${PACKAGE_ROOT}); `
      + 'run `npx webcube init` to copy schema/, cube.js and .env.example here and customise them');
  }
  return out;
}
