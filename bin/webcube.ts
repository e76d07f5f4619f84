// The webcube CLI: one binary whose subcommands run each stage alone or all together.
import { startAll } from './start.ts';
import { initCommand } from './init-command.ts';
import { withPackageFiles } from './package-files.ts';

async function printDdl(args: string[]): Promise<void> {
  const { eventsTableDdl } = await import('../collector/src/atomic/ddl.ts');
  const [engine, location] = args;
  if ((engine !== 'presto' && engine !== 'trino' && engine !== 'athena') || !location) {
    throw new Error('usage: webcube ddl presto|trino|athena <s3 location of the events folder>');
  }
  process.stdout.write(eventsTableDdl(engine, { location, catalog: engine === 'trino' ? 'hive' : undefined }));
}

type Command = (args: string[], env: NodeJS.ProcessEnv) => Promise<void>;

const commands: Record<string, { describe: string; run: Command }> = {
  start: { describe: 'collector + API + dashboard on embedded defaults; demo traffic if the data is empty', run: startAll },
  collector: { describe: 'the Snowplow-protocol collector (port 8080)', run: async (a, e) => (await import('@webcube/collector')).collectorCommand(a, e) },
  server: { describe: 'the Cube-compatible API and dashboard (port 4000)', run: async (a, e) => (await import('@webcube/server')).serverCommand(a, e) },
  refresh: { describe: 'the pre-aggregation refresh worker', run: async (a, e) => (await import('@webcube/server')).refreshCommand(a, e) },
  demo: { describe: 'send realistic traffic through the official Snowplow node tracker', run: async (a, e) => (await import('@webcube/collector')).demoCommand(a, e) },
  import: { describe: 'load history (tracker payloads or enriched TSV) with original timestamps', run: async (a, e) => (await import('@webcube/collector')).importCommand(a, e) },
  ddl: { describe: 'print the external-table DDL for the events files: ddl presto|trino|athena <location>', run: printDdl },
  stack: { describe: 'the scaled-out services without Docker: stack start|stop|status s3|metastore|presto|trino|kafka, stack config --for compose', run: async (a, e) => (await import('./stack/stack-command.ts')).stackCommand(a, e) },
  init: { describe: 'copy the shipped model (schema/), cube.js and .env.example here to customise them', run: (a) => initCommand(a) },
  loader: { describe: 'consume the collector\'s Kafka topic (COLLECTOR_SINK=kafka) and write Parquet', run: async (a, e) => (await import('@webcube/collector')).loaderCommand(a, e) },
  compact: { describe: "merge a day's small Parquet files into a few large ones", run: async (a, e) => (await import('@webcube/collector')).compactCommand(a, e) },
  retention: { describe: 'remove (or archive) days older than WEBCUBE_RETENTION_DAYS: retention --dry-run|--apply', run: async (a, e) => (await import('@webcube/collector')).retentionCommand(a, e) },
  forget: { describe: "erase one person's rows: forget --user-id X | --domain-userid Y | --network-userid Z", run: async (a, e) => (await import('@webcube/collector')).forgetCommand(a, e) },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.describe}`);
  return `usage: webcube <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(usage());
    process.exitCode = name && name !== 'help' && name !== '--help' ? 2 : 0;
    return;
  }
  try {
    // The commands that read the model find the shipped one when the working directory has none.
    const withFiles = ['start', 'server', 'refresh'].includes(name!) && !args.some((a) => a.startsWith('--schema'))
      ? withPackageFiles(env, process.cwd(), (line) => process.stderr.write(`${line}\n`))
      : env;
    await command.run(args, withFiles);
  } catch (error) {
    // Config and usage errors carry a message meant for the user; anything else is a bug.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`webcube ${name}: ${message}\n`);
    if (env.WEBCUBE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  }
}
