// Starts the semantic layer's HTTP server (`startServer`, port 0 allowed for tests) and the
// `webcube server` command, which runs it until SIGTERM/SIGINT and then drains and closes.
import { randomBytes } from 'node:crypto';
import { loadServerConfig, type ServerConfig } from '../config.ts';
import { buildApp } from './app.ts';
import { loadCubeOptions, type CubeOptions } from './cube-options.ts';
import type { Engine } from './engine.ts';
import { createPipelineEngine } from './pipeline-engine.ts';

export type RunningServer = { url: string; port: number; close(): Promise<void> };

export type StartOverrides = {
  /** cube.js options given in code (tests, embedding); replaces loading `config.configFile`. */
  options?: CubeOptions;
  /** A ready engine (tests, embedding); default: the model/query/driver pipeline. */
  engine?: Engine;
};

export async function startServer(config: ServerConfig, overrides: StartOverrides = {}): Promise<RunningServer> {
  const options = overrides.options ?? await loadCubeOptions(config.configFile);
  const secret = options.apiSecret ?? config.apiSecret ?? (config.devMode ? randomBytes(32).toString('hex') : undefined);
  if (!secret && !options.checkAuth && !config.jwt.jwkUrl && !config.jwt.key && !options.jwt?.key && !options.jwt?.jwkUrl) {
    throw new Error('CUBEJS_API_SECRET is required unless CUBEJS_DEV_MODE=true (or cube.js provides apiSecret, checkAuth or jwt options)');
  }
  const engine = overrides.engine ?? await createPipelineEngine(config, options);
  let app;
  let readiness;
  try {
    ({ app, readiness } = await buildApp({ config, options, engine, secret: secret ?? randomBytes(32).toString('hex') }));
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await engine.close();
    throw error;
  }
  if (config.devMode && !['127.0.0.1', '::1', 'localhost'].includes(config.host)) {
    process.stderr.write(`webcube server: dev mode on ${config.host}: requests without a token are answered; set CUBEJS_API_SECRET and turn CUBEJS_DEV_MODE off in production\n`);
  }
  // Checked once at start so a model or connection problem is in the log before anyone probes /readyz.
  const startCheck = readiness();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () => (closing ??= (async () => {
      await app.close();
      await startCheck;
      await engine.close();
    })()),
  };
}

function parseArgs(args: string[], env: Record<string, string | undefined>): Record<string, string | undefined> {
  const out = { ...env };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [flag, inline] = a.split('=', 2) as [string, string | undefined];
    const value = inline ?? args[i + 1];
    if (flag === '--port') out.PORT = value;
    else if (flag === '--host') out.WEBCUBE_HOST = value;
    else if (flag === '--schema') out.CUBEJS_SCHEMA_PATH = value;
    else if (flag === '--dev') { out.CUBEJS_DEV_MODE = 'true'; continue; }
    else throw new Error(`unknown option ${flag} (allowed: --port N, --host H, --schema DIR, --dev)`);
    if (inline === undefined) i++;
  }
  return out;
}

/** `webcube server`: runs until a signal, then stops accepting, finishes in-flight requests and closes the engine. */
export async function serverCommand(args: string[], env: Record<string, string | undefined>): Promise<void> {
  const config = loadServerConfig(parseArgs(args, env));
  const server = await startServer(config);
  process.stderr.write(`webcube server: listening on ${server.url}${config.devMode ? ' (dev mode: requests without a token are allowed)' : ''}\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stderr.write(`webcube server: ${signal}, shutting down…\n`);
      server.close().then(resolve, (error: unknown) => {
        process.stderr.write(`webcube server: error while closing: ${(error as Error).message}\n`);
        resolve();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
