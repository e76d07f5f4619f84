// `webcube start`: every stage in one process tree on embedded defaults (local ./data,
// DuckDB, dashboard on :4000), seeded with demo traffic when the data directory is empty.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const repoRoot = resolve(new URL('..', import.meta.url).pathname);

function hasEvents(dataDir: string): boolean {
  const eventsDir = join(dataDir, 'events');
  if (!existsSync(eventsDir)) return false;
  return readdirSync(eventsDir).some((d) => d.startsWith('dt='));
}

function ensureDashboardBuilt(): void {
  if (existsSync(join(repoRoot, 'dashboard-app', 'dist', 'index.html'))) return;
  process.stderr.write('webcube: building the dashboard (first start only)…\n');
  const build = spawnSync('npm', ['run', 'build', '-w', 'dashboard-app'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the dashboard build failed; see the output above');
}

/** Embedded defaults: without a configured secret the API runs in Cube's dev mode. */
function withEmbeddedDefaults(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const defaults: NodeJS.ProcessEnv = { WEBCUBE_DATA_DIR: './data' };
  if (!env.CUBEJS_API_SECRET) defaults.CUBEJS_DEV_MODE = 'true';
  return { ...defaults, ...env };
}

const START_USAGE = `usage: webcube start [--no-demo] [--no-dashboard]
  Starts the collector (COLLECTOR_PORT, default 8080) and the API with the dashboard (PORT, default
  4000) on embedded defaults (DuckDB, ./data). With an empty data directory it writes 30 days of
  demo history and sends live demo traffic, unless --no-demo. Settings: .env.example.
`;

export async function startAll(args: string[], rawEnv: NodeJS.ProcessEnv): Promise<void> {
  // Anything else would start the services: `--help` must not write demo data where it is typed.
  if (args.includes('--help') || args.includes('-h')) { process.stdout.write(START_USAGE); return; }
  const unknown = args.filter((a) => !['--no-demo', '--no-dashboard'].includes(a) && !a.startsWith('--schema'));
  if (unknown.length) throw new Error(`unknown option ${unknown.join(' ')}\n${START_USAGE}`);
  const env = withEmbeddedDefaults(rawEnv);
  const collectorPkg = await import('@webcube/collector');
  const serverPkg = await import('@webcube/server');
  const collectorConfig = collectorPkg.loadCollectorConfig(env);
  const serverConfig = serverPkg.loadServerConfig(env);
  const dataDir = resolve(env.WEBCUBE_DATA_DIR ?? './data');
  const seed = !args.includes('--no-demo') && !hasEvents(dataDir);

  if (!args.includes('--no-dashboard')) ensureDashboardBuilt();
  const collector = await collectorPkg.startCollector(collectorConfig);
  const server = await serverPkg.startServer(serverConfig);
  process.stderr.write(`webcube: collector ${collector.url}\nwebcube: API and dashboard ${server.url}\n`);

  // History is written before live traffic starts; live demo traffic then runs until shutdown
  // so the realtime page has something to show.
  const demoControl = new AbortController();
  let demo: Promise<unknown> = Promise.resolve();
  if (seed) {
    process.stderr.write('webcube: the data directory is empty; generating demo traffic (30 days of history, then live)…\n');
    demo = collectorPkg.runDemo({
      collectorUrl: collector.url, dataDir, days: 30, live: true, signal: demoControl.signal,
      log: (line: string) => process.stderr.write(`webcube demo: ${line}\n`),
    }).catch((error: unknown) => process.stderr.write(`webcube demo: ${error instanceof Error ? error.message : error}\n`));
  }

  const shutdown = async () => {
    process.stderr.write('webcube: shutting down…\n');
    demoControl.abort();
    await demo;
    await server.close();
    await collector.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
