// Where Cube's driver conformance suite (shared/peer/cube-testing-drivers) lies on this machine:
// WEBCUBE_CUBE_SUITE_DIR, else shared/ beside the repository, else the workplace's /work/shared.
// It is read in place, never copied into the project; undefined when none of these holds it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const candidates = [
  process.env.WEBCUBE_CUBE_SUITE_DIR,
  fileURLToPath(new URL('../../shared/peer/cube-testing-drivers/', import.meta.url)),
  '/work/shared/peer/cube-testing-drivers/',
].filter((d): d is string => Boolean(d));

export const CUBE_SUITE_DIR: string | undefined = candidates.find((d) => existsSync(`${d}/cases.json`));

export const CUBE_SUITE_MISSING = `Cube's driver suite is not on this machine (looked in ${candidates.join(', ')}; set WEBCUBE_CUBE_SUITE_DIR)`;
