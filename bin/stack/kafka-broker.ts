// `webcube stack start kafka`: one Apache Kafka 4 node in KRaft mode (broker and controller in one
// JVM), from Maven Central jars, storing its log under <state>/kafka/data. The storage is
// formatted once; a restart keeps the data and the ports, so clients reconnect where they were.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, readRunning, spawnDetached, stopProcess, waitReady, writeRunning, type RunningProcess } from './background-process.ts';
import { formatProperties } from './engine-config.ts';
import { describeRange, findJava, type JavaRange } from './java-runtime.ts';
import { installKafka, KAFKA_VERSION } from './kafka-install.ts';
import { StackSetupError } from './maven-artifact.ts';

export interface RunningKafka extends RunningProcess {
  readonly brokers: string;
  readonly controllerPort: number;
}

const JAVA: JavaRange = { min: 17 };
const READY_TIMEOUT_MS = 120_000;

export const readRunningKafka = (stateDir: string) => readRunning<RunningKafka>(stateDir);

export interface KafkaStartOptions {
  readonly cacheDir: string;
  readonly stateRoot: string;
  readonly env: NodeJS.ProcessEnv;
  /** Partitions of topics created on first use (the events topic, unless made beforehand). */
  readonly partitions?: number;
}

interface KafkaLayout { readonly port: number; readonly controllerPort: number; readonly clusterId: string }

/** The ports and cluster id chosen at the first start, kept so a restart serves the same log. */
async function layout(stateDir: string): Promise<KafkaLayout & { fresh: boolean }> {
  const file = join(stateDir, 'layout.json');
  if (existsSync(file)) return { ...JSON.parse(readFileSync(file, 'utf8')) as KafkaLayout, fresh: false };
  const chosen: KafkaLayout = { port: await freePort(), controllerPort: await freePort(), clusterId: randomBytes(16).toString('base64url') };
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(file, JSON.stringify(chosen));
  return { ...chosen, fresh: true };
}

export function brokerProperties(l: KafkaLayout, dataDir: string, partitions: number): Record<string, string> {
  return {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@127.0.0.1:${l.controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${l.port},CONTROLLER://127.0.0.1:${l.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${l.port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': dataDir,
    'num.partitions': String(partitions),
    // One node: the internal topics cannot have more replicas than that.
    'offsets.topic.replication.factor': '1',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'share.coordinator.state.topic.replication.factor': '1',
    'share.coordinator.state.topic.min.isr': '1',
    // Loaders joining one after another should not each wait out the default 3 s.
    'group.initial.rebalance.delay.ms': '0',
    'auto.create.topics.enable': 'true',
  };
}

const LOG4J = [
  'log4j.rootLogger=INFO, stdout',
  'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
  'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
  'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
  'log4j.logger.kafka=INFO', 'log4j.logger.org.apache.kafka=INFO', 'log4j.logger.state.change.logger=WARN',
].join('\n');

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

export async function startKafka(options: KafkaStartOptions): Promise<RunningKafka> {
  const stateDir = join(options.stateRoot, 'kafka');
  const running = readRunningKafka(stateDir);
  if (running) return running;
  const java = findJava(JAVA, options.env);
  if (!java) throw new StackSetupError(`kafka needs ${describeRange(JAVA)}: install one or point JAVA_HOME at it`);
  const lib = await installKafka(options.cacheDir);
  const l = await layout(stateDir);
  const dataDir = join(stateDir, 'data');
  const config = join(stateDir, 'server.properties');
  writeFileSync(config, formatProperties(brokerProperties(l, dataDir, options.partitions ?? 4)));
  const log4j = join(stateDir, 'log4j.properties');
  writeFileSync(log4j, `${LOG4J}\n`);
  const classpath = join(lib, '*');
  const jvm = ['-Xms256m', '-Xmx768m', `-Dlog4j.configuration=file:${log4j}`, '-Djava.awt.headless=true'];
  if (!existsSync(join(dataDir, 'meta.properties'))) {
    const format = spawnSync(java.javaBin, ['-cp', classpath, ...jvm, 'kafka.tools.StorageTool', 'format', '-t', l.clusterId, '-c', config, '--ignore-formatted'], { encoding: 'utf8' });
    if (format.status !== 0) throw new StackSetupError(`kafka: formatting its storage failed: ${(format.stderr || format.stdout).trim().split('\n').slice(-3).join(' ')}`);
  }
  const logFile = join(stateDir, 'server.log');
  const pid = spawnDetached({ command: java.javaBin, args: ['-cp', classpath, ...jvm, 'kafka.Kafka', config], cwd: stateDir, env: options.env, logFile });
  const kafka: RunningKafka = { pid, port: l.port, controllerPort: l.controllerPort, stateDir, logFile, brokers: `127.0.0.1:${l.port}` };
  writeRunning(kafka);
  process.stderr.write(`webcube stack: kafka ${KAFKA_VERSION} starting on port ${l.port} (Java ${java.major}; log ${logFile})…\n`);
  const started = () => readFileSync(logFile, 'utf8').includes('Kafka Server started');
  await waitReady('kafka', kafka, async () => started() && answers(l.port), READY_TIMEOUT_MS);
  return kafka;
}

/** The settings a collector (COLLECTOR_SINK=kafka) and `webcube loader` need for this broker. */
export const kafkaSettings = (kafka: RunningKafka): string[] => [
  `KAFKA_BROKERS=${kafka.brokers}`, 'KAFKA_TOPIC=webcube-raw', 'COLLECTOR_SINK=kafka', 'LOADER_GROUP_ID=webcube-loader',
];

export const stopKafka = stopProcess;
