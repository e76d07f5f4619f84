// Kafka settings shared by the collector (COLLECTOR_SINK=kafka) and `webcube loader`: brokers,
// topic, client id, TLS and SASL, validated once at start like every other config module.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { bool, int, list, parseEnvFields } from '../env-fields.ts';

export type CollectorSinkKind = 'spool' | 'kafka';

export interface KafkaSasl { readonly mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'; readonly username: string; readonly password: string }

export interface KafkaConfig {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly clientId: string;
  readonly tls?: { readonly ca?: string; readonly rejectUnauthorized: boolean };
  readonly sasl?: KafkaSasl;
  /** The longest a request waits for the broker's acks=all before it gets 503 + Retry-After. */
  readonly ackTimeoutMs: number;
  /** Bytes of records sent but not yet acknowledged; above it new requests get 503 (bounded memory). */
  readonly maxInflightBytes: number;
}

const fields = {
  COLLECTOR_SINK: z.enum(['spool', 'kafka']).default('spool'),
  KAFKA_BROKERS: list.optional(),
  KAFKA_TOPIC: z.string().regex(/^[a-zA-Z0-9._-]{1,249}$/, 'must be a Kafka topic name').default('webcube-raw'),
  KAFKA_CLIENT_ID: z.string().min(1).default('webcube'),
  KAFKA_TLS: bool.default(false),
  KAFKA_TLS_CA_FILE: z.string().min(1).optional(),
  KAFKA_TLS_REJECT_UNAUTHORIZED: bool.default(true),
  KAFKA_SASL_MECHANISM: z.enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  KAFKA_ACK_TIMEOUT_MS: int(100, 120_000).default(5000),
  KAFKA_MAX_INFLIGHT_BYTES: int(1024 * 1024, Number.MAX_SAFE_INTEGER).default(64 * 1024 * 1024),
} as const;

export function collectorSinkKind(env: Record<string, string | undefined>): CollectorSinkKind {
  return parseEnvFields({ COLLECTOR_SINK: fields.COLLECTOR_SINK }, env).COLLECTOR_SINK;
}

/** `who` names what needs the brokers in the error (COLLECTOR_SINK=kafka or webcube loader). */
export function loadKafkaConfig(env: Record<string, string | undefined>, who: string): KafkaConfig {
  const p = parseEnvFields(fields, env);
  const brokers = (p.KAFKA_BROKERS ?? []).filter(Boolean);
  if (brokers.length === 0) throw new Error(`KAFKA_BROKERS: ${who} needs the Kafka brokers, e.g. KAFKA_BROKERS=127.0.0.1:9092 (webcube stack start kafka prints it)`);
  const bad = brokers.find((b) => !/^[^\s:]+:\d{1,5}$/.test(b));
  if (bad) throw new Error(`KAFKA_BROKERS: invalid value "${bad}" (each entry must be host:port)`);
  const saslParts = [p.KAFKA_SASL_MECHANISM, p.KAFKA_SASL_USERNAME, p.KAFKA_SASL_PASSWORD];
  if (saslParts.some((x) => x !== undefined) && saslParts.some((x) => x === undefined)) {
    throw new Error('KAFKA_SASL_MECHANISM: SASL needs KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD together');
  }
  let ca: string | undefined;
  if (p.KAFKA_TLS_CA_FILE) {
    try { ca = readFileSync(p.KAFKA_TLS_CA_FILE, 'utf8'); } catch (e) { throw new Error(`KAFKA_TLS_CA_FILE: cannot read ${p.KAFKA_TLS_CA_FILE}: ${(e as Error).message}`); }
  }
  return Object.freeze({
    brokers: Object.freeze(brokers), topic: p.KAFKA_TOPIC, clientId: p.KAFKA_CLIENT_ID,
    ...(p.KAFKA_TLS || ca ? { tls: Object.freeze({ ...(ca ? { ca } : {}), rejectUnauthorized: p.KAFKA_TLS_REJECT_UNAUTHORIZED }) } : {}),
    ...(p.KAFKA_SASL_MECHANISM ? { sasl: Object.freeze({ mechanism: p.KAFKA_SASL_MECHANISM, username: p.KAFKA_SASL_USERNAME!, password: p.KAFKA_SASL_PASSWORD! }) } : {}),
    ackTimeoutMs: p.KAFKA_ACK_TIMEOUT_MS, maxInflightBytes: p.KAFKA_MAX_INFLIGHT_BYTES,
  });
}

/** The connection part of @platformatic/kafka's client options. */
export function kafkaClientOptions(c: KafkaConfig, role: string) {
  return {
    clientId: `${c.clientId}-${role}`,
    bootstrapBrokers: [...c.brokers],
    ...(c.tls ? { tls: { ...c.tls } } : {}),
    ...(c.sasl ? { sasl: { mechanism: c.sasl.mechanism, username: c.sasl.username, password: c.sasl.password } } : {}),
  };
}
