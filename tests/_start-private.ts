// Starts a private Presto with this worktree's stack config, to verify CTAS (not for the shared engines).
import { engines } from '../bin/stack/engine-spec.ts';
import { startEngine } from '../bin/stack/engine-process.ts';
const e = await startEngine(engines.presto, { cacheDir: '/root/.cache/webcube', stateRoot: '/tmp/wt-preaggs-private-stack', heap: '3G', env: { ...process.env, TZ: 'America/Sao_Paulo' } });
console.log(JSON.stringify(e));
