// Starts PrestoDB and Trino once for a test run, when a selected test file uses them
// (tests/engines.ts), through `webcube stack` in a scratch folder; their ports reach the test
// files as WEBCUBE_TEST_ENGINES. Engines that were already running there are reused and left on.
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const ENGINES = ['presto', 'trino'];
// Kept equal to TEST_STACK_DIR and TEST_ENGINE_JVM_ZONE in tests/engines.ts.
const STACK_DIR = join(tmpdir(), 'webcube-test-stack');
const JVM_ZONE = 'America/Sao_Paulo';

const stackCli = (args, input = {}) => spawnSync(process.execPath, [join(root, 'bin', 'webcube.js'), 'stack', ...args], {
  cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, WEBCUBE_STACK_DIR: STACK_DIR, WEBCUBE_DATA_DIR: join(STACK_DIR, 'data'), ...input },
});

export async function startTestEngines(users) {
  if (users.length === 0 || process.env.WEBCUBE_TEST_ENGINES) return { env: {}, stop() {} };
  const before = stackCli(['status']).stdout;
  const wasRunning = ENGINES.filter((e) => before.includes(`${e}: running`));
  console.error(`starting ${ENGINES.join(' and ')} for ${users.length} test file(s)…`);
  const start = stackCli(['start', ...ENGINES], { TZ: JVM_ZONE });
  if (start.status !== 0) throw new Error(`webcube stack start ${ENGINES.join(' ')} failed (exit ${start.status}); see above`);
  const settings = Object.fromEntries(start.stdout.trim().split('\n').map((l) => l.split('=')));
  const ports = ENGINES.map((e) => `${e}=${settings[`CUBEJS_DS_${e.toUpperCase()}_DB_PORT`]}`).join(',');
  return {
    env: { WEBCUBE_TEST_ENGINES: ports },
    stop() {
      const ours = ENGINES.filter((e) => !wasRunning.includes(e));
      if (ours.length > 0) stackCli(['stop', ...ours]);
    },
  };
}
